import Testing
@testable import OutflowCore

@Suite struct JSONParserTests {
    static let valid: [(String, JSONValue)] = [
        ("null", .null),
        ("true", .bool(true)),
        (" false ", .bool(false)),
        ("0", .number("0")),
        ("-12.50e+3", .number("-12.50e+3")),
        ("12345678901234567890123", .number("12345678901234567890123")),
        (#""a\"b\\c\/d\n\t""#, .string("a\"b\\c/d\n\t")),
        (#""\u00e9\u4e2d\ud83d\ude00""#, .string("é中😀")),
        ("[]", .array([])),
        ("{}", .object(JSONObject())),
        (#"[1,[2,[3]]]"#, .array([.number("1"), .array([.number("2"), .array([.number("3")])])])),
        (#"{"b":1,"a":2}"#, .object(JSONObject([("b", .number("1")), ("a", .number("2"))]))),
        ("\u{FEFF}[1]", .array([.number("1")])),
    ]

    @Test(arguments: valid)
    func parsesValid(_ text: String, _ expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    static let invalid: [(String, String, Int, Int)] = [
        ("", "unexpected end of input", 1, 1),
        ("[1,]", "unexpected ']'", 1, 4),
        ("{\"a\" 1}", "expected ':'", 1, 6),
        ("{\"a\":1,}", "member name", 1, 8),
        ("[1 2]", "expected ',' or ']'", 1, 4),
        ("01", "after the end", 1, 2),
        ("-", "incomplete number", 1, 2),
        ("1.", "digit after '.'", 1, 3),
        ("\"abc", "unterminated string", 1, 5),
        ("\"a\u{01}\"", "control character", 1, 3),
        ("\"\\x\"", "invalid escape", 1, 2),
        ("\"\\ud800\"", "unpaired surrogate", 1, 8),
        ("{\n  \"a\": tru\n}", "invalid literal", 2, 8),
        ("[1]\n[2]", "after the end", 2, 1),
        ("nul", "invalid literal", 1, 1),
    ]

    @Test(arguments: invalid)
    func reportsPosition(_ text: String, _ fragment: String, _ line: Int, _ column: Int) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.position == TextPosition(line: line, column: column), "\(error)")
        }
    }

    @Test func refusesDeepNesting() {
        let text = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func writerRoundTrips() throws {
        let text = #"{"a":[1,2.50,null,true],"b":"x\"y\n\u0001","c":{}}"#
        #expect(JSONWriter.string(try JSONParser.parse(text)) == text)
    }
}
