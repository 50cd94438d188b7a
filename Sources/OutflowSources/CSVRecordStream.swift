import OutflowCore

/// The records of a CSV file one at a time, with the line each starts on.
///
/// Joins ``FileInput`` and ``CSVRecordScanner``: scans the next record, reading more of the file when
/// the buffer ends inside it, skips empty lines, and counts physical lines across records whose
/// quoted fields hold line breaks.
///
/// ```swift
/// var stream = CSVRecordStream(input: input)
/// while try stream.advance() { let bytes = stream.cell(0); ... }
/// ```
/// A record's bytes stay valid until the next ``advance()``.
struct CSVRecordStream {
    let input: FileInput
    private(set) var scanner = CSVRecordScanner()
    /// The line where the current record starts.
    private(set) var line = 0
    private var nextLine = 1
    private var holdsRecord = false

    init(input: FileInput) {
        self.input = input
    }

    var fieldCount: Int { scanner.fields.count }

    /// Moves to the next record that is not an empty line; false at the end of the file.
    mutating func advance() throws(SourceError) -> Bool {
        if holdsRecord {
            input.start = scanner.end
            holdsRecord = false
        }
        while true {
            if input.available == 0 {
                if input.atEndOfFile { return false }
                try input.fill()
                continue
            }
            switch scanner.scan(input.bytes, from: input.start, atEndOfFile: input.atEndOfFile) {
            case .needMore:
                try input.fill()
            case .record:
                line = nextLine
                nextLine += scanner.lineBreaks
                if scanner.isBlank {
                    input.start = scanner.end
                    continue
                }
                holdsRecord = true
                return true
            }
        }
    }

    /// Whether field `index` of the current record is quoted, and its byte range is empty.
    @inline(__always)
    func shape(_ index: Int) -> (quoted: Bool, empty: Bool) {
        let field = scanner.fields[index]
        return (field.quoted, field.start == field.end)
    }

    /// The bytes of field `index` of the current record, with its `""` pairs unescaped.
    @inline(__always)
    mutating func cell(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        var field = scanner.fields[index]
        if field.escaped {
            field = scanner.collapse(index, input.collapseQuotePairs(field.start ..< field.end))
        }
        return UnsafeBufferPointer(rebasing: input.bytes[field.start ..< field.end])
    }
}
