/// A strict RFC 8259 JSON parser over UTF-8 bytes that reports errors by line and column.
///
/// Written by hand rather than using `JSONSerialization` for three reasons: numbers keep their
/// exact text, objects keep member order, and errors say where the input went wrong, which users
/// need when a workspace file or a profile line is broken.
///
/// ```swift
/// let value = try JSONParser.parse("[1, true]")
/// ```
/// For streaming, create a parser over a buffer and call ``parseValue()`` repeatedly, reading
/// ``offset`` between values.
public struct JSONParser {
    /// Deeper nesting than this is refused so that hostile input cannot exhaust the stack.
    public static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    /// The index of the next unread byte.
    public internal(set) var offset: Int
    var depth = 0

    /// A parser over `bytes`, which must stay valid while the parser is used.
    public init(bytes: UnsafeBufferPointer<UInt8>, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Parses one complete JSON document from `text`; trailing non-space input is an error.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var copy = text
        return try copy.withUTF8 { buffer in Result { () throws(JSONSyntaxError) in try parseDocument(buffer) } }.get()
    }

    /// Parses one complete JSON document from UTF-8 bytes; a leading BOM is skipped.
    public static func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in Result { () throws(JSONSyntaxError) in try parseDocument(buffer) } }.get()
    }

    public static func parseDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var start = 0
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        var parser = JSONParser(bytes: buffer, offset: start)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.offset < buffer.count {
            throw parser.error("unexpected \(parser.describe(parser.offset)) after the end of the JSON value")
        }
        return value
    }

    /// Skips spaces, tabs and line breaks.
    public mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// The next non-space byte, without consuming it, or nil at the end.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    /// Consumes `byte` (after spaces) or throws naming what was expected.
    public mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else {
            throw error("expected \(what), found \(describe(offset))")
        }
        offset += 1
    }

    /// Parses the value that starts at the current offset (after spaces).
    public mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describe(offset)), expected a value")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        guard offset + count <= bytes.count else { throw error("invalid literal, expected \(word)") }
        for i in 0..<count where bytes[offset + i] != start[i] {
            throw error("invalid literal, expected \(word)")
        }
        offset += count
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        try forEachMember { parser throws(JSONSyntaxError) in
            let key = try parser.parseString()
            try parser.expect(UInt8(ascii: ":"), "':' after the member name")
            members.append((key, try parser.parseValue()))
        }
        return .object(JSONObject(members))
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        var items: [JSONValue] = []
        try forEachElement { parser throws(JSONSyntaxError) in items.append(try parser.parseValue()) }
        return .array(items)
    }

    /// Walks the object whose `{` is at the offset: `member` is called at each member's opening
    /// quote and reads the name, the `:` and the value; the braces, commas, nesting depth and their
    /// errors are handled here, once for every reader of objects (full, trimmed, skipped).
    mutating func forEachMember(_ member: (inout JSONParser) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        try enterContainer()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw error("expected a member name in double quotes, found \(describe(offset))")
            }
            try member(&self)
            skipWhitespace()
            guard offset < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
            if bytes[offset] == UInt8(ascii: ",") {
                offset += 1
                continue
            }
            if bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return
            }
            throw error("expected ',' or '}' in an object, found \(describe(offset))")
        }
    }

    /// Walks the array whose `[` is at the offset: `element` reads each value.
    mutating func forEachElement(_ element: (inout JSONParser) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        try enterContainer()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            guard offset < bytes.count else { throw error("unexpected end of input, expected ',' or ']'") }
            if bytes[offset] == UInt8(ascii: ",") {
                offset += 1
                continue
            }
            if bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return
            }
            throw error("expected ',' or ']' in an array, found \(describe(offset))")
        }
    }

    /// Steps into an object or array (past its opening byte), refusing nesting deeper than `maximumDepth`.
    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            depth -= 1
            throw error("nesting deeper than \(Self.maximumDepth) levels")
        }
        offset += 1
    }

    /// Parses a string literal starting at its opening quote.
    public mutating func parseString() throws(JSONSyntaxError) -> String {
        offset += 1
        let start = offset
        // Fast path: no escapes, all bytes plain.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                return try makeString(slice, at: start)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            offset += 1
        }
        var scalars: [UInt8] = Array(bytes[start..<offset])
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return try scalars.withUnsafeBufferPointer { buffer in
                    Result { () throws(JSONSyntaxError) in try makeString(buffer, at: start) }
                }.get()
            case UInt8(ascii: "\\"):
                offset += 1
                guard offset < bytes.count else { throw error("unexpected end of input in a string escape") }
                let escaped = bytes[offset]
                offset += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                            bytes[offset + 1] == UInt8(ascii: "u")
                        else { throw error("unpaired surrogate \\u\(String(code, radix: 16)) in a string") }
                        offset += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw error("unpaired surrogate \\u\(String(code, radix: 16)) in a string")
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw error("unpaired surrogate \\u\(String(code, radix: 16)) in a string")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    offset -= 2
                    throw error("invalid escape '\\\(describeByte(escaped))' in a string")
                }
            default:
                if byte < 0x20 { throw error("control character \(describe(offset)) in a string; escape it") }
                scalars.append(byte)
                offset += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("incomplete \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit \(describe(offset)) in a \\u escape")
            }
            code = code << 4 | digit
            offset += 1
        }
        return code
    }

    private func makeString(_ buffer: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONSyntaxError) -> String {
        guard let string = UTF8Text.string(buffer) else {
            throw JSONSyntaxError(message: "invalid UTF-8 in a string", position: position(of: start))
        }
        return string
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count else { throw error("incomplete number") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else if isDigit(offset) {
            while offset < bytes.count, isDigit(offset) { offset += 1 }
        } else {
            throw error("invalid number: expected a digit, found \(describe(offset))")
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count, isDigit(offset) else { throw error("invalid number: expected a digit after '.'") }
            while offset < bytes.count, isDigit(offset) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, isDigit(offset) else { throw error("invalid number: expected a digit in the exponent") }
            while offset < bytes.count, isDigit(offset) { offset += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    @inline(__always) private func isDigit(_ index: Int) -> Bool {
        bytes[index] &- UInt8(ascii: "0") < 10
    }

    private func describeByte(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16, uppercase: true)
    }

    /// Describes the byte at `index` for an error message ("'x'", "end of input").
    func describe(_ index: Int) -> String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        if byte >= 0x20 && byte < 0x7F { return "'\(UnicodeScalar(byte))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// The 1-based line and column of byte `index` (columns count bytes).
    public func position(of index: Int) -> TextPosition {
        var line = 1
        var lineStart = 0
        var i = 0
        while i < index && i < bytes.count {
            if bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return TextPosition(line: line, column: index - lineStart + 1)
    }

    func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, position: position(of: offset))
    }
}

/// A line and column in a text file, both 1-based.
public struct TextPosition: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "line \(line), column \(column)" }
}

/// Malformed JSON: what was wrong and where.
public struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var position: TextPosition
    public init(message: String, position: TextPosition) {
        self.message = message
        self.position = position
    }
    public var description: String { "\(position): \(message)" }
}
