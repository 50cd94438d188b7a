import FuzzSupport
import OutflowCore
import OutflowSources

// Fuzz target: a CSV profile file, read as `outflow run` reads warehouse.profiles with the demo
// workspace's schema. Each input is read twice, in one chunk and in tiny chunks and batches, and
// the two reads must deliver the same rows.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let url = ScratchFile.save(bytes, name: "profiles.csv")
    let schema = FuzzSchemas.profiles
    let (chunkSize, batchSize) = ReadTranscript.smallSizes(for: bytes)
    func transcript(chunkSize: Int, batchSize: Int) -> ReadTranscript {
        do {
            var reader = try CSVReader(url: url, displayPath: "profiles.csv", schema: schema, batchSize: batchSize, chunkSize: chunkSize)
            return ReadTranscript.read(&reader, schema: schema)
        } catch {
            return ReadTranscript.failed(error)
        }
    }
    let whole = transcript(chunkSize: CSVReader.defaultChunkSize, batchSize: 1024)
    let chunked = transcript(chunkSize: chunkSize, batchSize: batchSize)
    ReadTranscript.expectSame(whole, chunked, chunkSize: chunkSize, batchSize: batchSize)
    return 0
}

@_cdecl("FuzzCSV_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Built before the first input: a global made during one would read as that input's leak.
    _ = FuzzSchemas.profiles
    return FuzzDriver.run(argc, argv) { data, size in fuzz(data!, size) }
}
