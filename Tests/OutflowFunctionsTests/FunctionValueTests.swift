import Foundation
import OutflowCore
import OutflowFunctions
import Testing

/// Every kind goes into each language as its documented native type and comes back unchanged.
@Suite("Function values")
struct FunctionValueTests {
    typealias H = FunctionHarness

    /// A property, a value of its kind, the Python type and the JavaScript `typeof` the function sees.
    static let kinds: [(String, Value, String, String)] = [
        ("s", .string("Zoë 🚀 ñ 中文"), "str", "string"),
        ("s", .string(""), "str", "string"),
        ("b", .boolean(true), "bool", "boolean"),
        ("i", .int(42), "int", "number"),
        ("i", .int(-9_007_199_254_740_991), "int", "number"),
        ("i", .int(9_007_199_254_740_993), "int", "bigint"),
        ("i", .int(Int64.min), "int", "bigint"),
        ("u", .uint(18_446_744_073_709_551_615), "int", "bigint"),
        ("small", .int(-300), "int", "number"),
        ("f", .float(3.25), "float", "number"),
        ("d", H.decimal("12345678901234567890.123456"), "Decimal", "string"),
        ("d", H.decimal("-0.000001"), "Decimal", "string"),
        ("dt", H.datetime("2023-01-02T03:04:05.123456Z"), "datetime", "string"),
        ("dt", H.datetime("0001-01-01T00:00:00Z"), "datetime", "string"),
        ("da", H.date("2024-02-29"), "date", "string"),
        ("t", H.time("23:59:58.5"), "time", "string"),
        ("y", .year(1999), "int", "number"),
        ("id", .uuid(UUID(uuidString: "0F2C4A4E-5B9D-4B8E-9F3A-1C2D3E4F5A6B")!), "UUID", "string"),
        ("j", .json(.object(JSONObject([("a", .number("1")), ("b", .array([.string("x"), .null, .bool(false)]))]))), "dict", "object"),
        ("j", .json(.string("text")), "str", "string"),
        ("ip", .ip("192.168.0.1"), "str", "string"),
        ("arr", .array([.string("a"), .string("ü")]), "list", "object"),
        ("obj", .object(ValueObject([("a", .string("x")), ("n", .int(7))])), "dict", "object"),
        ("m", .map(ValueObject([("k1", .int(1)), ("k2", .int(2))])), "dict", "object"),
        ("s", .null, "NoneType", "object"),
    ]

    @Test("values round-trip through Python unchanged", arguments: kinds)
    func pythonRoundTrip(_ row: (String, Value, String, String)) throws {
        try roundTrip(.python, row)
    }

    @Test("values round-trip through JavaScript unchanged", arguments: kinds)
    func javaScriptRoundTrip(_ row: (String, Value, String, String)) throws {
        try roundTrip(.javaScript, row)
    }

    private func roundTrip(_ language: TransformationFunction.Language, _ row: (String, Value, String, String)) throws {
        let (property, value, _, _) = row
        let function = try H.function(language, identity(language), in: [property], out: [property])
        let result = function.transform(ValueObject([(property, value)]), action: .either)
        #expect((try? result.get()) == ValueObject([(property, value)]), "\(language) \(property) \(value): \(result)")
    }

    @Test("Python sees each kind as its documented type", arguments: kinds)
    func pythonTypes(_ row: (String, Value, String, String)) throws {
        let (property, value, python, _) = row
        let source = """
            def transform(user):
                return {"label": None, "s": type(user["\(property)"]).__name__}
            """
        let function = try H.function(.python, source, in: [property], out: ["s", "label"])
        #expect(H.run(function, ValueObject([(property, value)])) == #"{"s":"\#(python)","label":null}"#)
    }

    @Test("JavaScript sees each kind as its documented type", arguments: kinds)
    func javaScriptTypes(_ row: (String, Value, String, String)) throws {
        let (property, value, _, javaScript) = row
        let source = "function transform(user) { return { s: typeof user[\"\(property)\"] }; }"
        let function = try H.function(.javaScript, source, in: [property], out: ["s"])
        #expect(H.run(function, ValueObject([(property, value)])) == #"{"s":"\#(javaScript)"}"#)
    }

    @Test("Python datetimes are aware and in UTC; zoned results are converted to UTC")
    func pythonZones() throws {
        let source = """
            import datetime
            def transform(user):
                dt = user["dt"]
                zone = datetime.timezone(datetime.timedelta(hours=2))
                return {"s": str(dt.tzinfo), "dt": datetime.datetime(2023, 6, 1, 12, 0, tzinfo=zone), "da": dt.date(), "t": dt.time()}
            """
        let function = try H.function(.python, source, in: ["dt"], out: ["s", "dt", "da", "t"])
        #expect(H.run(function, ValueObject([("dt", H.datetime("2023-01-02T03:04:05Z"))])) == #"{"s":"UTC","dt":"2023-06-01T10:00:00Z","da":"2023-01-02","t":"03:04:05"}"#)
    }

