/// How the result of one mapping expression becomes the value written to its output property:
/// the null rules of DESIGN section 7, then the conversion to the property's type.
///
/// What can be decided from the property alone is decided once: its pattern is compiled, and the
/// common cases where the result already has the property's type and no rule but a length limit
/// applies (a string for a plain string property, a datetime for a datetime) skip the general
/// conversion.
///
/// ```swift
/// let rule = OutputRule(outPath: "email", property: emailProperty, isConstant: false)
/// try rule.finish(.string("ada@example.com"))   // .string("ada@example.com")
/// try rule.finish(.null)                        // .null for a nullable property, else nil (left out)
/// try rule.finish(nil)                          // nil: a missing value is left out
/// ```
struct OutputRule: Sendable {
    /// What the result's case alone decides, kept apart as a plain value so that the common case
    /// reads no string, array or type of the rule.
    enum Shortcut: Sendable {
        /// A string property without `values` or `pattern`: a string of at most `byteLimit` UTF-8
        /// bytes fits its maxLength (runes) and maxBytes.
        case plainString(nullable: Bool, byteLimit: Int)
        /// A property of a kind without constraints (boolean, datetime, date, time).
        case unconstrained(Kind, nullable: Bool)
        case none

        /// The value written for `result`, or nil when ``OutputRule/finish(_:)`` must decide.
        @inline(__always)
        func finish(_ result: Value?) -> Value?? {
            switch self {
            case .plainString(let nullable, let byteLimit):
                switch result {
                case nil: return .some(nil)
                case .null?, .json(.null)?: return .some(nullable ? .null : nil)
                case .string(let text)? where text.utf8.count <= byteLimit: return .some(result)
                default: return nil
                }
            case .unconstrained(let kind, let nullable):
                switch result {
                case nil: return .some(nil)
                case .null?, .json(.null)?: return .some(nullable ? .null : nil)
                case let value? where value.kind == kind: return .some(value)
                default: return nil
                }
            case .none:
                return nil
            }
        }
    }

    let outPath: String
    let property: Property
    /// A literal string is constant: an empty one is kept as "" where a computed one becomes null.
    let isConstant: Bool
    private let pattern: StringPattern?
    let shortcut: Shortcut

    init(outPath: String, property: Property, isConstant: Bool) {
        self.outPath = outPath
        self.property = property
        self.isConstant = isConstant
        switch property.type {
        case .string(let t):
            pattern = t.pattern.map(StringPattern.init)
            let byteLimit = min(t.maxLength ?? Int.max, t.maxBytes ?? Int.max)
            shortcut = t.pattern == nil && t.values == nil ? .plainString(nullable: property.nullable, byteLimit: byteLimit) : .none
        case .boolean, .datetime, .date, .time:
            pattern = nil
            shortcut = .unconstrained(property.type.kind, nullable: property.nullable)
        default:
            pattern = nil
            shortcut = .none
        }
    }

    /// The value written to the property for an expression's result, or nil when the property is
    /// left out.
    func finish(_ result: Value?) throws(ValueError) -> Value? {
        if let decided = shortcut.finish(result) { return decided }
        return try general(result)
    }

    private func general(_ result: Value?) throws(ValueError) -> Value? {
        let kind = property.type.kind
        // A missing value (the profile does not have the property) writes nothing: sending null
        // would erase what the application holds. Only a real null is written as null.
        guard let present = result else { return nil }
        guard case var value = present, !value.isNull else {
            if kind == .json { return .json(.null) }
            return property.nullable ? .null : nil
        }
        if value == .json(.null), kind != .json {
            return property.nullable ? .null : nil
        }
        if property.nullable {
            var empty = false
            switch value {
            case .string(let text), .json(.string(let text)): empty = text.isEmpty
            default: break
            }
            if empty {
                if !isConstant, kind != .string, kind != .json { return .null }
                if case .string(let t) = property.type {
                    if let values = t.values, !values.contains("") { return .null }
                    if t.values == nil, let pattern, !pattern.wholeMatches("") { return .null }
                }
            }
        }
        if case .json = value, kind == .json { return value }
        if case .string(let t) = property.type, case .string(let text) = value {
            // Conversion.convert's string case, with the pattern compiled once.
            try Constraints.check(string: text, t, pattern: pattern)
            return value
        }
        value = try Conversion.convert(value, to: property.type)
        return value
    }
}
