import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `outflow serve` and `outflow tokens create` as a user runs them: the origin line, tokens on
/// the same state store, graceful exit on SIGTERM and SIGINT, usage errors.
@Suite struct ServeCommandTests {
    /// A running `outflow serve`: its process, the origin it printed, and its stdout after that line.
    final class Served: @unchecked Sendable {
        let process: Process
        let origin: String
        let stdout: FileHandle
        /// Bytes read past the origin line (there must be none).
        let extra: Data

        init(process: Process, origin: String, stdout: FileHandle, extra: Data) {
            self.process = process
            self.origin = origin
            self.stdout = stdout
            self.extra = extra
        }

        /// Sends `signal` and waits up to `timeout` seconds for the exit; returns its status, or
        /// nil (after killing it) when it did not exit in time, and what it printed on stdout since.
        func stop(_ signal: Int32, timeout: Double = 15) async throws -> (status: Int32?, stdout: Data) {
            kill(process.processIdentifier, signal)
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return (nil, Data())
            }
            return (process.terminationStatus, extra + stdout.readDataToEndOfFile())
        }
    }

    /// Starts `outflow serve ARGS` in `directory` and reads its first stdout line.
    static func serve(_ arguments: [String], in directory: URL, environment: [String: String]? = nil) async throws -> Served {
        let process = Process()
        CLIProcess.configure(process, ["serve", "--port", "0"] + arguments, background: false)
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        let (line, extra) = await Task.detached { () -> (String?, Data) in
            var buffer = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { return (nil, buffer) }
                buffer.append(chunk)
                if let newline = buffer.firstIndex(of: 0x0A) {
                    return (String(decoding: buffer[..<newline], as: UTF8.self), Data(buffer[buffer.index(after: newline)...]))
                }
            }
        }.value
        guard let line else {
            process.waitUntilExit()
            throw ServeTestError("outflow serve exited with status \(process.terminationStatus) before printing its origin")
        }
        return Served(process: process, origin: line, stdout: reader, extra: extra)
    }

    /// A temporary folder holding the demo workspace as outflow.json (profiles by absolute path).
    static func demoFolder() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: CLIProcess.fixture("workspaces/demo.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../profiles/customers.csv", with: CLIProcess.fixture("profiles/customers.csv"))
        try text.write(to: directory.appendingPathComponent("outflow.json"), atomically: true, encoding: .utf8)
        return directory
    }

    static func get(_ url: String, token: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("serve prints its origin, answers /health, accepts tokens made on its store, and exits 0 on SIGTERM")
    func serveAndTokens() async throws {
        let directory = try Self.demoFolder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("outflow.json").path
        let served = try await Self.serve([file, "--allow-hosts", "127.0.0.1,localhost"], in: CLIProcess.root)

        // Beside the workspace file, as `run` keeps it, whatever the current directory.
        let state = directory.appendingPathComponent(".outflow/state.sqlite").path
        let workspaceToken = try CLIProcess.run(["tokens", "create", "--workspace", "demo", file])
        let adminToken = try CLIProcess.run(["tokens", "create", "--admin", "--state", state])
        let health = try await Self.get(served.origin + "/health")
        let pipelines = try await Self.get(served.origin + "/v1/pipelines", token: workspaceToken.stdoutLines.first)
        let bogus = try await Self.get(served.origin + "/v1/pipelines", token: "ofw_bogus")
        let metricsAsWorkspace = try await Self.get(served.origin + "/metrics", token: workspaceToken.stdoutLines.first)
        let metrics = try await Self.get(served.origin + "/metrics", token: adminToken.stdoutLines.first)
        let started = Date()
        let (status, rest) = try await served.stop(SIGTERM)

        #expect(served.origin.hasPrefix("http://127.0.0.1:"))
        #expect(Int(served.origin.dropFirst("http://127.0.0.1:".count)).map { $0 > 0 } == true)
        #expect(FileManager.default.fileExists(atPath: state))
        #expect(workspaceToken.status == 0)
        #expect(workspaceToken.stdoutLines.count == 1)
        #expect(workspaceToken.stdoutLines.first?.hasPrefix("ofw_") == true)
        #expect(adminToken.stdoutLines.count == 1)
        #expect(adminToken.stdoutLines.first?.hasPrefix("ofa_") == true)
        #expect(health.status == 200)
        #expect(health.body == #"{"status":"ok"}"#)
        // The token passes authentication (the pipelines routes answer 200 with them in place).
        #expect(pipelines.status == 200)
        #expect(bogus.status == 401)
        #expect(metricsAsWorkspace.status == 403)
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("outflow_runs_total"))
        #expect(status == 0)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(rest.isEmpty, "stdout after the origin line: \(String(decoding: rest, as: UTF8.self))")
    }

    @Test("without a workspace file, serve and tokens use .outflow/state.sqlite in the current directory; SIGINT exits 0")
    func currentDirectoryState() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let served = try await Self.serve([], in: directory)
        let token = try CLIProcess.run(["tokens", "create", "--admin"], in: directory)
        let metrics = try await Self.get(served.origin + "/metrics", token: token.stdoutLines.first)
        let (status, rest) = try await served.stop(SIGINT)

        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".outflow/state.sqlite").path))
        #expect(metrics.status == 200)
        #expect(status == 0)
        #expect(rest.isEmpty)
    }

    @Test("usage errors exit 64: tokens without or with both of --workspace/--admin, empty --allow-hosts, a malformed OUTFLOW_SECRET_KEY")
    func usageErrors() throws {
        let neither = try CLIProcess.run(["tokens", "create", "--state", "/nonexistent/state.sqlite"])
        let both = try CLIProcess.run(["tokens", "create", "--admin", "--workspace", "demo", "--state", "/nonexistent/state.sqlite"])
        let hosts = try CLIProcess.run(["serve", "--allow-hosts", ",", "--port", "0"])
        var environment = ProcessInfo.processInfo.environment
        environment["OUTFLOW_SECRET_KEY"] = "not-a-key"
        let key = try CLIProcess.run(["serve", "--port", "0", "--state", "/nonexistent/state.sqlite"], environment: environment)

        #expect(neither.status == 64)
        #expect(neither.stdout.isEmpty)
        #expect(both.status == 64)
        #expect(hosts.status == 64)
        #expect(hosts.stderr.contains("--allow-hosts"))
        #expect(key.status == 64)
        #expect(key.stderr.contains("OUTFLOW_SECRET_KEY must be 32 bytes"))
        #expect(key.stdout.isEmpty)
    }

    @Test("an invalid workspace file fails serve with the messages run gives, exit 1, nothing on stdout")
    func invalidWorkspace() throws {
        let directory = try Self.demoFolder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("outflow.json")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"exportMode\": \"CreateOrUpdate\"", with: "\"exportMode\": \"Sometimes\"")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let serve = try CLIProcess.run(["serve", file.path, "--port", "0"])
        let run = try CLIProcess.run(["run", file.path])

        #expect(serve.status == 1)
        #expect(serve.stdout.isEmpty)
        #expect(serve.stderr.contains("exportMode"))
        #expect(serve.stderr == run.stderr)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".outflow/state.sqlite").path))
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
