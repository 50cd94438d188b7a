/// Splits one RFC 4180 record out of a byte buffer into field spans, without copying.
///
/// Fields are separated by `,` and records end at LF or CRLF. A field that starts with `"` is quoted:
/// it runs to the next lone `"`, may hold commas and line breaks, and writes a quote as `""`. A `"`
/// inside an unquoted field is kept as data (`5'11"` reads as written), as most producers expect.
///
/// ```swift
/// var scanner = CSVRecordScanner()
/// switch scanner.scan(bytes, from: start, atEndOfFile: eof) {
/// case .record: // scanner.fields, scanner.end, scanner.lineBreaks
/// case .needMore: // read more and scan again from the same start
/// }
/// ```
/// The scan restarts from the record's first byte after a refill; the spans index the buffer passed in.
struct CSVRecordScanner {
    /// One field: bytes `start ..< end` of the buffer (inside the quotes when quoted).
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
        /// The field holds `""` pairs that decode to one `"` each.
        var escaped: Bool
    }

    enum Outcome {
        /// A whole record is in ``fields``; it ends before ``end``.
        case record
        /// The buffer ends inside the record; read more and scan again.
        case needMore
    }

    enum Problem: Equatable {
        /// The file ends inside a quoted field.
        case unterminatedQuote
        /// Something other than a comma or a line break follows the closing quote of field `index`.
        case textAfterQuote(field: Int)
    }

    private(set) var fields: [Field] = []
    /// One past the record's terminator.
    private(set) var end = 0
    /// Line breaks the record spans, its terminator included.
    private(set) var lineBreaks = 0
    private(set) var problem: Problem?

    /// True when the record is an empty line, which readers skip.
    var isBlank: Bool {
        fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end && problem == nil
    }

    /// Records that field `index` now spans `range`, its quote pairs unescaped in place.
    mutating func collapse(_ index: Int, _ range: Range<Int>) -> Field {
        fields[index] = Field(start: range.lowerBound, end: range.upperBound, quoted: true, escaped: false)
        return fields[index]
    }

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// The index of the first `,` or line feed at or after `index`, or `bytes.count`; eight bytes at a
    /// time, since unquoted fields are most of a file.
    @inline(__always)
    private static func delimiter(in bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        let count = bytes.count
        var i = index
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let commas = word ^ 0x2C2C_2C2C_2C2C_2C2C
                let lineFeeds = word ^ 0x0A0A_0A0A_0A0A_0A0A
                // A zero byte in either marks a match (the classic has-zero-byte test; exact for the lowest match).
                let found = ((commas &- 0x0101_0101_0101_0101) & ~commas | (lineFeeds &- 0x0101_0101_0101_0101) & ~lineFeeds)
                    & 0x8080_8080_8080_8080
                if found != 0 { return i + found.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < count, bytes[i] != comma, bytes[i] != lineFeed { i += 1 }
        return i
    }

    /// Scans the record that starts at `start`; the buffer must hold at least one byte from there on.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEndOfFile: Bool) -> Outcome {
        fields.removeAll(keepingCapacity: true)
        lineBreaks = 0
        problem = nil
        let count = bytes.count
        var i = start
        while true {
            if i < count, bytes[i] == Self.quote {
                // Quoted field.
                i += 1
                let contentStart = i
                var escaped = false
                var breaks = 0
                while true {
                    while i < count, bytes[i] != Self.quote {
                        if bytes[i] == Self.lineFeed { breaks += 1 }
                        i += 1
                    }
                    if i == count {
                        guard atEndOfFile else { return .needMore }
                        lineBreaks += breaks
                        fields.append(Field(start: contentStart, end: count, quoted: true, escaped: escaped))
                        problem = .unterminatedQuote
                        end = count
                        return .record
                    }
                    if i + 1 < count, bytes[i + 1] == Self.quote {
                        escaped = true
                        i += 2
                        continue
                    }
                    if i + 1 == count, !atEndOfFile { return .needMore }
                    break
                }
                lineBreaks += breaks
                fields.append(Field(start: contentStart, end: i, quoted: true, escaped: escaped))
                i += 1
                if i == count {
                    guard atEndOfFile else { return .needMore }
                    end = count
                    return .record
                }
                let next = bytes[i]
                if next == Self.comma {
                    i += 1
                    continue
                }
                if next == Self.lineFeed {
                    lineBreaks += 1
                    end = i + 1
                    return .record
                }
                if next == Self.carriageReturn {
                    if i + 1 == count {
                        guard atEndOfFile else { return .needMore }
                        end = count
                        return .record
                    }
                    if bytes[i + 1] == Self.lineFeed {
                        lineBreaks += 1
                        end = i + 2
                        return .record
                    }
                }
                // Stray text after the closing quote: keep scanning to the field's end, and report it.
                if problem == nil { problem = .textAfterQuote(field: fields.count - 1) }
                while i < count, bytes[i] != Self.comma, bytes[i] != Self.lineFeed { i += 1 }
                if i == count {
                    guard atEndOfFile else { return .needMore }
                    end = count
                    return .record
                }
                if bytes[i] == Self.comma {
                    i += 1
                    continue
                }
                lineBreaks += 1
                end = i + 1
                return .record
            }
            // Unquoted field: the hot path.
            let fieldStart = i
            i = Self.delimiter(in: bytes, from: i)
            if i == count {
                guard atEndOfFile else { return .needMore }
                var fieldEnd = count
                if fieldEnd > fieldStart, bytes[fieldEnd - 1] == Self.carriageReturn { fieldEnd -= 1 }
                fields.append(Field(start: fieldStart, end: fieldEnd, quoted: false, escaped: false))
                end = count
                return .record
            }
            if bytes[i] == Self.comma {
                fields.append(Field(start: fieldStart, end: i, quoted: false, escaped: false))
                i += 1
                continue
            }
            var fieldEnd = i
            if fieldEnd > fieldStart, bytes[fieldEnd - 1] == Self.carriageReturn { fieldEnd -= 1 }
            fields.append(Field(start: fieldStart, end: fieldEnd, quoted: false, escaped: false))
            lineBreaks += 1
            end = i + 1
            return .record
        }
    }
}
