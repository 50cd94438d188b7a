import Testing
@testable import OutflowCore

@Suite struct DecimalValueTests {
    static let parsed: [(String, String?)] = [
        ("0", "0"), ("-0", "0"), ("12.50", "12.50"), ("+3", "3"), ("-0.001", "-0.001"), (".5", "0.5"), ("5.", "5"),
        ("1e3", "1000"), ("1.5E-2", "0.015"), ("000123.4500", "123.4500"),
        ("123456789012345678901234567890123456789012345", "123456789012345678901234567890123456789012345"),
        ("", nil), ("-", nil), ("1.2.3", nil), ("12a", nil), ("1e", nil), ("--1", nil), (".", nil),
    ]

    @Test(arguments: parsed)
    func parses(_ text: String, _ expected: String?) {
        #expect(DecimalValue(text)?.description == expected)
    }

    static let ordered: [(String, String, Int)] = [
        ("1", "2", -1), ("2", "1", 1), ("1.50", "1.5", 0), ("-1", "1", -1), ("-2", "-1", -1), ("0", "-0.0", 0),
        ("10", "9.99", 1), ("0.1", "0.09", 1), ("99999999999999999999999999999999999999999", "1e40", 1),
        ("-0.5", "-0.50", 0),
    ]

    @Test(arguments: ordered)
    func compares(_ a: String, _ b: String, _ expected: Int) throws {
        let x = try #require(DecimalValue(a))
        let y = try #require(DecimalValue(b))
        #expect(DecimalValue.compare(x, y) == expected)
        #expect((x == y) == (expected == 0))
        if expected == 0 { #expect(x.hashValue == y.hashValue) }
    }

    static let rescaleCases: [(String, Int, String?)] = [
        ("1.5", 2, "1.50"), ("1.50", 1, "1.5"), ("1.55", 1, nil), ("0", 3, "0.000"), ("-2", 1, "-2.0"), ("10.00", 0, "10"),
    ]

    @Test(arguments: rescaleCases)
    func rescales(_ text: String, _ scale: Int, _ expected: String?) throws {
        #expect(try #require(DecimalValue(text)).rescaled(to: scale)?.description == expected)
    }
}
