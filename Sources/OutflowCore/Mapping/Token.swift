/// One token of a mapping expression, with the 1-based column (in characters) where it starts.
struct Token: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case string(String)
        /// The number exactly as written; the parser decides between int and decimal.
        case number(String)
        case identifier(String)
        case dot, comma, question, leftParen, rightParen, leftBracket, rightBracket
        case end
    }

    var kind: Kind
    var column: Int
    /// True when white space comes right before the token; `a .b` is not a path.
    var spaced: Bool

    /// The token as a message shows it.
    var display: String {
        switch kind {
        case .string: return "a string"
        case .number(let text): return "number \(text)"
        case .identifier(let name): return "\"\(name)\""
        case .dot: return "'.'"
        case .comma: return "','"
        case .question: return "'?'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .end: return "the end of the expression"
        }
    }
}
