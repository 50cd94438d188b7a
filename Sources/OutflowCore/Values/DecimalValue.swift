/// An exact decimal number of any precision, as the decimal kind and JSON numbers need.
///
/// Stored as the digits of the unscaled magnitude plus a scale, so `12.50` is digits `1250`,
/// scale 2. Foundation's `Decimal` stops at 38 digits; Krenalis decimals go to 76.
public struct DecimalValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Digits of the magnitude without leading zeros ("" for zero).
    public private(set) var digits: String
    /// Number of digits after the decimal point.
    public private(set) var scale: Int
    public private(set) var isNegative: Bool

    /// Parses `-12.50`, `+3`, `1e3`, `.5`; nil when `text` is not a decimal number.
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return nil }
        var negative = false
        if utf8[0] == UInt8(ascii: "-") || utf8[0] == UInt8(ascii: "+") {
            negative = utf8[0] == UInt8(ascii: "-")
            utf8.removeFirst()
        }
        var exponent = 0
        if let e = utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Int(String(decoding: utf8[(e + 1)...], as: UTF8.self)), abs(value) < 10_000 else { return nil }
            exponent = value
            utf8.removeSubrange(e...)
        }
        var intDigits: [UInt8] = []
        var fracDigits: [UInt8] = []
        var seenPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if seenPoint { fracDigits.append(byte) } else { intDigits.append(byte) }
            } else {
                return nil
            }
        }
        guard !intDigits.isEmpty || !fracDigits.isEmpty else { return nil }
        var all = intDigits + fracDigits
        var scale = fracDigits.count - exponent
        if scale < 0 {
            all += [UInt8](repeating: UInt8(ascii: "0"), count: -scale)
            scale = 0
        }
        let firstNonZero = all.firstIndex { $0 != UInt8(ascii: "0") } ?? all.count
        self.digits = String(decoding: all[firstNonZero...], as: UTF8.self)
        self.scale = scale
        self.isNegative = negative && firstNonZero < all.count
    }

    /// A decimal from an integer.
    public init(_ value: Int64) {
        self.isNegative = value < 0
        self.digits = value == 0 ? "" : String(value.magnitude)
        self.scale = 0
    }

    /// True for zero.
    public var isZero: Bool { digits.isEmpty }

    /// Digits before the point (at least one, "0").
    public var integerDigitCount: Int { max(digits.count - scale, 0) }

    /// The same value with trailing fraction zeros removed.
    public var normalized: DecimalValue {
        var copy = self
        while copy.scale > 0, copy.digits.last == "0" {
            copy.digits.removeLast()
            copy.scale -= 1
        }
        if copy.digits.isEmpty {
            copy.isNegative = false
            copy.scale = 0
        }
        return copy
    }

    /// The value with exactly `newScale` fraction digits, or nil when that would drop a non-zero digit.
    public func rescaled(to newScale: Int) -> DecimalValue? {
        var copy = self
        if newScale >= scale {
            if !copy.digits.isEmpty { copy.digits += String(repeating: "0", count: newScale - scale) }
        } else {
            let drop = scale - newScale
            let tail = copy.digits.suffix(drop)
            guard tail.allSatisfy({ $0 == "0" }) else { return nil }
            copy.digits = String(copy.digits.dropLast(drop))
            let stripped = copy.digits.drop { $0 == "0" }
            copy.digits = String(stripped)
        }
        copy.scale = newScale
        return copy
    }

    /// Number of significant digits counted the way SQL counts precision (integer digits + scale).
    public var precision: Int { max(digits.count, scale) }

    public var description: String {
        var text = digits
        if text.count <= scale { text = String(repeating: "0", count: scale - text.count + 1) + text }
        if scale > 0 { text.insert(".", at: text.index(text.endIndex, offsetBy: -scale)) }
        return (isNegative ? "-" : "") + text
    }

    /// The nearest `Double`.
    public var doubleValue: Double { Double(description) ?? 0 }

    public static func == (lhs: DecimalValue, rhs: DecimalValue) -> Bool {
        compare(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.digits)
        hasher.combine(n.scale)
        hasher.combine(n.isNegative)
    }

    public static func < (lhs: DecimalValue, rhs: DecimalValue) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// -1, 0 or 1.
    public static func compare(_ lhs: DecimalValue, _ rhs: DecimalValue) -> Int {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative ? -1 : 1 }
        let magnitude = compareMagnitude(lhs, rhs)
        return lhs.isNegative ? -magnitude : magnitude
    }

    private static func compareMagnitude(_ lhs: DecimalValue, _ rhs: DecimalValue) -> Int {
        let scale = max(lhs.scale, rhs.scale)
        let l = lhs.digits + String(repeating: "0", count: lhs.digits.isEmpty ? 0 : scale - lhs.scale)
        let r = rhs.digits + String(repeating: "0", count: rhs.digits.isEmpty ? 0 : scale - rhs.scale)
        if l.count != r.count { return l.count < r.count ? -1 : 1 }
        if l == r { return 0 }
        return l < r ? -1 : 1
    }
}
