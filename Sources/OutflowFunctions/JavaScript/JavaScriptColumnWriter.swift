import OutflowCore

/// A batch's `user` arguments in the columnar form the batch driver reads
/// (``JavaScriptDriver``): one tag per value, one number per value that needs one, and the text
/// of every string joined in one buffer, so a whole batch crosses into JavaScript as two typed
/// arrays and one string instead of one C API call per property (or one JSON text to parse).
///
/// Tags (``JavaScriptDriver/Tag``) keep the per-kind mapping of DESIGN section 8 exact: an
/// integer beyond ±(2^53 − 1) and every unsigned integer travel as decimal digits that become a
/// BigInt, floats (NaN and infinities included) travel as the double itself, decimals, dates,
/// times and uuids as their strings, datetimes as ISO text. A string's number is its length in
/// UTF-16 code units, which is how JavaScript slices the joined text; a string holding a NUL byte
/// (which the C API's UTF-8 entry point would cut) travels as its code units, one number each.
struct JavaScriptColumnWriter {
    private(set) var tags: [UInt8] = []
    private(set) var numbers: [Double] = []
    /// UTF-8, NUL-terminated once ``finish()`` ran.
    private(set) var text: [UInt8] = []

    static let maximumExact = Int64(1) << 53 - 1

    /// A writer whose arrays reuse `previous`'s storage, emptied.
    init(reusing previous: JavaScriptColumnWriter? = nil) {
        if let previous {
            tags = previous.tags
            numbers = previous.numbers
            text = previous.text
        }
        tags.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }

    /// Ends the text with the NUL `JSStringCreateWithUTF8CString` needs.
    mutating func finish() {
        text.append(0)
    }

    // MARK: Scalars

    mutating func absent() { tags.append(JavaScriptDriver.Tag.absent) }

    mutating func null() { tags.append(JavaScriptDriver.Tag.null) }

    mutating func boolean(_ flag: Bool) { tags.append(flag ? JavaScriptDriver.Tag.true : JavaScriptDriver.Tag.false) }

    mutating func number(_ number: Double) {
        tags.append(JavaScriptDriver.Tag.number)
        numbers.append(number)
    }

    mutating func integer(_ number: Int64) {
        if number >= -Self.maximumExact, number <= Self.maximumExact {
            self.number(Double(number))
        } else {
            bigInt(number.magnitude, negative: number < 0)
        }
    }

    /// Unsigned integers are always BigInts, as they were through the C API.
    mutating func unsigned(_ number: UInt64) {
        bigInt(number, negative: false)
    }

    private mutating func bigInt(_ magnitude: UInt64, negative: Bool) {
        tags.append(JavaScriptDriver.Tag.bigInt)
        let start = text.count
        if negative { text.append(UInt8(ascii: "-")) }
        var rest = magnitude
        let first = text.count
        repeat {
            text.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        text[first...].reverse()
        numbers.append(Double(text.count - start))
    }

    /// A string of valid UTF-8 bytes.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) {
        var units = 0
        for byte in bytes {
            if byte == 0 {
                codeUnits(bytes)
                return
            }
            // Every byte but a continuation starts a code unit; a 4-byte sequence makes two.
            units &+= (byte & 0xC0) != 0x80 ? 1 : 0
            units &+= byte >= 0xF0 ? 1 : 0
        }
        tags.append(JavaScriptDriver.Tag.string)
        numbers.append(Double(units))
        text.append(contentsOf: bytes)
    }

    mutating func string(_ text: String) {
        var copy = text
        copy.withUTF8 { string($0) }
    }

    private mutating func codeUnits(_ bytes: UnsafeBufferPointer<UInt8>) {
        tags.append(JavaScriptDriver.Tag.codeUnits)
        let units = String(decoding: bytes, as: UTF8.self).utf16
        numbers.append(Double(units.count))
        for unit in units { numbers.append(Double(unit)) }
    }

    /// A datetime as its ISO text (``DateTimeValue/description``), written without a String for
    /// the common years.
    mutating func datetime(_ instant: DateTimeValue) {
        let days = instant.seconds >= 0 ? instant.seconds / 86_400 : (instant.seconds - 86_399) / 86_400
        let seconds = instant.seconds - days * 86_400
        let (year, month, day) = CivilDays.civil(days: days)
        guard (1...9999).contains(year), instant.nanoseconds >= 0, instant.nanoseconds < 1_000_000_000 else {
            string(instant.description)
            return
        }
        let start = text.count
        digits(year, 4)
        text.append(UInt8(ascii: "-"))
        digits(month, 2)
        text.append(UInt8(ascii: "-"))
        digits(day, 2)
        text.append(UInt8(ascii: "T"))
        digits(seconds / 3600, 2)
        text.append(UInt8(ascii: ":"))
        digits(seconds / 60 % 60, 2)
        text.append(UInt8(ascii: ":"))
        digits(seconds % 60, 2)
        if instant.nanoseconds != 0 {
            text.append(UInt8(ascii: "."))
            var fraction = Int64(instant.nanoseconds)
            var width = 9
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            digits(fraction, width)
        }
        text.append(UInt8(ascii: "Z"))
        // ASCII: one code unit a byte.
        tags.append(JavaScriptDriver.Tag.string)
        numbers.append(Double(text.count - start))
    }

    private mutating func digits(_ number: Int64, _ width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = number
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    // MARK: Any value

    /// Any value, as DESIGN section 8 maps it.
    mutating func value(_ value: Value) {
        switch value {
        case .null: null()
        case .boolean(let flag): boolean(flag)
        case .int(let number): integer(number)
        case .uint(let number): unsigned(number)
        case .float(let number): self.number(number)
        case .year(let year): self.number(Double(year))
        case .decimal(let decimal): string(decimal.description)
        case .string(let text), .ip(let text): string(text)
        case .datetime(let instant): datetime(instant)
        case .date(let date): string(date.description)
        case .time(let time): string(time.description)
        case .uuid(let uuid): string(uuid.uuidString.lowercased())
        case .json(let json): self.json(json)
        case .array(let items):
            tags.append(JavaScriptDriver.Tag.array)
            numbers.append(Double(items.count))
            for item in items { self.value(item) }
        case .object(let members), .map(let members):
            object(members)
        }
    }

    /// An object: its member count, then each key (as a string value) and value.
    mutating func object(_ members: ValueObject) {
        tags.append(JavaScriptDriver.Tag.object)
        numbers.append(Double(members.members.count))
        for member in members.members {
            string(member.key)
            value(member.value)
        }
    }

    private mutating func json(_ json: JSONValue) {
        switch json {
        case .null: null()
        case .bool(let flag): boolean(flag)
        case .string(let text): string(text)
        // A JSON number arrives as the double it reads as (a big integer is rounded, as before).
        case .number(let text): number(Double(text) ?? .nan)
        case .array(let items):
            tags.append(JavaScriptDriver.Tag.array)
            numbers.append(Double(items.count))
            for item in items { self.json(item) }
        case .object(let object):
            tags.append(JavaScriptDriver.Tag.object)
            numbers.append(Double(object.members.count))
            for member in object.members {
                string(member.key)
                self.json(member.value)
            }
        }
    }
}
