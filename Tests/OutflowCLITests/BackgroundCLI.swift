#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// `outflow mock` or `outflow serve` running as its own process: the origin it printed on its
/// first stdout line, and its stderr (kept in a file) for when it stops.
///
/// ```swift
/// let mock = try await BackgroundCLI.start(["mock", "hubspot", "--port", "0", "--token", "t"])
/// defer { mock.stop() }
/// ```
final class BackgroundCLI: @unchecked Sendable {
    let process: Process
    let origin: String
    let stderrURL: URL
    private let scratch: URL

    private init(process: Process, origin: String, stderrURL: URL, scratch: URL) {
        self.process = process
        self.origin = origin
        self.stderrURL = stderrURL
        self.scratch = scratch
    }

    static func start(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) async throws -> BackgroundCLI {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let stderrURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        CLIProcess.configure(process, arguments, background: false)
        process.currentDirectoryURL = directory ?? CLIProcess.root
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A thread of its own for the blocking read: the tests' cooperative pool may be busy
        // waiting on other processes.
        let reader = output.fileHandleForReading
        let line: String? = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var buffer = Data()
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { return continuation.resume(returning: nil) }
                    buffer.append(chunk)
                    if let newline = buffer.firstIndex(of: 0x0A) {
                        return continuation.resume(returning: String(decoding: buffer[..<newline], as: UTF8.self))
                    }
                }
            }
        }
        guard let line else {
            process.waitUntilExit()
            throw CatalogueError("outflow \(arguments.joined(separator: " ")) exited with status \(process.terminationStatus) before printing its origin")
        }
        return BackgroundCLI(process: process, origin: line, stderrURL: stderrURL, scratch: scratch)
    }

    /// Stops it with SIGTERM (SIGKILL after 15 s) and returns what it wrote on stderr.
    @discardableResult
    func stop() -> String {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let text = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: scratch)
        return text
    }
}
