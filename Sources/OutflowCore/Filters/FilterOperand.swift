import Foundation

/// A condition value parsed once, at compile time, into the form its property's values compare with.
enum FilterOperand: Sendable {
    case int(Int64)
    /// An unsigned value above `Int64.max`.
    case uint(UInt64)
    case float(Double)
    case decimal(DecimalKey)
    case string(String)
    case datetime(DateTimeValue)
    case date(DateValue)
    case time(TimeValue)
    case year(Int)
    case uuid(UUID)
    case ip(String)
    /// A value for a json property: its text, and its number when the text is one.
    case json(string: String, number: DecimalKey?)
    /// A datetime for `is before` and friends on a json property, which read JSON strings as datetimes.
    case jsonInstant(DateTimeValue)
}

/// Byte-wise (UTF-8) comparisons of strings, as Krenalis compares them; Swift's own `<` and `==`
/// follow Unicode canonical equivalence instead, which a filter must not.
enum ByteOrder {
    @inline(__always)
    static func compare(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb in compare(pa, pb) }
        }
        if let fast, let result = fast { return result }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    /// Orders `text` against the bytes `b`.
    @inline(__always)
    static func compare(_ text: String, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        withBytes(text) { compare($0, b) }
    }

    @inline(__always)
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let count = min(a.count, b.count)
        if count > 0 {
            let result = memcmp(a.baseAddress!, b.baseAddress!, count)
            if result != 0 { return result < 0 ? -1 : 1 }
        }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }

    /// True when `text` contains the bytes `needle`.
    @inline(__always)
    static func contains(_ text: String, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        withBytes(text) { contains($0, needle) }
    }

    @inline(__always)
    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if needle.count == 0 { return true }
        if needle.count > hay.count { return false }
        let first = needle[0]
        let last = hay.count - needle.count
        var index = 0
        while index <= last {
            if hay[index] == first, memcmp(hay.baseAddress! + index, needle.baseAddress!, needle.count) == 0 { return true }
            index += 1
        }
        return false
    }

    @inline(__always)
    static func hasPrefix(_ text: String, _ part: UnsafeBufferPointer<UInt8>) -> Bool {
        withBytes(text) { hasPrefix($0, part) }
    }

    @inline(__always)
    static func hasPrefix(_ hay: UnsafeBufferPointer<UInt8>, _ part: UnsafeBufferPointer<UInt8>) -> Bool {
        if part.count == 0 { return true }
        return part.count <= hay.count && memcmp(hay.baseAddress!, part.baseAddress!, part.count) == 0
    }

    @inline(__always)
    static func hasSuffix(_ text: String, _ part: UnsafeBufferPointer<UInt8>) -> Bool {
        withBytes(text) { hasSuffix($0, part) }
    }

    @inline(__always)
    static func hasSuffix(_ hay: UnsafeBufferPointer<UInt8>, _ part: UnsafeBufferPointer<UInt8>) -> Bool {
        if part.count == 0 { return true }
        return part.count <= hay.count && memcmp(hay.baseAddress! + (hay.count - part.count), part.baseAddress!, part.count) == 0
    }

    /// The UTF-8 bytes of `text`, without a copy for native strings.
    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        // Strings that are not native UTF-8 (bridged, on Darwin) pay for a copy.
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }
}

/// A decimal operand normalized for comparisons that allocate nothing: `0.d1d2d3… × 10^exponent`.
///
/// Both decimal property values and the text of JSON numbers compare against it digit by digit,
/// so a JSON number is never turned into a ``DecimalValue`` on the hot path.
struct DecimalKey: Sendable, Hashable {
    var isNegative: Bool
    /// ASCII digits, without leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    var exponent: Int

    init(_ value: DecimalValue) {
        var digits = Array(value.digits.utf8)
        let exponent = digits.count - value.scale
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        self.digits = digits
        self.exponent = digits.isEmpty ? 0 : exponent
        self.isNegative = value.isNegative && !digits.isEmpty
    }

