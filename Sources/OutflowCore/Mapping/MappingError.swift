/// A mapping expression that cannot be read: the 1-based column (in characters) where reading
/// stopped, and what was expected there.
///
/// ```swift
/// // "upper(last_name" -> syntax error in expression "upper(last_name" at column 16: expected ',' or ')'
/// ```
public struct MappingSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var expression: String
    public var column: Int
    public var message: String

    public init(expression: String, column: Int, message: String) {
        self.expression = expression
        self.column = column
        self.message = message
    }

    public var description: String {
        "syntax error in expression \"\(expression)\" at column \(column): \(message)"
    }
}

/// Why one profile could not be mapped; the message names the value, the rule and the output
/// property, as Krenalis writes it: `«x» exceeds the 255-char limit while mapping to «email»`.
///
/// One failing profile never stops the others: ``CompiledMapping/evaluate(_:row:action:)`` returns
/// this error for that profile only.
public struct MappingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The output path being written when the error happened.
    public var property: String
    /// The whole message, property included.
    public var message: String

    public init(property: String, message: String) {
        self.property = property
        self.message = message
    }

    /// The message of a value that broke a rule while mapping to `property`.
    init(property: String, valueError: ValueError) {
        self.init(property: property, message: valueError.message + " while mapping to «\(property)»")
    }

    public var description: String { message }
}
