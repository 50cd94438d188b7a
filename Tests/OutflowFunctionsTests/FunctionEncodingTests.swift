import Foundation
import OutflowCore
@testable import OutflowFunctions
import Testing

/// The edges of the two batch encodings: JavaScript's columns (JavaScriptColumnWriter, the
/// generated driver, JavaScriptColumnReader) and the worker's binary frames (FunctionWireBinary).
@Suite("Function encodings")
struct FunctionEncodingTests {
    typealias H = FunctionHarness

    /// Strings that a joined text with separators, NUL-terminated C strings or UTF-16 slicing
    /// could get wrong.
    static let strings: [String] = [
        "", "a", "\u{0}", "a\u{0}b\u{0}", "🚀", "a🚀b", "Zoë ñ 中文", "\u{2028}\u{2029}", "x\"y\\z\n\t", "\u{FFFF}\u{FFFD}",
        String(repeating: "é", count: 300), "\u{1}\u{1F}\u{7F}",
    ]

    @Test("strings cross into JavaScript and back unchanged", arguments: strings)
    func javaScriptStrings(_ text: String) throws {
        let function = try H.function(.javaScript, "function transform(user) { return { s: user.s, label: String(user.s.length) }; }", in: ["s"], out: ["s", "label"])
        let expected = text.isEmpty ? #"{"s":"","label":"0"}"# : JSONWriter.string(Value.object(ValueObject([("s", .string(text)), ("label", .string(String(text.utf16.count)))])).json)
        #expect(H.run(function, ValueObject([("s", .string(text))])) == expected)
    }

    @Test("a batch of many strings keeps each one's boundaries")
    func javaScriptStringBatch() throws {
        let function = try H.function(.javaScript, identity(.javaScript), in: ["s", "email"], out: ["s", "email"])
        let profiles = (0..<500).map { index in
            ValueObject([("s", .string(Self.strings[index % Self.strings.count])), ("email", .string(Self.strings[(index * 7) % Self.strings.count] + "@x"))])
        }
        let results = function.transform(profiles, action: .either)
        #expect(results.map { try? $0.get() } == profiles.map { Optional($0) })
    }

