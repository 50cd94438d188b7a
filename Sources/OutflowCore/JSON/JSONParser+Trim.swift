/// Which members of an answer's records a reader needs: the records are the array in the top-level
/// member `records`, and of each record object only the members in `keep` are built.
///
/// A connector maps a batch answer by a few paths per record (HubSpot: `id`, `new`,
/// `objectWriteTraceId`), while each record also echoes every property written, its timestamps and
/// more. Building all of that as strings and then freeing it was a tenth of a fast sync's CPU.
///
/// ```swift
/// let answer = try JSONParser.parse(bytes: body, trimming: JSONTrim(records: "results", keep: ["id", "new"]))
/// ```
public struct JSONTrim: Sendable, Hashable {
    public var records: String
    public var keep: Set<String>

    public init(records: String, keep: Set<String>) {
        self.records = records
        self.keep = keep
    }
}

extension JSONParser {
    /// Parses one complete document like ``parse(bytes:)``, except that in the records `trim` names
    /// the members it does not keep are skipped: checked for JSON structure (nesting, quotes,
    /// literals, numbers) but not built, so invalid UTF-8 or a bad escape inside one goes unnoticed.
    /// Everything outside those records is parsed as usual, errors included.
    public static func parse(bytes: [UInt8], trimming trim: JSONTrim) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONSyntaxError) in
                var start = 0
                if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
                var parser = JSONParser(bytes: buffer, offset: start)
                let value = try parser.peek() == UInt8(ascii: "{") ? parser.parseObject(trimming: trim) : parser.parseValue()
                parser.skipWhitespace()
                if parser.offset < buffer.count {
                    throw parser.error("unexpected \(parser.describe(parser.offset)) after the end of the JSON value")
                }
                return value
            }
        }.get()
    }

    /// The top-level object, its `trim.records` member parsed as trimmed records.
    private mutating func parseObject(trimming trim: JSONTrim) throws(JSONSyntaxError) -> JSONValue {
        // Member names compared as bytes, so a skipped member costs no String.
        let kept = trim.keep.map { Array($0.utf8) }
        var members: [(key: String, value: JSONValue)] = []
        try forEachMember { parser throws(JSONSyntaxError) in
            let key = try parser.parseString()
            try parser.expect(UInt8(ascii: ":"), "':' after the member name")
            if key == trim.records, parser.peek() == UInt8(ascii: "[") {
                var records: [JSONValue] = []
                try parser.forEachElement { parser throws(JSONSyntaxError) in
                    records.append(parser.peek() == UInt8(ascii: "{") ? try parser.record(keeping: kept) : try parser.parseValue())
                }
                members.append((key, .array(records)))
            } else {
                members.append((key, try parser.parseValue()))
            }
        }
        return .object(JSONObject(members))
    }

    /// A record object: the members named in `kept` (UTF-8 names) parsed, the others skipped. A name
    /// written with escapes is decoded before it is compared.
    private mutating func record(keeping kept: [[UInt8]]) throws(JSONSyntaxError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        try forEachMember { parser throws(JSONSyntaxError) in
            let nameStart = parser.offset + 1
            try parser.skipString()
            let name = UnsafeBufferPointer(rebasing: parser.bytes[nameStart..<(parser.offset - 1)])
            var key: String?
            if name.contains(UInt8(ascii: "\\")) {
                var again = JSONParser(bytes: parser.bytes, offset: nameStart - 1)
                let decoded = try again.parseString()
                if kept.contains(where: { $0.elementsEqual(decoded.utf8) }) { key = decoded }
            } else if kept.contains(where: { $0.elementsEqual(name) }) {
                key = String(decoding: name, as: UTF8.self)
            }
            try parser.expect(UInt8(ascii: ":"), "':' after the member name")
            if let key {
                members.append((key, try parser.parseValue()))
            } else {
                try parser.skipValue()
            }
        }
        return .object(JSONObject(members))
    }

    /// Moves past one value without building it.
    mutating func skipValue() throws(JSONSyntaxError) {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            try forEachMember { parser throws(JSONSyntaxError) in
                try parser.skipString()
                try parser.expect(UInt8(ascii: ":"), "':' after the member name")
                try parser.skipValue()
            }
        case UInt8(ascii: "["): try forEachElement { parser throws(JSONSyntaxError) in try parser.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        default: throw error("unexpected \(describe(offset)), expected a value")
        }
    }

    /// Moves past a string; on anything but plain bytes and escapes, the full parser reports the error.
    private mutating func skipString() throws(JSONSyntaxError) {
        let start = offset
        offset += 1
        // Eight bytes at a time while none is a quote, a backslash or a control character.
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while offset + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                if special & highs != 0 { break }
                offset += 8
            }
        }
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return
            }
            if byte < 0x20 { break }
            offset += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        offset = start
        _ = try parseString()
    }
}
