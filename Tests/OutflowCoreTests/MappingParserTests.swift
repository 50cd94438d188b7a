import Testing
@testable import OutflowCore

@Suite struct MappingParserTests {
    /// The tree as compact text: 'string', 5, 1.5d, path parts joined by '/', cat(...), f(...).
    static func render(_ expression: Expression) -> String {
        switch expression {
        case .literal(let literal, _):
            switch literal {
            case .string(let text): return "'\(text)'"
            case .int(let n): return "\(n)"
            case .decimal(let d): return "\(d)d"
            case .boolean(let flag): return "\(flag)"
            case .null: return "null"
            }
        case .path(let path): return path.components.joined(separator: "/") + (path.optional ? "?" : "")
        case .concatenation(let parts): return "cat(" + parts.map(render).joined(separator: ", ") + ")"
        case .call(let name, let arguments, _): return name + "(" + arguments.map(render).joined(separator: ", ") + ")"
        }
    }

    static let valid: [(String, String)] = [
        ("first_name", "first_name"),
        ("a.b.c", "a/b/c"),
        (#"a["odd key"]"#, "a/odd key"),
        ("a['x y'].z", "a/x y/z"),
        ("traits.plan?", "traits/plan?"),
        (#"a.b["c d"].e?"#, "a/b/c d/e?"),
        ("traits?", "traits?"),
        (#""abc""#, "'abc'"),
        ("'abc'", "'abc'"),
        (#"'say "hi"'"#, #"'say "hi"'"#),
        (#""it's""#, "'it's'"),
        ("''", "''"),
        ("true", "true"),
        ("false", "false"),
        ("null", "null"),
        ("nullable", "nullable"),
        ("true_flag", "true_flag"),
        ("_x1", "_x1"),
        ("len", "len"),
        ("  a  ", "a"),
        (#"first_name " " last_name"#, "cat(first_name, ' ', last_name)"),
        (#"x"y""#, "cat(x, 'y')"),
        ("true false", "cat(true, false)"),
        ("'é' name", "cat('é', name)"),
        ("1 2", "cat(1, 2)"),
        ("a -1", "cat(a, -1)"),
        ("upper(first_name)", "upper(first_name)"),
        ("upper( first_name )", "upper(first_name)"),
        ("upper (first_name)", "upper(first_name)"),
        ("lower(a b)", "lower(cat(a, b))"),
        (#"coalesce(a, b, "x")"#, "coalesce(a, b, 'x')"),
        (#"if(eq(a, 1), "one", "other")"#, "if(eq(a, 1), 'one', 'other')"),
        ("array()", "array()"),
        ("map('k', v)", "map('k', v)"),
        ("substring(name, 1, 3)", "substring(name, 1, 3)"),
        ("and(true, null)", "and(true, null)"),
        (#"json_parse('{"a":1}')"#, #"json_parse('{"a":1}')"#),
        ("upper(lower(trim(x)))", "upper(lower(trim(x)))"),
        ("initcap(a) ' ' upper(b)", "cat(initcap(a), ' ', upper(b))"),
        ("len(a.b?)", "len(a/b?)"),
    ]

    @Test(arguments: valid)
    func parses(_ source: String, _ expected: String) throws {
        #expect(Self.render(try Parser.parse(source)) == expected)
    }

    static let strings: [(String, String)] = [
        (#""a\nb""#, "a\nb"),
        (#"'a\tb'"#, "a\tb"),
        (#""\r""#, "\r"),
        (#""\a\b\f\v""#, "\u{07}\u{08}\u{0C}\u{0B}"),
        (#""\\""#, "\\"),
        (#"'\''"#, "'"),
        (#""\"""#, "\""),
        (#"'\"'"#, "\""),
        (#""\u00e9""#, "é"),
        (#""\u00E9t\u00e9""#, "été"),
        (#""\U0001F600""#, "😀"),
        (#""\U0001f600!""#, "😀!"),
        (#""\uFFFF""#, "\u{FFFF}"),
        (#""\U0010FFFF""#, "\u{10FFFF}"),
        (#""\u0041BC""#, "ABC"),
        ("'line\nbreak'", "line\nbreak"),
        ("'日本語'", "日本語"),
    ]

    @Test(arguments: strings)
    func readsEscapes(_ source: String, _ expected: String) throws {
        guard case .literal(.string(let text), _) = try Parser.parse(source) else {
            Issue.record("\(source) is not a string literal")
            return
        }
        #expect(text == expected)
    }

    static let numbers: [(String, String)] = [
        ("0", "int 0"),
        ("42", "int 42"),
        ("-7", "int -7"),
        ("2147483647", "int 2147483647"),
        ("-2147483648", "int -2147483648"),
        ("2147483648", "decimal 2147483648"),
        ("-2147483649", "decimal -2147483649"),
        ("99999999999999999999", "decimal 99999999999999999999"),
        ("1.5", "decimal 1.5"),
        ("-0.25", "decimal -0.25"),
        ("1e3", "decimal 1000"),
        ("2.50", "decimal 2.50"),
        ("0.1", "decimal 0.1"),
    ]

    @Test(arguments: numbers)
    func readsNumbers(_ source: String, _ expected: String) throws {
        switch try Parser.parse(source) {
        case .literal(.int(let n), _): #expect("int \(n)" == expected)
        case .literal(.decimal(let d), _): #expect("decimal \(d)" == expected)
        default: Issue.record("\(source) is not a number")
        }
    }

    /// (source, column, fragment of the message)
    static let invalid: [(String, Int, String)] = [
        ("", 1, "the expression is empty"),
        ("   ", 1, "the expression is empty"),
        ("first-name", 6, "did you mean '_'?"),
        ("a - b", 3, "did you mean '_'?"),
        (#""é" -"#, 5, "did you mean '_'?"),
        ("-", 1, "unexpected '-'"),
        ("upper(last_name", 16, "expected ',' or ')', found the end of the expression"),
        ("upper(", 7, "expected an expression"),
        ("upper(a,)", 9, "expected an expression, found ')'"),
        ("upper(,a)", 7, "expected an expression, found ','"),
        ("upper(a b c", 12, "expected ',' or ')'"),
        (#""abc"#, 1, "the string is not closed"),
        (#"x 'abc""#, 3, "the string is not closed"),
        (#""a\qb""#, 3, "unknown escape sequence \\q"),
        (#""\xff""#, 2, "unknown escape sequence \\x"),
        (#""\u00""#, 2, "4 hexadecimal digits"),
        (#""\u00e""#, 2, "4 hexadecimal digits"),
        (#""\uzzzz""#, 2, "4 hexadecimal digits"),
        (#""\U0001F60""#, 2, "8 hexadecimal digits"),
        (#""\u0000""#, 2, "NUL"),
        (#""\U00000000""#, 2, "NUL"),
        ("\"a\u{0}\"", 3, "NUL"),
        ("a\u{0}", 2, "NUL"),
        (#""\uD800""#, 2, "surrogate"),
        (#""\udfff""#, 2, "surrogate"),
        (#""x\uDC00""#, 3, "surrogate"),
        (#""\U0000D800""#, 2, "surrogate"),
        (#""\U00110000""#, 2, "above U+10FFFF"),
        (#""\UFFFFFFFF""#, 2, "above U+10FFFF"),
        ("a.", 3, "expected a property name after '.'"),
        ("a..b", 3, "expected a property name after '.'"),
        ("a.1", 3, "expected a property name after '.'"),
        ("a[b]", 3, "expected a quoted key after '['"),
        (#"a["b""#, 6, "expected ']'"),
        ("a.b?.c", 5, "'?' must end the path"),
        ("a??", 3, "'?' must end the path"),
        ("?", 1, "unexpected '?'"),
        ("(a)", 1, "parentheses only follow a function name"),
        ("a)", 2, "unexpected ')'"),
        ("a,b", 2, "unexpected ','"),
        ("a .b", 3, "unexpected '.'"),
        (#"a ["b"]"#, 3, "unexpected '['"),
        ("uper(a)", 1, #"unknown function "uper"; did you mean "upper"?"#),
        ("x concat(a, b)", 3, #"unknown function "concat""#),
        ("007", 1, "must not start with 0"),
        ("-01", 2, "must not start with 0"),
        ("1.2.3", 4, "unexpected '.' after a number"),
        ("12abc", 3, "unexpected 'a' after a number"),
        ("1e", 2, "exponent"),
        ("é", 1, "unexpected character 'é'"),
        ("a @ b", 3, "unexpected character '@'"),
        (String(repeating: "upper(", count: 70) + "a" + String(repeating: ")", count: 70), 385, "nested more than 64 deep"),
    ]

    @Test(arguments: invalid)
    func refuses(_ source: String, _ column: Int, _ fragment: String) {
        do {
            let tree = try Parser.parse(source)
            Issue.record("\(source) parsed as \(Self.render(tree))")
        } catch {
            #expect(error.column == column, "\(source): \(error)")
            #expect(error.message.contains(fragment), "\(source): \(error)")
            #expect(error.description.hasPrefix("syntax error in expression \"\(source)\" at column \(column): "))
        }
    }
}
