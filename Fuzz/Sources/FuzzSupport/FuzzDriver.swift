import CLibFuzzer

/// Starts libFuzzer from a fuzz target's entry point.
///
/// SwiftPM links every executable with `--defsym main=<Module>_main`, expecting the module to define
/// that symbol; under `-parse-as-library` nothing does, and the link fails with
/// `undefined symbol 'FuzzCSV_main'`. So each target defines `<Module>_main` with `@_cdecl` and calls
/// ``run(_:_:_:)``, which hands the arguments to the driver libFuzzer's own main() would have run.
///
/// ```swift
/// @_cdecl("FuzzCSV_main")
/// public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
///     FuzzDriver.run(argc, argv) { data, size in fuzz(data, size) }
/// }
/// ```
public enum FuzzDriver {
    public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: Callback) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
    }

    /// The input as an array; libFuzzer passes a valid pointer even for an empty input, but a nil one
    /// costs nothing to accept.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}
