import Foundation
import OutflowCore

extension ReadTranscript {
    /// The body of every reader target: saves `bytes` as `name`, reads the file twice with the
    /// reader `open` makes (in one `wholeChunkSize` chunk with 1,024-row batches, then in the tiny
    /// chunks and batches `smallSizes` picks for these bytes), and traps when the reads differ.
    public static func compareWholeAndChunkedReads<Reader: ProfileReader>(
        of bytes: [UInt8], name: String, schema: ObjectType, wholeChunkSize: Int = 1 << 20,
        open: (_ url: URL, _ chunkSize: Int, _ batchSize: Int) throws -> Reader
    ) {
        let url = ScratchFile.save(bytes, name: name)
        let (chunkSize, batchSize) = smallSizes(for: bytes)
        func transcript(chunkSize: Int, batchSize: Int) -> ReadTranscript {
            do {
                var reader = try open(url, chunkSize, batchSize)
                return read(&reader, schema: schema)
            } catch {
                return failed(error)
            }
        }
        let whole = transcript(chunkSize: wholeChunkSize, batchSize: 1024)
        let chunked = transcript(chunkSize: chunkSize, batchSize: batchSize)
        expectSame(whole, chunked, chunkSize: chunkSize, batchSize: batchSize)
    }
}
