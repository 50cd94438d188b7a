import OutflowCore

/// A batch's `user` arguments in the columnar form the batch driver reads
/// (``JavaScriptDriver``): one tag per value, one number per value that needs one, and the text
/// of every string joined in one buffer, so a whole batch crosses into JavaScript as two typed
/// arrays and one string instead of one C API call per property (or one JSON text to parse).
///
/// Tags (``JavaScriptDriver/Tag``) keep the per-kind mapping of DESIGN section 8 exact: an
/// integer beyond ±(2^53 − 1) and every unsigned integer travel as decimal digits that become a
/// BigInt, floats (NaN and infinities included) travel as the double itself, decimals, dates,
/// times and uuids as their strings, datetimes as ISO text. The text is UTF-16, the form
/// JavaScriptCore keeps strings in, so making the JavaScript string is one copy (its UTF-8 entry
/// point converts, and stops at a NUL); a string's number is its length in code units, which is
/// how JavaScript slices the joined text.
struct JavaScriptColumnWriter {
    private(set) var tags: [UInt8] = []
    private(set) var numbers: [Double] = []
    private(set) var text: [UInt16] = []

    static let maximumExact = Int64(1) << 53 - 1

    /// A writer whose arrays take over `previous`'s storage, emptied, leaving nil behind (taken,
    /// not copied: a copy left there would make the first append of every batch copy the array).
    init(reusing previous: inout JavaScriptColumnWriter?) {
        if var taken = previous.take() {
            swap(&tags, &taken.tags)
            swap(&numbers, &taken.numbers)
            swap(&text, &taken.text)
        }
        tags.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
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
        if negative { text.append(UInt16(UInt8(ascii: "-"))) }
        var rest = magnitude
        let first = text.count
        repeat {
            text.append(UInt16(UInt8(ascii: "0")) + UInt16(rest % 10))
            rest /= 10
        } while rest > 0
        text[first...].reverse()
        numbers.append(Double(text.count - start))
    }

    /// A string of valid UTF-8 bytes.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) {
        tags.append(JavaScriptDriver.Tag.string)
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        let start = text.count
        if ascii {
            text.append(contentsOf: repeatElement(0, count: bytes.count))
            text.withUnsafeMutableBufferPointer { units in
                for index in bytes.indices { units[start + index] = UInt16(bytes[index]) }
            }
        } else {
            text.append(contentsOf: String(decoding: bytes, as: UTF8.self).utf16)
        }
        numbers.append(Double(text.count - start))
    }

    mutating func string(_ text: String) {
        var copy = text
        copy.withUTF8 { string($0) }
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
        text.append(UInt16(UInt8(ascii: "-")))
        digits(month, 2)
        text.append(UInt16(UInt8(ascii: "-")))
        digits(day, 2)
        text.append(UInt16(UInt8(ascii: "T")))
        digits(seconds / 3600, 2)
        text.append(UInt16(UInt8(ascii: ":")))
        digits(seconds / 60 % 60, 2)
        text.append(UInt16(UInt8(ascii: ":")))
        digits(seconds % 60, 2)
        if instant.nanoseconds != 0 {
            text.append(UInt16(UInt8(ascii: ".")))
            var fraction = Int64(instant.nanoseconds)
            var width = 9
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            digits(fraction, width)
        }
        text.append(UInt16(UInt8(ascii: "Z")))
        tags.append(JavaScriptDriver.Tag.string)
        numbers.append(Double(text.count - start))
    }

    private mutating func digits(_ number: Int64, _ width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = number
        while divisor > 0 {
            text.append(UInt16(UInt8(ascii: "0")) + UInt16(rest / divisor))
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
