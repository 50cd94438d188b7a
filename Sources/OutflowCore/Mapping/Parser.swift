/// Reads a mapping expression into an ``Expression`` tree.
///
/// The grammar, in full:
/// ```
/// expression := part+                       (two or more parts concatenate)
/// part       := string | number | true | false | null | path | call
/// path       := name ("." name | "[" string "]")* "?"?
/// call       := name "(" (expression ("," expression)*)? ")"
/// ```
/// A number is an int when it fits in 32 bits, a decimal otherwise.
struct Parser {
    private let source: String
    private let tokens: [Token]
    private var position = 0
    private var depth = 0
    /// Whether the template-only functions (`md5`, `sha256`, `base64`) may be called.
    private var templateFunctions = false

    static let maximumDepth = 64

    /// Parses `source`, or throws the first problem with its column.
    static func parse(_ source: String, templateFunctions: Bool = false) throws(MappingSyntaxError) -> Expression {
        var parser = Parser(source: source, tokens: try Lexer.tokens(source))
        parser.templateFunctions = templateFunctions
        guard parser.current.kind != .end else {
            throw MappingSyntaxError(expression: source, column: 1, message: "the expression is empty")
        }
        let expression = try parser.expression()
        if parser.current.kind != .end {
            throw parser.unexpected(parser.current)
        }
        return expression
    }

    private init(source: String, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    private var current: Token { tokens[position] }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func fail(_ column: Int, _ message: String) -> MappingSyntaxError {
        MappingSyntaxError(expression: source, column: column, message: message)
    }

    private func unexpected(_ token: Token) -> MappingSyntaxError {
        fail(token.column, "unexpected \(token.display)")
    }

    private mutating func expression() throws(MappingSyntaxError) -> Expression {
        var parts: [Expression] = []
        loop: while true {
            switch current.kind {
            case .end, .comma, .rightParen:
                break loop
            default:
                parts.append(try part())
            }
        }
        if parts.isEmpty { throw fail(current.column, "expected an expression, found \(current.display)") }
        return parts.count == 1 ? parts[0] : .concatenation(parts)
    }

    private mutating func part() throws(MappingSyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case .string(let text):
            advance()
            return .literal(.string(text), column: token.column)
        case .number(let text):
            advance()
            return .literal(Parser.number(text), column: token.column)
        case .identifier(let name):
            advance()
            if current.kind == .leftParen {
                return try call(name, column: token.column)
            }
            switch name {
            case "true": return .literal(.boolean(true), column: token.column)
            case "false": return .literal(.boolean(false), column: token.column)
            case "null": return .literal(.null, column: token.column)
            default: return .path(try path(name, column: token.column))
            }
        case .leftParen:
            throw fail(token.column, "unexpected '(' (parentheses only follow a function name)")
        default:
            throw unexpected(token)
        }
    }

    static func number(_ text: String) -> Expression.Literal {
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let value = Int32(text) {
            return .int(Int64(value))
        }
        // The lexer only lets valid numbers through, so this cannot fail.
        return .decimal(DecimalValue(text) ?? DecimalValue(0))
    }

    private mutating func path(_ first: String, column: Int) throws(MappingSyntaxError) -> PathExpression {
        var components = [first]
        var optional = false
        while !current.spaced {
            switch current.kind {
            case .dot:
                advance()
                guard case .identifier(let name) = current.kind, !current.spaced else {
                    throw fail(current.column, "expected a property name after '.', found \(current.display)")
                }
                components.append(name)
                advance()
            case .leftBracket:
                advance()
                guard case .string(let key) = current.kind else {
                    throw fail(current.column, "expected a quoted key after '[', found \(current.display)")
                }
                components.append(key)
                advance()
                guard current.kind == .rightBracket else {
                    throw fail(current.column, "expected ']', found \(current.display)")
                }
                advance()
            case .question:
                advance()
                optional = true
                if !current.spaced, current.kind == .dot || current.kind == .leftBracket || current.kind == .question {
                    throw fail(current.column, "'?' must end the path")
                }
                return PathExpression(components: components, optional: optional, column: column)
            default:
                return PathExpression(components: components, optional: optional, column: column)
            }
        }
        return PathExpression(components: components, optional: optional, column: column)
    }

    private mutating func call(_ name: String, column: Int) throws(MappingSyntaxError) -> Expression {
        guard let function = MappingFunction(rawValue: name), templateFunctions || !function.isTemplateOnly else {
            let known = MappingFunction.allCases.filter { templateFunctions || !$0.isTemplateOnly }
            let hint = Suggestion.hint(for: name, in: known.map(\.rawValue))
            throw fail(column, "unknown function \"\(name)\"\(hint)")
        }
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maximumDepth { throw fail(column, "functions are nested more than \(Parser.maximumDepth) deep") }
        advance()  // (
        var arguments: [Expression] = []
        if current.kind == .rightParen {
            advance()
            return .call(name: name, arguments: arguments, column: column)
        }
        while true {
            arguments.append(try expression())
            switch current.kind {
            case .comma:
                advance()
            case .rightParen:
                advance()
                return .call(name: name, arguments: arguments, column: column)
            default:
                throw fail(current.column, "expected ',' or ')', found \(current.display)")
            }
        }
    }
}