    @Test("a lone surrogate returned by JavaScript becomes U+FFFD")
    func loneSurrogate() throws {
        let function = try H.function(.javaScript, #"function transform(user) { return { s: "a\uD800b\uDC00c" }; }"#, in: ["s"], out: ["s"])
        #expect(H.run(function, ValueObject()) == #"{"s":"a\#u{FFFD}b\#u{FFFD}c"}"#)
    }

    @Test("NaN and infinities arrive as numbers", arguments: [(Double.nan, "NaN"), (.infinity, "Infinity"), (-.infinity, "-Infinity"), (-0.0, "0")])
    func nonFinite(_ row: (Double, String)) throws {
        let function = try H.function(.javaScript, "function transform(user) { return { s: typeof user.f + ' ' + String(user.f) }; }", in: ["f"], out: ["s"])
        #expect(H.run(function, ValueObject([("f", .float(row.0))])) == #"{"s":"number \#(row.1)"}"#)
    }

    @Test("integers at the edge of exactness: numbers up to 2^53 − 1, BigInts beyond, both ways")
    func exactness() throws {
        let source = "function transform(user) { return { s: typeof user.i, i: user.i, u: typeof user.i === 'bigint' ? user.i * 2n : 2n ** 64n - 1n }; }"
        let function = try H.function(.javaScript, source, in: ["i"], out: ["s", "i", "u"])
        #expect(H.run(function, ValueObject([("i", .int(9_007_199_254_740_991))])) == #"{"s":"number","i":9007199254740991,"u":18446744073709551615}"#)
        #expect(H.run(function, ValueObject([("i", .int(9_007_199_254_740_993))])) == #"{"s":"bigint","i":9007199254740993,"u":18014398509481986}"#)
        #expect(H.run(function, ValueObject([("i", .int(-9_007_199_254_740_993))])).hasPrefix("error: «-18014398509481986» is out of range"))
        // A number beyond 2^53 − 1 is not an exact integer: it reads as a float, as through the C API.
        let returned = try H.function(.javaScript, "function transform(user) { return { i: 2n ** 53n + 1n, f: 2 ** 53 + 2 }; }", in: ["s"], out: ["i", "f"])
        #expect(H.run(returned, ValueObject()) == #"{"i":9007199254740993,"f":9.007199254740994e+15}"#)
    }

    @Test("nested objects, arrays and json cross both ways, with __proto__ as a plain key")
    func nested() throws {
        let function = try H.function(.javaScript, identity(.javaScript), in: ["obj", "arr", "j", "m"], out: ["obj", "arr", "j", "m"])
        let json = JSONValue.object(JSONObject([
            ("__proto__", .number("1")), ("list", .array([.array([]), .object(JSONObject()), .null, .bool(true), .string("")])),
            ("deep", .object(JSONObject([("x", .object(JSONObject([("y", .number("2.5"))])))]))),
        ]))
        // In outSchema's order, which the user follows.
        let profile = ValueObject([
            ("j", .json(json)), ("arr", .array([.string(""), .string("b")])), ("obj", .object(ValueObject([("a", .string("")), ("n", .int(-1))]))),
            ("m", .map(ValueObject([("k", .int(9_007_199_254_740_993))]))),
        ])
        #expect((try? function.transform(profile, action: .either).get()) == profile)
    }

    @Test("null and missing stay apart on the way in and out")
    func nullAndMissing() throws {
        let source = "function transform(user) { return { s: 's' in user ? String(user.s) : 'missing', i: user.s === null ? null : undefined, label: 'x', extra: undefined }; }"
        let function = try H.function(.javaScript, source, in: ["s"], out: ["s", "i", "label"])
        #expect(H.run(function, ValueObject([("s", .null)])) == #"{"s":"null","i":null,"label":"x"}"#)
        #expect(H.run(function, ValueObject()) == #"{"s":"missing","label":"x"}"#)
    }

    @Test("a result mixing Dates with plain values is read whole through the C API")
    func slowResults() throws {
        let source = "function transform(user) { return user.s === 'date' ? { s: 'd', dt: new Date(Date.UTC(2001, 1, 3)) } : { s: user.s }; }"
        let function = try H.function(.javaScript, source, in: ["s"], out: ["s", "dt"])
        let results = function.transform([ValueObject([("s", .string("a"))]), ValueObject([("s", .string("date"))]), ValueObject([("s", .string("b"))])], action: .either)
        #expect(results.map { (try? $0.get()).map { JSONWriter.string(Value.object($0).json) } } == [#"{"s":"a"}"#, #"{"s":"d","dt":"2001-02-03T00:00:00Z"}"#, #"{"s":"b"}"#])
    }

    @Test("inPaths that interleave keys go in as whole objects")
    func interleavedInPaths() throws {
        let source = "function transform(user) { return { s: JSON.stringify(user) }; }"
        let function = try H.function(.javaScript, source, in: ["obj.a", "s", "obj.n"], out: ["s"])
        let profile = ValueObject([("s", .string("x")), ("obj", .object(ValueObject([("a", .string("y")), ("n", .int(2))])))])
        #expect(H.run(function, profile) == #"{"s":"{\"obj\":{\"a\":\"y\",\"n\":2},\"s\":\"x\"}"}"#)
    }

    // MARK: Worker frames

    static let wireValues: [Value] = [
        .null, .boolean(false), .boolean(true), .int(Int64.min), .int(9_007_199_254_740_993), .uint(UInt64.max), .float(-0.5),
        .float(.infinity), .float(-.infinity), .decimal(DecimalValue("-12345678901234567890.000001")!), .string(""), .string("a\u{0}🚀"),
        .datetime(DateTimeValue(seconds: -1, nanoseconds: 999_999_999)), H.date("0001-01-01"), H.time("23:59:59.5"), .year(-44),
        .uuid(UUID(uuidString: "0F2C4A4E-5B9D-4B8E-9F3A-1C2D3E4F5A6B")!), .ip("::1"),
        .json(.object(JSONObject([("n", .number("1.50")), ("a", .array([.null, .string("")]))]))), .array([]), .array([.null, .array([.int(1)])]),
        .object(ValueObject([("", .string("")), ("nested", .object(ValueObject([("k", .map(ValueObject([("x", .int(1))])))])))])),
        .map(ValueObject()),
    ]

    @Test("every kind crosses the worker's binary frame unchanged", arguments: wireValues)
    func wireRoundTrip(_ value: Value) throws {
        var writer = FunctionWireBinary.Writer(message: FunctionWireBinary.Message.answer)
        writer.value(value)
        var reader = FunctionWireBinary.Reader(writer.bytes)
        #expect(try reader.byte() == FunctionWireBinary.Message.answer)
        #expect(try reader.value() == value)
        #expect(reader.isAtEnd)
    }

    @Test("NaN crosses the worker's binary frame as NaN")
    func wireNaN() throws {
        var writer = FunctionWireBinary.Writer(message: FunctionWireBinary.Message.answer)
        writer.value(.float(.nan))
        var reader = FunctionWireBinary.Reader(writer.bytes)
        _ = try reader.byte()
        guard case .float(let number) = try reader.value() else { throw FunctionWire.Malformed() }
        #expect(number.isNaN)
    }

    @Test("a cut or corrupt frame is refused, never read past its end")
    func wireMalformed() {
        var writer = FunctionWireBinary.Writer(message: FunctionWireBinary.Message.answer)
        writer.value(.object(ValueObject([("key", .array([.string("text"), .int(1)]))])))
        for length in 1..<writer.bytes.count {
            var reader = FunctionWireBinary.Reader(Array(writer.bytes[0..<length]))
            #expect(throws: FunctionWire.Malformed.self) {
                _ = try reader.byte()
                _ = try reader.value()
            }
        }
        var huge = FunctionWireBinary.Reader([FunctionWireBinary.Message.answer, 15, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: FunctionWire.Malformed.self) {
            _ = try huge.byte()
            _ = try huge.value()
        }
    }
}
