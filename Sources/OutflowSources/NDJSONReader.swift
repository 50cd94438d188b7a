import Foundation
import OutflowCore

/// Reads profiles from an NDJSON file: one JSON object per line (DESIGN section 4).
///
/// The file streams in chunks and each line is parsed on its own, so memory holds one chunk plus the
/// longest line. Lines that hold only spaces are skipped and do not count as records. A line that is
/// not valid JSON, not an object, or an object that does not fit the schema fails that profile only
/// (stage `input`), with its line number; reading goes on.
///
/// ```swift
/// var reader = try NDJSONReader(url: url, displayPath: "customers.ndjson")
/// var batch = ProfileBatch(schema: schema)
/// while try reader.next(into: &batch) { ... }
/// ```
public struct NDJSONReader: ProfileReader {
    private let input: FileInput
    private let batchSize: Int
    /// The line last returned by ``nextLine()``.
    private var line = 0
    private var record = 0
    /// Where the line last returned ends, terminator included; consumed on the next call.
    private var consumedEnd: Int?

    public init(url: URL, displayPath: String, batchSize: Int = 1024, chunkSize: Int = 1 << 20) throws(SourceError) {
        input = try FileInput(url: url, displayPath: displayPath, chunkSize: chunkSize)
        self.batchSize = max(1, batchSize)
        try input.skipByteOrderMark()
    }

    public mutating func next(into batch: inout ProfileBatch) throws(SourceError) -> Bool {
        batch.removeAll()
        while batch.count < batchSize, let range = try nextLine() {
            let bytes = input.bytes
            var end = range.upperBound
            if end > range.lowerBound, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let text = UnsafeBufferPointer(rebasing: bytes[range.lowerBound ..< end])
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            record += 1
            let row = batch.appendRow(record: record, line: line)
            do {
                let json = try JSONParser.parseDocument(text)
                JSONProfileRow.fill(row, of: &batch, from: json, line: line)
            } catch {
                batch.fail(row, "line \(line): invalid JSON at column \(error.position.column): \(error.message)")
            }
        }
        return !batch.isEmpty
    }

    /// The byte range of the next line, without its line feed; nil at the end of the file.
    private mutating func nextLine() throws(SourceError) -> Range<Int>? {
        if let consumedEnd {
            input.start = consumedEnd
            self.consumedEnd = nil
        }
        var searched = 0
        while true {
            let bytes = input.bytes
            var i = input.start + searched
            while i < input.end, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            if i < input.end {
                line += 1
                consumedEnd = i + 1
                return input.start ..< i
            }
            if input.atEndOfFile {
                guard input.available > 0 else { return nil }
                line += 1
                consumedEnd = input.end
                return input.start ..< input.end
            }
            searched = input.available
            try input.fill()
        }
    }
}
