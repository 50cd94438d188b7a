/// An instant in UTC with nanosecond precision, for the datetime kind (years 1 to 9999).
///
/// Seconds since 1970-01-01T00:00:00Z plus nanoseconds, because 64-bit nanoseconds alone do not
/// reach year 9999.
public struct DateTimeValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: DateTimeValue, rhs: DateTimeValue) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// The UTC calendar date of this instant.
    public var date: DateValue {
        DateValue(days: Int32(floorDiv(seconds, 86_400)))
    }

    /// The UTC time of day of this instant.
    public var time: TimeValue {
        TimeValue(nanoseconds: floorMod(seconds, 86_400) * 1_000_000_000 + Int64(nanoseconds))
    }

    /// RFC 3339 in UTC: `2023-01-02T03:04:05Z`, with a fraction only when non-zero, trailing zeros removed.
    public var description: String {
        date.description + "T" + time.description + "Z"
    }

    /// Parses ISO 8601 / RFC 3339: `2023-01-02T03:04:05.123+02:00`, a space instead of `T`,
    /// `Z` or an offset (none means UTC), or a bare date (midnight UTC).
    public init?(parsing text: some StringProtocol) {
        var copy = String(text)
        guard let value = copy.withUTF8({ DateTimeValue(utf8: $0) }) else { return nil }
        self = value
    }

    /// Parses UTF-8 bytes as ``init(parsing:)`` does, without making a `String` (the CSV hot path).
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if let fast = DateTimeValue.parseUTC(bytes) {
            self = fast
            return
        }
        var scanner = ByteScanner(bytes)
        guard let date = scanner.date() else { return nil }
        if scanner.atEnd {
            self.init(seconds: Int64(date.days) * 86_400)
            return
        }
        guard scanner.consume(UInt8(ascii: "T")) || scanner.consume(UInt8(ascii: "t")) || scanner.consume(UInt8(ascii: " ")),
            let time = scanner.time()
        else { return nil }
        var offsetSeconds: Int64 = 0
        if scanner.consume(UInt8(ascii: "Z")) || scanner.consume(UInt8(ascii: "z")) {
        } else if let sign = scanner.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            scanner.advance()
            guard let hours = scanner.digits(2), hours < 24 else { return nil }
            _ = scanner.consume(UInt8(ascii: ":"))
            guard let minutes = scanner.digits(2), minutes < 60 else { return nil }
            offsetSeconds = Int64(hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard scanner.atEnd else { return nil }
        let total = Int64(date.days) * 86_400 + time.nanoseconds / 1_000_000_000 - offsetSeconds
        let result = DateTimeValue(seconds: total, nanoseconds: Int32(time.nanoseconds % 1_000_000_000))
        guard result.seconds >= DateTimeValue.minimumSeconds, result.seconds <= DateTimeValue.maximumSeconds else { return nil }
        self = result
    }

    /// The common shape `YYYY-MM-DDThh:mm:ss[.f…]Z` read at fixed offsets, or nil for anything else
    /// (which the general scanner then reads). Warehouse exports write datetimes this way, so this
    /// is the CSV hot path's case.
    @inline(__always)
    static func parseUTC(_ b: UnsafeBufferPointer<UInt8>) -> DateTimeValue? {
        let count = b.count
        guard count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[count - 1] == 0x5A else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let d = b[i] &- 0x30
            return d < 10 ? Int(d) : nil
        }
        @inline(__always) func two(_ i: Int) -> Int? {
            guard let h = digit(i), let l = digit(i + 1) else { return nil }
            return h * 10 + l
        }
        guard let y1 = two(0), let y2 = two(2), let month = two(5), let day = two(8), let hour = two(11), let minute = two(14),
            let second = two(17), hour < 24, minute < 60, second < 60
        else { return nil }
        let year = y1 * 100 + y2
        guard year >= 1, (1...12).contains(month), day >= 1, day <= DateValue.daysInMonth(year: year, month: month) else { return nil }
        var nanos: Int64 = 0
        if count > 20 {
            // A fraction: '.' then 1 to 9 digits, then the final 'Z'.
            guard b[19] == 0x2E, count - 21 >= 1, count - 21 <= 9 else { return nil }
            for i in 20..<(count - 1) {
                guard let d = digit(i) else { return nil }
                nanos = nanos * 10 + Int64(d)
            }
            for _ in 0..<(9 - (count - 21)) { nanos *= 10 }
        }
        let days = Int64(DateValue.daysFromCivil(year: year, month: month, day: day))
        return DateTimeValue(seconds: days * 86_400 + Int64(hour * 3600 + minute * 60 + second), nanoseconds: Int32(nanos))
    }

    /// 0001-01-01T00:00:00Z.
    public static let minimumSeconds: Int64 = Int64(DateValue.minimumDays) * 86_400
    /// 9999-12-31T23:59:59Z.
    public static let maximumSeconds: Int64 = Int64(DateValue.maximumDays) * 86_400 + 86_399
}

