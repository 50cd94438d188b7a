import Foundation
import OutflowCore

/// Reads profiles from a JSON file that holds one array of objects (DESIGN section 4).
///
/// The array streams: elements are parsed one at a time from a buffer refilled in chunks, so memory
/// holds one chunk plus the largest element, never the whole array. An element that is valid JSON
/// but not an object, or an object that does not fit the schema, fails that profile only (stage
/// `input`) and reading goes on. A syntax error is different: once the array is malformed there is
/// no telling where the next element starts, so the profiles before it are delivered and the next
/// call to ``next(into:)`` throws, naming the line.
///
/// ```swift
/// var reader = try JSONArrayReader(url: url, displayPath: "customers.json")
/// var batch = ProfileBatch(schema: schema)
/// while try reader.next(into: &batch) { ... }
/// ```
public struct JSONArrayReader: ProfileReader {
    private enum State {
        case first, afterElement, done
    }

    /// A parse that fails this close to the end of the buffer may only lack bytes not yet read
    /// (a literal such as `false` or a `\u` escape cut by the chunk), so it is retried after a read.
    private static let truncationWindow = 8

    private let input: FileInput
    private let batchSize: Int
    /// The line of the byte at `input.start`.
    private var line = 1
    private var record = 0
    private var state = State.first
    /// A syntax error met after some good elements of the batch, thrown by the next call.
    private var pendingError: SourceError?

    public init(url: URL, displayPath: String, batchSize: Int = 1024, chunkSize: Int = 1 << 20) throws(SourceError) {
        input = try FileInput(url: url, displayPath: displayPath, chunkSize: chunkSize)
        self.batchSize = max(1, batchSize)
        try input.skipByteOrderMark()
        guard try skipWhitespace() else {
            throw SourceError(file: displayPath, message: "the file is empty; a JSON source holds one array of profile objects")
        }
        let first = input.bytes[input.start]
        guard first == UInt8(ascii: "[") else {
            let hint = first == UInt8(ascii: "{") ? " (for one object per line, use the ndjson format)" : ""
            throw SourceError(file: displayPath, line: line, message: "expected a JSON array of profile objects, found \(Self.describe(first))\(hint)")
        }
        input.start += 1
    }

    public mutating func next(into batch: inout ProfileBatch) throws(SourceError) -> Bool {
        batch.removeAll()
        if let error = pendingError {
            pendingError = nil
            throw error
        }
        while batch.count < batchSize, state != .done {
            do {
                guard let (json, elementLine) = try nextElement() else { break }
                record += 1
                let row = batch.appendRow(record: record, line: elementLine)
                JSONProfileRow.fill(row, of: &batch, from: json, line: elementLine)
            } catch {
                state = .done
                if batch.isEmpty { throw error }
                pendingError = error
            }
        }
        return !batch.isEmpty
    }

    /// The next element and its line, or nil after the closing bracket.
    private mutating func nextElement() throws(SourceError) -> (JSONValue, Int)? {
        guard try skipWhitespace() else { throw fatal("the file ends before the array is closed with ']'") }
        let byte = input.bytes[input.start]
        if byte == UInt8(ascii: "]"), state == .first || state == .afterElement {
            input.start += 1
            state = .done
            if try skipWhitespace() { throw fatal("unexpected \(Self.describe(input.bytes[input.start])) after the end of the array") }
            return nil
        }
        if state == .afterElement {
            guard byte == UInt8(ascii: ",") else { throw fatal("expected ',' or ']' after a profile, found \(Self.describe(byte))") }
            input.start += 1
            guard try skipWhitespace() else { throw fatal("the file ends before the array is closed with ']'") }
        }
        let elementLine = line
        while true {
            let slice = UnsafeBufferPointer(rebasing: input.bytes[input.start ..< input.end])
            var parser = JSONParser(bytes: slice)
            let value: JSONValue
            do {
                value = try parser.parseValue()
            } catch {
                if !input.atEndOfFile, slice.count - parser.offset < Self.truncationWindow {
                    try input.fill()
                    continue
                }
                throw SourceError(
                    file: input.displayPath, line: elementLine + error.position.line - 1,
                    message: "invalid JSON: \(error.message); the profiles before this point were read, the rest of the file is skipped")
            }
            // A number that ends at the end of the buffer may go on in the next chunk.
            if parser.offset == slice.count, !input.atEndOfFile {
                try input.fill()
                continue
            }
            advance(by: parser.offset)
            state = .afterElement
            return (value, elementLine)
        }
    }

    /// Consumes spaces and line breaks, reading more as needed; false at the end of the file.
    private mutating func skipWhitespace() throws(SourceError) -> Bool {
        while true {
            let bytes = input.bytes
            var i = input.start
            while i < bytes.count {
                let byte = bytes[i]
                if byte == 0x0A {
                    line += 1
                } else if byte != 0x20, byte != 0x09, byte != 0x0D {
                    break
                }
                i += 1
            }
            input.start = i
            if i < bytes.count { return true }
            if input.atEndOfFile { return false }
            try input.fill()
        }
    }

    private mutating func advance(by count: Int) {
        let bytes = input.bytes
        for i in input.start ..< input.start + count where bytes[i] == 0x0A { line += 1 }
        input.start += count
    }

    private func fatal(_ message: String) -> SourceError {
        SourceError(file: input.displayPath, line: line, message: message)
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(UnicodeScalar(byte))'" : "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
