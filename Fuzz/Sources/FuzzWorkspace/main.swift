import FuzzSupport
import OutflowCore
import OutflowWorkspace

// Fuzz target: a workspace file, decoded and validated as JSON (in memory, as `outflow serve` takes
// a workspace document) and as YAML through the file loader (`outflow run outflow.yaml`). YAML is
// close to a superset of JSON, so the JSON seeds reach the YAML path too.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    if let json = try? JSONParser.parse(bytes: bytes) {
        _ = try? Workspace.decode(json)
    }
    let url = ScratchFile.save(bytes, name: "outflow.yaml")
    _ = try? WorkspaceFile.load(path: url.path)
    return 0
}

@_cdecl("FuzzWorkspace_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in fuzz(data!, size) }
}
