/// The syntax tree of one mapping expression, as the parser reads it (before type checking).
///
/// ```swift
/// // first_name " " upper(last_name)
/// .concatenation([.path(first_name), .literal(" "), .call("upper", [.path(last_name)])])
/// ```
indirect enum Expression: Hashable, Sendable {
    /// A string, number, boolean or null written in the expression.
    case literal(Literal, column: Int)
    case path(PathExpression)
    /// Parts written side by side, joined as strings.
    case concatenation([Expression])
    case call(name: String, arguments: [Expression], column: Int)

    enum Literal: Hashable, Sendable {
        case string(String)
        /// A whole number that fits in 32 bits.
        case int(Int64)
        /// Any other number.
        case decimal(DecimalValue)
        case boolean(Bool)
        case null
    }

    /// The 1-based column where the expression starts.
    var column: Int {
        switch self {
        case .literal(_, let column), .call(_, _, let column): return column
        case .path(let path): return path.column
        case .concatenation(let parts): return parts.first?.column ?? 1
        }
    }
}

/// A path such as `address.city`, `traits["odd key"]` or `traits.plan?`.
struct PathExpression: Hashable, Sendable {
    var components: [String]
    /// Written with a trailing `?`: indexing into a JSON value that is not an object gives null.
    var optional: Bool
    var column: Int

    /// The path as a message shows it: `a.b`, `a["odd key"]`.
    var display: String {
        var text = ""
        for (index, component) in components.enumerated() {
            if index > 0, PropertyPath.isValidName(component) {
                text += "." + component
            } else if index > 0 {
                var quoted = ""
                JSONWriter.writeString(component, to: &quoted)
                text += "[" + quoted + "]"
            } else {
                text += component
            }
        }
        return text
    }
}