/// A calendar date without a zone, for the date kind: days since 1970-01-01.
public struct DateValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var days: Int32

    public init(days: Int32) {
        self.days = days
    }

    /// The date of year `year`, month 1-12, day 1-31, or nil when it does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= DateValue.daysInMonth(year: year, month: month)
        else { return nil }
        self.days = Int32(DateValue.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD`.
    public init?(parsing text: some StringProtocol) {
        var copy = String(text)
        guard let date = copy.withUTF8({ bytes -> DateValue? in
            var scanner = ByteScanner(bytes)
            guard let date = scanner.date(), scanner.atEnd else { return nil }
            return date
        }) else { return nil }
        self = date
    }

    public static func < (lhs: DateValue, rhs: DateValue) -> Bool { lhs.days < rhs.days }

    public static let minimumDays = daysFromCivil(year: 1, month: 1, day: 1)
    public static let maximumDays = daysFromCivil(year: 9999, month: 12, day: 31)

    /// Year, month and day in the proleptic Gregorian calendar.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public var description: String {
        let (y, m, d) = components
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A time of day without a zone, for the time kind: nanoseconds since midnight.
public struct TimeValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// Parses `hh:mm:ss[.fffffffff]` (also `hh:mm`).
    public init?(parsing text: some StringProtocol) {
        var copy = String(text)
        guard let time = copy.withUTF8({ bytes -> TimeValue? in
            var scanner = ByteScanner(bytes)
            guard let time = scanner.time(), scanner.atEnd else { return nil }
            return time
        }) else { return nil }
        self = time
    }

    public static func < (lhs: TimeValue, rhs: TimeValue) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// `hh:mm:ss`, with a fraction only when non-zero and without trailing zeros.
    public var description: String {
        let totalSeconds = nanoseconds / 1_000_000_000
        let fraction = nanoseconds % 1_000_000_000
        var text = pad(Int(totalSeconds / 3600), 2) + ":" + pad(Int(totalSeconds / 60 % 60), 2) + ":" + pad(Int(totalSeconds % 60), 2)
        if fraction != 0 {
            var digits = pad(Int(fraction), 9)
            while digits.last == "0" { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always) func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
    a - floorDiv(a, b) * b
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

/// A forward-only reader of ASCII digits and punctuation, for the temporal parsers.
struct ByteScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index >= bytes.count }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func advance() { index += 1 }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Exactly `count` ASCII digits as a number.
    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for i in index..<(index + count) {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        index += count
        return value
    }

    /// `YYYY-MM-DD`.
    mutating func date() -> DateValue? {
        guard let y = digits(4), consume(UInt8(ascii: "-")), let m = digits(2), consume(UInt8(ascii: "-")), let d = digits(2) else {
            return nil
        }
        return DateValue(year: y, month: m, day: d)
    }

    /// `hh:mm[:ss[.f{1,9}]]`.
    mutating func time() -> TimeValue? {
        guard let h = digits(2), h < 24, consume(UInt8(ascii: ":")), let m = digits(2), m < 60 else { return nil }
        var s = 0
        var nanos: Int64 = 0
        if consume(UInt8(ascii: ":")) {
            guard let seconds = digits(2), seconds < 60 else { return nil }
            s = seconds
            if consume(UInt8(ascii: ".")) || consume(UInt8(ascii: ",")) {
                var count = 0
                while let byte = peek(), byte &- UInt8(ascii: "0") < 10 {
                    if count < 9 { nanos = nanos * 10 + Int64(byte - UInt8(ascii: "0")) }
                    count += 1
                    advance()
                }
                guard count > 0 else { return nil }
                if count < 9 { for _ in count..<9 { nanos *= 10 } }
            }
        }
        return TimeValue(nanoseconds: Int64(h * 3600 + m * 60 + s) * 1_000_000_000 + nanos)
    }
}
