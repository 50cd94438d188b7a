import Foundation

/// Decodes text (a CSV cell, a filter value) into a ``Value`` of a given type.
///
/// The byte-level entry point exists for the CSV hot path: integers, floats and booleans are
/// parsed straight from the read buffer without creating a `String`.
public enum TextDecoding {
    /// Decodes `text` as a value of `type`, checking the type's constraints.
    public static func decode(_ text: String, as type: DataType) throws(ValueError) -> Value {
        var copy = text
        return try copy.withUTF8 { bytes in Result { () throws(ValueError) in try decode(bytes, as: type) } }.get()
    }

    /// Decodes UTF-8 `bytes` as a value of `type`, checking the type's constraints.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, as type: DataType) throws(ValueError) -> Value {
        switch type {
        case .int(let t):
            return try checkedInt(bytes, t)
        case .float(let t):
            guard let value = parseDouble(bytes) else { throw invalid(bytes, type) }
            try Constraints.check(float: value, t)
            return .float(t.bitSize == 32 ? Double(Float(value)) : value)
        case .boolean:
            guard let value = parseBool(bytes) else { throw invalid(bytes, type) }
            return .boolean(value)
        case .string(let t):
            let text = try string(bytes)
            try Constraints.check(string: text, t)
            return .string(text)
        default:
            return try decodeText(try string(bytes), as: type)
        }
    }

    private static func decodeText(_ text: String, as type: DataType) throws(ValueError) -> Value {
        switch type {
        case .decimal(let t):
            guard let value = DecimalValue(trimmed(text)) else { throw invalid(text, type) }
            return .decimal(try Constraints.checked(decimal: value, t))
        case .datetime:
            guard let value = DateTimeValue(parsing: text) else { throw ValueError("\(ValueError.quote(text)) is not a valid datetime (expected ISO 8601, such as 2023-01-02T03:04:05Z)") }
            return .datetime(value)
        case .date:
            guard let value = DateValue(parsing: text) else { throw ValueError("\(ValueError.quote(text)) is not a valid date (expected YYYY-MM-DD)") }
            return .date(value)
        case .time:
            guard let value = TimeValue(parsing: text) else { throw ValueError("\(ValueError.quote(text)) is not a valid time (expected hh:mm:ss)") }
            return .time(value)
        case .year:
            guard let value = Int(text), (1...9999).contains(value) else { throw ValueError("\(ValueError.quote(text)) is not a valid year (expected 1 to 9999)") }
            return .year(value)
        case .uuid:
            guard let value = UUIDText.parse(text) else { throw invalid(text, type) }
            return .uuid(value)
        case .ip:
            guard let value = IPAddress.canonical(text) else { throw ValueError("\(ValueError.quote(text)) is not a valid IP address") }
            return .ip(value)
        case .json:
            do {
                return .json(try JSONParser.parse(text))
            } catch {
                throw ValueError("\(ValueError.quote(text)) is not valid JSON (\(error))")
            }
        case .array, .object, .map:
            let json: JSONValue
            do {
                json = try JSONParser.parse(text)
            } catch {
                throw ValueError("\(ValueError.quote(text)) is not valid JSON for \(type.name) (\(error))")
            }
            return try JSONDecoding.decode(json, as: type)
        case .int, .float, .boolean, .string:
            return try decode(text, as: type)
        }
    }

    /// `text` without surrounding white space; a cell that neither starts nor ends with a space or a
    /// non-ASCII byte (nearly all of them) is returned as it is, without Foundation's trimming.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func plain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        if plain(first) && plain(last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) throws(ValueError) -> String {
        guard let text = UTF8Text.string(bytes) else { throw ValueError("invalid UTF-8 text") }
        return text
    }

    static func invalid(_ bytes: UnsafeBufferPointer<UInt8>, _ type: DataType) -> ValueError {
        invalid(String(decoding: bytes, as: UTF8.self), type)
    }

    static func invalid(_ text: String, _ type: DataType) -> ValueError {
        let article = type.kind == .int || type.kind == .ip ? "an" : "a"
        return ValueError("\(ValueError.quote(text)) is not \(article) \(type.name) value")
    }

    static func checkedInt(_ bytes: UnsafeBufferPointer<UInt8>, _ t: IntType) throws(ValueError) -> Value {
        guard let parsed = parseInteger(bytes) else {
            throw invalid(bytes, .int(t))
        }
        return try Constraints.checked(integer: parsed, t, text: { String(decoding: bytes, as: UTF8.self) })
    }

    /// A signed or large unsigned integer in decimal, with optional sign; nil on overflow of 64 bits.
    @inlinable
    public static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> (negative: Bool, magnitude: UInt64)? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
            guard count > 1 else { return nil }
        }
        var magnitude: UInt64 = 0
        while index < count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(digit))
            guard !o1, !o2 else { return nil }
            magnitude = sum
            index += 1
        }
        return (negative, magnitude)
    }

    /// A boolean written as true/false, t/f, yes/no or 1/0, in any case.
    @inlinable
    public static func parseBool(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch bytes.count {
        case 1:
            switch bytes[0] | 0x20 {
            case UInt8(ascii: "t"), UInt8(ascii: "y"): return true
            case UInt8(ascii: "f"), UInt8(ascii: "n"): return false
            default:
                if bytes[0] == UInt8(ascii: "1") { return true }
                if bytes[0] == UInt8(ascii: "0") { return false }
                return nil
            }
        case 2: return matches(bytes, "no") ? false : nil
        case 3: return matches(bytes, "yes") ? true : nil
        case 4: return matches(bytes, "true") ? true : nil
        case 5: return matches(bytes, "false") ? false : nil
        default: return nil
        }
    }

    @inlinable
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let start = word.utf8Start
        for i in 0..<bytes.count where bytes[i] | 0x20 != start[i] { return false }
        return true
    }

    /// Exact powers of ten, 10^0 to 10^22 (the range Clinger's fast path is exact for).
    @usableFromInline static let powersOfTen: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) = (1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22)

    @inlinable
    static func powerOfTen(_ exponent: Int) -> Double {
        withUnsafeBytes(of: powersOfTen) { $0.load(fromByteOffset: exponent &* 8, as: Double.self) }
    }

    /// Parses a float; plain decimals with up to 15 significant digits take an exact fast path
    /// (Clinger's), everything else goes through `strtod`.
    @inlinable
    public static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        var simple = index < count
        while index < count {
            let byte = bytes[index]
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                simple = false
                break
            }
            index += 1
        }
        if simple, digits > 0, digits <= 15, fractionDigits <= 22 {
            let value = Double(mantissa) / powerOfTen(fractionDigits)
            return negative ? -value : value
        }
        return slowDouble(bytes)
    }

    @usableFromInline
    static func slowDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }
}
