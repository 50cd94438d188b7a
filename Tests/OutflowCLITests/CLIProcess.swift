import Foundation

/// Runs the built `outflow` binary as a user would, capturing its output and exit code.
struct CLIProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `outflow` binary beside the test bundle (SwiftPM builds it because the tests depend on it).
    static var binary: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("outflow")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/outflow")
    }

    /// Points `process` at `outflow ARGS`, at the lowest CPU priority when `background`.
    static func configure(_ process: Process, _ arguments: [String], background: Bool) {
        if background, FileManager.default.isExecutableFile(atPath: "/usr/bin/nice") {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
            process.arguments = ["-n", "19", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
    }

    static func fixture(_ relative: String) -> String {
        root.appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }

    /// Runs `outflow ARGS` in `directory` (default: the repository root) and waits for it.
    ///
    /// `background` runs it at the lowest CPU priority (`nice -n 19`, which execs it under the same
    /// pid): for long runs, so that they do not starve the suites that time things in this process.
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil, background: Bool = false
    ) throws -> Result {
        let process = Process()
        configure(process, arguments, background: background)
        process.currentDirectoryURL = directory ?? root
        if let environment { process.environment = environment }
        // Output goes to files, not pipes: a child writing a lot can never block on a full pipe.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL)
        let errData = try Data(contentsOf: errURL)
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}
