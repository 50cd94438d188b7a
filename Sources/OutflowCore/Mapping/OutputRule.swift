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
/// try rule.finish(nil)                          // .null for a nullable property, else nil (left out)
/// ```
struct OutputRule: Sendable {
    /// What the result's case alone decides.
    private enum Shortcut: Sendable {
        /// A string property without `values` or `pattern`.
        case plainString(nullable: Bool)
        /// A property of a kind without constraints (boolean, datetime, date, time).
        case unconstrained(Kind, nullable: Bool)
        case none
    }

    let outPath: String
    let property: Property
    /// A literal string is constant: an empty one is kept as "" where a computed one becomes null.
    let isConstant: Bool
    let requirement: OutputLayout.Requirement
    private let pattern: StringPattern?
    private let shortcut: Shortcut

    init(outPath: String, property: Property, isConstant: Bool) {
        self.outPath = outPath
        self.property = property
        self.isConstant = isConstant
        self.requirement = OutputLayout.Requirement(property)
        switch property.type {
        case .string(let t):
            pattern = t.pattern.map(StringPattern.init)
            shortcut = t.pattern == nil && t.values == nil ? .plainString(nullable: property.nullable) : .none
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
        switch shortcut {
        case .plainString(let nullable):
            switch result {
            case nil, .null?, .json(.null)?:
                return nullable ? .null : nil
            case .string(let text)?:
                if case .string(let t) = property.type { try Constraints.check(string: text, t, pattern: nil) }
                return result
            default:
                break
            }
        case .unconstrained(let kind, let nullable):
            switch result {
            case nil, .null?, .json(.null)?:
                return nullable ? .null : nil
            case let value? where value.kind == kind:
                return value
            default:
                break
            }
        case .none:
            break
        }
        return try general(result)
    }

    private func general(_ result: Value?) throws(ValueError) -> Value? {
        let kind = property.type.kind
        guard var value = result, !value.isNull else {
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
