/// Splits a mapping expression into tokens.
///
/// Strings take both quote styles and the escapes `\a \b \f \n \r \t \v \\ \' \"`, `\uXXXX` and
/// `\UXXXXXXXX`; a NUL character and the UTF-16 surrogate range are refused, because no
/// application stores them. Columns count characters (Unicode scalars) from 1.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let source: String
    private var index = 0

    init(_ source: String) {
        self.source = source
        self.scalars = Array(source.unicodeScalars)
    }

    /// Every token of the expression, ending with `.end`.
    static func tokens(_ source: String) throws(MappingSyntaxError) -> [Token] {
        var lexer = Lexer(source)
        var out: [Token] = []
        while true {
            let token = try lexer.next()
            out.append(token)
            if token.kind == .end { return out }
        }
    }

    private func fail(_ column: Int, _ message: String) -> MappingSyntaxError {
        MappingSyntaxError(expression: source, column: column, message: message)
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c >= "0" && c <= "9"
    }

    mutating func next() throws(MappingSyntaxError) -> Token {
        var spaced = false
        while let c = peek(), c.properties.isWhitespace {
            index += 1
            spaced = true
        }
        let column = index + 1
        guard let c = peek() else { return Token(kind: .end, column: column, spaced: spaced) }
        func single(_ kind: Token.Kind) -> Token {
            index += 1
            return Token(kind: kind, column: column, spaced: spaced)
        }
        switch c {
        case ".": return single(.dot)
        case ",": return single(.comma)
        case "?": return single(.question)
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case "[": return single(.leftBracket)
        case "]": return single(.rightBracket)
        case "\"", "'": return Token(kind: .string(try string(quote: c)), column: column, spaced: spaced)
        default: break
        }
        if Lexer.isDigit(c) || (c == "-" && Lexer.isDigit(peek(1))) {
            return Token(kind: .number(try number()), column: column, spaced: spaced)
        }
        if c == "-" { throw fail(column, "unexpected '-' (did you mean '_'?)") }
        if Lexer.isIdentifierStart(c) {
            var name = String.UnicodeScalarView()
            while let d = peek(), Lexer.isIdentifierStart(d) || Lexer.isDigit(d) {
                name.append(d)
                index += 1
            }
            return Token(kind: .identifier(String(name)), column: column, spaced: spaced)
        }
        if c == "\0" { throw fail(column, "the NUL character is not allowed") }
        throw fail(column, "unexpected character '\(c)'")
    }

    /// `-?digits(.digits)?([eE][+-]?digits)?`, without leading zeros.
    private mutating func number() throws(MappingSyntaxError) -> String {
        let start = index
        if peek() == "-" { index += 1 }
        let digitsStart = index
        while Lexer.isDigit(peek()) { index += 1 }
        if index - digitsStart > 1, scalars[digitsStart] == "0" {
            throw fail(digitsStart + 1, "a number must not start with 0")
        }
        if peek() == ".", Lexer.isDigit(peek(1)) {
            index += 1
            while Lexer.isDigit(peek()) { index += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            var lookahead = 1
            if let sign = peek(1), sign == "+" || sign == "-" { lookahead = 2 }
            guard Lexer.isDigit(peek(lookahead)) else { throw fail(index + 1, "expected the digits of an exponent") }
            index += lookahead
            while Lexer.isDigit(peek()) { index += 1 }
        }
        if let after = peek(), Lexer.isIdentifierStart(after) || after == "." {
            throw fail(index + 1, "unexpected '\(after)' after a number")
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<index])
        return String(text)
    }

    private mutating func string(quote: Unicode.Scalar) throws(MappingSyntaxError) -> String {
        let open = index + 1
        index += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw fail(open, "the string is not closed (missing \(quote))") }
            let column = index + 1
            index += 1
            if c == quote { return String(out) }
            if c == "\0" { throw fail(column, "the NUL character is not allowed in a string") }
            guard c == "\\" else {
                out.append(c)
                continue
            }
            guard let e = peek() else { throw fail(open, "the string is not closed (missing \(quote))") }
            index += 1
            switch e {
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "\\", "'", "\"": out.append(e)
            case "u", "U":
                let count = e == "u" ? 4 : 8
                var value: UInt32 = 0
                for _ in 0..<count {
                    guard let h = peek(), h.isASCII, let digit = UInt32(String(h), radix: 16) else {
                        throw fail(column, "\\\(e) must be followed by \(count) hexadecimal digits")
                    }
                    value = value << 4 | digit
                    index += 1
                }
                if value == 0 { throw fail(column, "the NUL character is not allowed in a string") }
                if (0xD800...0xDFFF).contains(value) {
                    throw fail(column, "\\\(e) escapes a UTF-16 surrogate, which is not a character")
                }
                guard let scalar = Unicode.Scalar(value) else {
                    throw fail(column, "\\\(e) escapes a value above U+10FFFF, which is not a character")
                }
                out.append(scalar)
            default:
                throw fail(column, "unknown escape sequence \\\(e)")
            }
        }
    }
}
