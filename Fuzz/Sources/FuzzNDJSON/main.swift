import FuzzSupport
import OutflowCore
import OutflowSources

// Fuzz target: a NDJSON profile file (`"format": "ndjson"`), read with the demo workspace's
// schema. Each input is read twice, in one chunk and in tiny chunks and batches, and the two reads
// must deliver the same rows.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let schema = FuzzSchemas.profiles
    ReadTranscript.compareWholeAndChunkedReads(of: FuzzDriver.bytes(data, size), name: "profiles.ndjson", schema: schema) {
        url, chunkSize, batchSize in try NDJSONReader(url: url, displayPath: "profiles.ndjson", batchSize: batchSize, chunkSize: chunkSize)
    }
    return 0
}

@_cdecl("FuzzNDJSON_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Built before the first input: a global made during one would read as that input's leak.
    _ = FuzzSchemas.profiles
    return FuzzDriver.run(argc, argv) { data, size in fuzz(data!, size) }
}
