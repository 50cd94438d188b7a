import OutflowCore

/// Reads the results stream the batch driver writes (``JavaScriptDriver``): tags, numbers, and
/// the joined text as UTF-16 code units. Every read is bounds-checked, so a stream cut short (a
/// function that broke the driver's built-ins) fails its rows instead of reading past the end.
///
/// Values read as ``JavaScriptFunction/value(_:at:)`` reads them through the C API: a number
/// that is an exact integer becomes an int, any other a float; a BigInt an int, a uint or (beyond
/// 64 bits) a decimal; strings are decoded from UTF-16, lone surrogates becoming U+FFFD.
struct JavaScriptColumnReader {
    private let tags: UnsafeBufferPointer<UInt8>
    private let numbers: UnsafeBufferPointer<Double>
    private let text: UnsafeBufferPointer<UInt16>
    private var tag = 0
    private var number = 0
    private var position = 0

    /// The stream ended early or held a tag out of place.
    struct Malformed: Error {}

    init(tags: UnsafeBufferPointer<UInt8>, numbers: UnsafeBufferPointer<Double>, text: UnsafeBufferPointer<UInt16>) {
        self.tags = tags
        self.numbers = numbers
        self.text = text
    }

    mutating func nextTag() throws(Malformed) -> UInt8 {
        guard tag < tags.count else { throw Malformed() }
        defer { tag += 1 }
        return tags[tag]
    }

    private mutating func nextNumber() throws(Malformed) -> Double {
        guard number < numbers.count else { throw Malformed() }
        defer { number += 1 }
        return numbers[number]
    }

    private mutating func nextCount() throws(Malformed) -> Int {
        let value = try nextNumber()
        guard value >= 0, value <= Double(Int32.max) else { throw Malformed() }
        return Int(value)
    }

    /// A string: its length, then its piece of the text.
    mutating func string() throws(Malformed) -> String {
        let count = try nextCount()
        guard count <= text.count - position else { throw Malformed() }
        defer { position += count }
        return Self.string(UnsafeBufferPointer(rebasing: text[position..<position + count]))
    }

    /// UTF-16 to a String, written straight into its UTF-8 storage; a lone surrogate becomes
    /// U+FFFD, as `String(decoding:as:)` makes it (which is generic here, and several times slower).
    static func string(_ units: UnsafeBufferPointer<UInt16>) -> String {
        var ascii = true
        for unit in units where unit >= 0x80 {
            ascii = false
            break
        }
        if ascii {
            return String(unsafeUninitializedCapacity: units.count) { bytes in
                for index in units.indices { bytes[index] = UInt8(truncatingIfNeeded: units[index]) }
                return units.count
            }
        }
        return String(unsafeUninitializedCapacity: units.count * 3) { bytes in
            var out = 0
            var index = 0
            while index < units.count {
                var scalar = UInt32(units[index])
                index += 1
                if scalar & 0xF800 == 0xD800 {
                    if scalar < 0xDC00, index < units.count, units[index] & 0xFC00 == 0xDC00 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (UInt32(units[index]) - 0xDC00)
                        index += 1
                    } else {
                        scalar = 0xFFFD
                    }
                }
                switch scalar {
                case ..<0x80:
                    bytes[out] = UInt8(scalar)
                    out += 1
                case ..<0x800:
                    bytes[out] = UInt8(0xC0 | scalar >> 6)
                    bytes[out + 1] = UInt8(0x80 | scalar & 0x3F)
                    out += 2
                case ..<0x10000:
                    bytes[out] = UInt8(0xE0 | scalar >> 12)
                    bytes[out + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                    bytes[out + 2] = UInt8(0x80 | scalar & 0x3F)
                    out += 3
                default:
                    bytes[out] = UInt8(0xF0 | scalar >> 18)
                    bytes[out + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
                    bytes[out + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
                    bytes[out + 3] = UInt8(0x80 | scalar & 0x3F)
                    out += 4
                }
            }
            return out
        }
    }

    /// The value after a value tag, or nil for ``JavaScriptDriver/Tag/absent``.
    mutating func value() throws(Malformed) -> Value? {
        switch try nextTag() {
        case JavaScriptDriver.Tag.absent: return nil
        case JavaScriptDriver.Tag.null: return .null
        case JavaScriptDriver.Tag.false: return .boolean(false)
        case JavaScriptDriver.Tag.true: return .boolean(true)
        case JavaScriptDriver.Tag.number:
            let number = try nextNumber()
            if number == number.rounded(), abs(number) <= Double(JavaScriptColumnWriter.maximumExact) { return .int(Int64(number)) }
            return .float(number)
        case JavaScriptDriver.Tag.string:
            return .string(try string())
        case JavaScriptDriver.Tag.bigInt:
            let digits = try string()
            if let number = Int64(digits) { return .int(number) }
            if let number = UInt64(digits) { return .uint(number) }
            return .decimal(DecimalValue(digits) ?? DecimalValue(0))
        case JavaScriptDriver.Tag.array:
            let count = try nextCount()
            var items: [Value] = []
            items.reserveCapacity(min(count, 1 << 16))
            for _ in 0..<count { items.append(try value() ?? .null) }
            return .array(items)
        case JavaScriptDriver.Tag.object:
            let count = try nextCount()
            var members: [(key: String, value: Value)] = []
            members.reserveCapacity(min(count, 1 << 16))
            for _ in 0..<count {
                let key = try string()
                members.append((key, try value() ?? .null))
            }
            return .object(ValueObject(members))
        default:
            throw Malformed()
        }
    }
}