    @Test("JavaScript ISO strings with offsets and Date objects become UTC datetimes")
    func javaScriptZones() throws {
        let source = """
            function transform(user) {
                return { dt: "2023-06-01T12:00:00+02:00", s: new Date(user.dt).toISOString(), da: user.dt.slice(0, 10) };
            }
            """
        let function = try H.function(.javaScript, source, in: ["dt"], out: ["s", "dt", "da"])
        #expect(H.run(function, ValueObject([("dt", H.datetime("2023-01-02T03:04:05Z"))])) == #"{"s":"2023-01-02T03:04:05.000Z","dt":"2023-06-01T10:00:00Z","da":"2023-01-02"}"#)
        let dates = try H.function(.javaScript, "function transform(u) { return { dt: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 250)) }; }", in: ["s"], out: ["dt"])
        #expect(H.run(dates, ValueObject()) == #"{"dt":"2020-01-02T03:04:05.25Z"}"#)
    }

    @Test("big integers, decimals and arithmetic keep their exact values", arguments: bothLanguages)
    func exactNumbers(_ language: TransformationFunction.Language) throws {
        let source: String
        switch language {
        case .python:
            source = """
                from decimal import Decimal
                def transform(user):
                    return {"i": user["i"] + 1, "d": user["d"] * 2, "u": user["u"] - 1}
                """
        case .javaScript:
            source = "function transform(user) { return { i: user.i + 1n, d: (Number(user.d) * 2).toFixed(6), u: user.u - 1n }; }"
        }
        let function = try H.function(language, source, in: ["i", "d", "u"], out: ["i", "d", "u"])
        let profile = ValueObject([("i", .int(9_007_199_254_740_993)), ("d", H.decimal("1.25")), ("u", .uint(18_446_744_073_709_551_615))])
        #expect(H.run(function, profile) == #"{"i":9007199254740994,"u":18446744073709551614,"d":"2.500000"}"#)
    }

    @Test("an integer beyond the property's range fails the profile naming it", arguments: bothLanguages)
    func integerRange(_ language: TransformationFunction.Language) throws {
        let source = language == .python ? "def transform(user):\n    return {\"small\": 2**70}" : "function transform(user) { return { small: 2n ** 70n }; }"
        let function = try H.function(language, source, in: ["s"], out: ["small"])
        #expect(H.run(function, ValueObject()).hasPrefix("error: «1180591620717411303424» is out of range for int(16)"))
        #expect(H.run(function, ValueObject()).hasSuffix("while mapping to «small»"))
    }

    @Test("preserveJSON passes json values as text and parses returned text", arguments: bothLanguages)
    func preserveJSON(_ language: TransformationFunction.Language) throws {
        let source: String
        switch language {
        case .python: source = "def transform(user):\n    return {\"s\": type(user[\"j\"]).__name__ + \" \" + user[\"j\"], \"j\": '{\"z\": [1, 2]}'}"
        case .javaScript: source = "function transform(user) { return { s: typeof user.j + \" \" + user.j, j: '{\"z\": [1, 2]}' }; }"
        }
        let function = try H.function(language, source, in: ["j"], out: ["s", "j"], preserveJSON: true)
        let profile = ValueObject([("j", .json(.object(JSONObject([("a", .number("1"))]))))])
        let expected = language == .python ? #"{"s":"str {\"a\":1}","j":{"z":[1,2]}}"# : #"{"s":"string {\"a\":1}","j":{"z":[1,2]}}"#
        #expect(H.run(function, profile) == expected)
        let bad = try H.function(language, language == .python ? "def transform(u):\n    return {\"j\": \"{oops\"}" : "function transform(u) { return { j: '{oops' }; }", in: ["j"], out: ["j"], preserveJSON: true)
        #expect(H.run(bad, profile).hasPrefix("error: «{oops» is not valid JSON"))
    }

    @Test("nulls and missing values", arguments: bothLanguages)
    func nulls(_ language: TransformationFunction.Language) throws {
        let source: String
        switch language {
        case .python: source = "def transform(user):\n    return {\"s\": user.get(\"s\"), \"j\": None, \"i\": None}"
        case .javaScript: source = "function transform(user) { return { s: user.s === undefined ? \"absent\" : user.s, j: null, i: null }; }"
        }
        let function = try H.function(language, source, in: ["s"], out: ["s", "j", "i"])
        // A nullable property takes null; json takes JSON null.
        #expect(H.run(function, ValueObject([("s", .null)])) == #"{"s":null,"i":null,"j":null}"#)
        let absent = language == .python ? #"{"s":null,"i":null,"j":null}"# : #"{"s":"absent","i":null,"j":null}"#
        #expect(H.run(function, ValueObject()) == absent)
    }
}