    /// Orders the text of a JSON number against this key; nil when the text is not a number.
    func compare(numberText text: String) -> Int? {
        digits.withUnsafeBufferPointer { DecimalDigits(isNegative: isNegative, exponent: exponent, digits: $0).compare(numberText: text) }
    }
}

/// A ``DecimalKey`` whose digits live elsewhere (in a compiled filter's byte pool).
struct DecimalDigits {
    var isNegative: Bool
    var exponent: Int
    var digits: UnsafeBufferPointer<UInt8>

    /// Orders a decimal property value against this key.
    @inline(__always)
    func compare(_ value: DecimalValue) -> Int {
        let utf8 = value.digits.utf8
        return compare(negative: value.isNegative, exponent: utf8.count - value.scale, digits: utf8, isZero: utf8.isEmpty)
    }

    /// Orders the text of a JSON number against this key; nil when the text is not a number.
    @inline(__always)
    func compare(numberText text: String) -> Int? {
        ByteOrder.withBytes(text) { compare(numberBytes: $0) }
    }

    func compare(numberBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        var index = 0
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        let mantissaStart = index
        var mantissaEnd = index
        while mantissaEnd < count, bytes[mantissaEnd] | 0x20 != UInt8(ascii: "e") { mantissaEnd += 1 }
        var exponent = 0
        if mantissaEnd < count {
            var e = mantissaEnd + 1
            var negativeExponent = false
            if e < count, bytes[e] == UInt8(ascii: "-") || bytes[e] == UInt8(ascii: "+") {
                negativeExponent = bytes[e] == UInt8(ascii: "-")
                e += 1
            }
            guard e < count else { return nil }
            while e < count {
                let digit = bytes[e] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                // Beyond a million the exponent only says "huge" or "tiny"; clamping avoids overflow.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(digit) }
                e += 1
            }
            if negativeExponent { exponent = -exponent }
        }
        var integerDigits = 0
        var digitsBefore = 0
        var firstNonZero = -1
        var seenPoint = false
        var anyDigit = false
        for position in mantissaStart..<mantissaEnd {
            let byte = bytes[position]
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            anyDigit = true
            if !seenPoint { integerDigits += 1 }
            if firstNonZero < 0 {
                if byte != UInt8(ascii: "0") { firstNonZero = position } else { digitsBefore += 1 }
            }
        }
        guard anyDigit else { return nil }
        guard firstNonZero >= 0 else { return compare(negative: false, exponent: 0, digits: EmptyCollection(), isZero: true) }
        let digits = UnsafeBufferPointer(rebasing: bytes[firstNonZero..<mantissaEnd]).lazy.filter { $0 != UInt8(ascii: ".") }
        return compare(negative: negative, exponent: integerDigits - digitsBefore + exponent, digits: digits, isZero: false)
    }

    /// Orders `±0.digits × 10^exponent` (digits without leading zeros) against this key.
    @inline(__always)
    private func compare<Digits: Sequence<UInt8>>(negative: Bool, exponent: Int, digits: Digits, isZero: Bool) -> Int {
        if isZero { return self.digits.isEmpty ? 0 : (isNegative ? 1 : -1) }
        if self.digits.isEmpty { return negative ? -1 : 1 }
        if negative != isNegative { return negative ? -1 : 1 }
        let sign = negative ? -1 : 1
        if exponent != self.exponent { return exponent < self.exponent ? -sign : sign }
        var index = 0
        let keyCount = self.digits.count
        for digit in digits {
            if index < keyCount {
                let other = self.digits[index]
                if digit != other { return digit < other ? -sign : sign }
            } else if digit != UInt8(ascii: "0") {
                return sign
            }
            index += 1
        }
        // The key's remaining digits end in a non-zero digit, so the value is smaller in magnitude.
        return index < keyCount ? -sign : 0
    }
}
