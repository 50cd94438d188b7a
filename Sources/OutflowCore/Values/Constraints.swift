/// Checks a value against the constraints of its type, with messages that name the value and rule.
public enum Constraints {
    public static func check(string text: String, _ t: StringType) throws(ValueError) {
        try check(string: text, t, pattern: t.pattern.map(StringPattern.compiled))
    }

    /// The same check with the type's pattern already compiled, as a compiled mapping keeps it.
    static func check(string text: String, _ t: StringType, pattern: StringPattern?) throws(ValueError) {
        if let maxLength = t.maxLength {
            // Count runes only when the byte count could exceed the limit.
            if text.utf8.count > maxLength, text.unicodeScalars.count > maxLength {
                throw ValueError("\(ValueError.quote(text)) exceeds the \(maxLength)-char limit")
            }
        }
        if let maxBytes = t.maxBytes, text.utf8.count > maxBytes {
            throw ValueError("\(ValueError.quote(text)) exceeds the \(maxBytes)-byte limit")
        }
        if let values = t.values, !values.contains(text) {
            throw ValueError("\(ValueError.quote(text)) is not one of the allowed values (\(values.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        if let pattern {
            guard pattern.isValid else { throw ValueError("invalid pattern \(pattern.source)") }
            if !pattern.wholeMatches(text) {
                throw ValueError("\(ValueError.quote(text)) does not match the pattern \(pattern.source)")
            }
        }
    }

    /// The integer as a value of `t`, or an error naming the admitted range.
    public static func checked(integer parsed: (negative: Bool, magnitude: UInt64), _ t: IntType, text: () -> String) throws(ValueError) -> Value {
        let lower = t.lowerBound
        let upper = t.upperBound
        if parsed.negative {
            // Magnitude of Int64.min is 2^63.
            guard parsed.magnitude <= UInt64(Int64.max) + 1 else { throw outOfRange(text(), t) }
            let value = parsed.magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(parsed.magnitude)
            guard value >= lower, value <= t.signedUpperBound else { throw outOfRange(text(), t) }
            return .int(value)
        }
        guard parsed.magnitude <= upper else { throw outOfRange(text(), t) }
        if parsed.magnitude > UInt64(Int64.max) { return .uint(parsed.magnitude) }
        let value = Int64(parsed.magnitude)
        guard value >= lower else { throw outOfRange(text(), t) }
        return .int(value)
    }

    static func outOfRange(_ text: String, _ t: IntType) -> ValueError {
        ValueError("\(ValueError.quote(text)) is out of range for \(DataType.int(t).name) (\(t.lowerBound) to \(t.maximum.map(String.init) ?? String(t.upperBound)))")
    }

    public static func check(float value: Double, _ t: FloatType) throws(ValueError) {
        if value.isNaN || value.isInfinite {
            if t.real { throw ValueError("«\(value)» is not a real number") }
            return
        }
        if t.bitSize == 32, abs(value) > Double(Float.greatestFiniteMagnitude) {
            throw ValueError("«\(value)» is out of range for float(32)")
        }
        if let min = t.minimum, value < min { throw ValueError("«\(value)» is less than the minimum \(min)") }
        if let max = t.maximum, value > max { throw ValueError("«\(value)» is greater than the maximum \(max)") }
    }

    /// The decimal at the type's scale, or an error when it does not fit precision or scale.
    public static func checked(decimal value: DecimalValue, _ t: DecimalType) throws(ValueError) -> DecimalValue {
        guard let scaled = value.rescaled(to: t.scale) else {
            throw ValueError("«\(value)» has more than \(t.scale) digits after the decimal point for \(DataType.decimal(t).name)")
        }
        if scaled.integerDigitCount > t.precision - t.scale {
            throw ValueError("«\(value)» does not fit \(DataType.decimal(t).name)")
        }
        if let min = t.minimum, scaled < min { throw ValueError("«\(value)» is less than the minimum \(min)") }
        if let max = t.maximum, scaled > max { throw ValueError("«\(value)» is greater than the maximum \(max)") }
        return scaled
    }

    public static func check(array items: [Value], _ t: ArrayType) throws(ValueError) {
        if let min = t.minElements, items.count < min {
            throw ValueError("an array of \(items.count) elements has fewer than the minimum \(min)")
        }
        if let max = t.maxElements, items.count > max {
            throw ValueError("an array of \(items.count) elements has more than the maximum \(max)")
        }
        if t.uniqueElements, Set(items).count != items.count {
            throw ValueError("the array has repeated elements but its elements must be unique")
        }
    }
}
