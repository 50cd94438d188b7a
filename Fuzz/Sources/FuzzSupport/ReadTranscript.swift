import OutflowCore

/// Everything a profile reader delivered for one input, as text, so that two reads of the same
/// bytes can be compared: each row's record, line and either its error or its profile, then the
/// error that stopped the read, if any.
///
/// The fuzz targets read each input twice, once in one large chunk and once in tiny chunks and
/// small batches; the readers promise the same rows either way (a record straddling two reads is
/// parsed again once whole), so any difference is a bug even when nothing crashes.
public struct ReadTranscript: Equatable, CustomStringConvertible {
    public private(set) var lines: [String] = []

    public init() {}

    /// Reads `reader` to its end (or its first thrown error) into a transcript.
    public static func read(_ reader: inout some ProfileReader, schema: ObjectType) -> ReadTranscript {
        var transcript = ReadTranscript()
        var batch = ProfileBatch(schema: schema)
        do {
            while try reader.next(into: &batch) {
                for row in 0 ..< batch.count {
                    let outcome = batch.errors[row].map { "error: \($0)" } ?? "\(batch.profile(row))"
                    transcript.lines.append("#\(batch.records[row]) line \(batch.lines[row]): \(outcome)")
                }
            }
        } catch {
            transcript.lines.append("stopped: \(error)")
        }
        return transcript
    }

    /// Records that opening the reader failed.
    public static func failed(_ error: some Error) -> ReadTranscript {
        var transcript = ReadTranscript()
        transcript.lines.append("cannot open: \(error)")
        return transcript
    }

    public var description: String { lines.joined(separator: "\n") }

    /// Stops the fuzzer (libFuzzer saves the input as a crash) when the two reads differ.
    public static func expectSame(_ whole: ReadTranscript, _ chunked: ReadTranscript, chunkSize: Int, batchSize: Int) {
        guard whole != chunked else { return }
        let first = zip(whole.lines, chunked.lines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(whole.lines.count, chunked.lines.count)
        let left = first < whole.lines.count ? whole.lines[first] : "(end)"
        let right = first < chunked.lines.count ? chunked.lines[first] : "(end)"
        fatalError(
            "reading in chunks of \(chunkSize) bytes and batches of \(batchSize) gave different rows at row \(first):\n"
                + "  one chunk: \(left)\n  chunked:   \(right)")
    }

    /// The small chunk and batch sizes of the second read, varied with the input so that chunk
    /// boundaries fall everywhere over a run: chunks of 1 to 16 bytes, batches of 1 to 4 rows.
    public static func smallSizes(for bytes: [UInt8]) -> (chunkSize: Int, batchSize: Int) {
        var hash = 0
        for byte in bytes.prefix(64) { hash = (hash &* 31) &+ Int(byte) }
        let mixed = hash ^ bytes.count
        return (1 + (mixed & 15), 1 + ((mixed >> 4) & 3))
    }
}
