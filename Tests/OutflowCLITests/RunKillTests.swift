import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import OutflowMocks
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` in the middle of `outflow run`, then a second run: the application ends with exactly the
/// users a run without the kill gives, and no email twice.
@Suite(.serialized) struct RunKillTests {
    /// A workspace over the demo profiles whose connection points at `origin` (no `"mock"`, so the
    /// state store is a file in `directory`).
    static func workspace(origin: String) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: CLIProcess.fixture("workspaces/demo.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../profiles/customers.csv", with: CLIProcess.fixture("profiles/customers.csv"))
        text = text.replacingOccurrences(
            of: #""settings": {},\#n      "mock": true"#, with: #""settings": {"baseURL": "\#(origin)", "accessToken": "test-token"}"#)
        #expect(text.contains(origin))
        let path = directory.appendingPathComponent("outflow.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (directory, path)
    }

    static func mock(latency: String?) async throws -> MockServer {
        var options = MockOptions()
        options.users = Array(try Data(contentsOf: URL(fileURLWithPath: CLIProcess.fixture("apps/hubspot-users.json"))))
        if let latency { options.faults = try FaultSpec.parse("latency=\(latency)") }
        return try await MockServer.start(.hubspot, options: options)
    }

    /// The emails the mock holds, lower-cased, in creation order.
    static func emails(_ origin: String) async throws -> [String] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: origin + "/__mock/users")!)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let users = try #require(object["users"] as? [[String: Any]])
        return users.compactMap { (($0["properties"] as? [String: Any])?["email"] as? String)?.lowercased() }
    }

    @Test func aRunKilledMidwayIsFinishedByTheNextWithNoDuplicate() async throws {
        let expected = try DemoExpectation.hubSpotEmails()
        #expect(expected.count == 1200)

        // Each request waits, so the run is still sending when it is killed.
        let server = try await Self.mock(latency: "400ms")
        let (directory, workspace) = try Self.workspace(origin: server.origin)
        defer { try? FileManager.default.removeItem(at: directory) }
        let initial = try await Self.emails(server.origin).count
        let process = Process()
        // 4 batches in flight: the demo's 12 batches go out in waves, so the kill lands while some are unsent.
        CLIProcess.configure(process, ["run", workspace, "--pipeline", "101", "--max-in-flight", "4"], background: true)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while try await Self.emails(server.origin).count == initial, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let partial = try await Self.emails(server.origin).count
        #expect(partial > initial)
        #expect(partial < expected.count, "the run finished before it was killed; raise the mock's latency")

        // The lock of the killed run names a pid that is gone, so the second run takes it over.
        let second = try CLIProcess.run(["run", workspace, "--pipeline", "101", "--json"], background: true)
        #expect(second.status == 2, "\(second.stderr)")
        let emails = try await Self.emails(server.origin)
        #expect(Set(emails).count == emails.count)
        #expect(Set(emails) == expected)
        await server.stop()

        let runs = try CLIProcess.run(["runs", "list", workspace], background: true)
        #expect(runs.stdoutLines.count == 2)
        #expect(runs.stdoutLines.last?.contains("failed") == true)
        #expect(runs.stdoutLines.last?.contains("error: interrupted") == true)
    }
}

extension RunKillTests {
    @Test func ctrlCCommitsTheBatchesInFlightAndExits130() async throws {
        let server = try await Self.mock(latency: "400ms")
        let (directory, workspace) = try Self.workspace(origin: server.origin)
        defer { try? FileManager.default.removeItem(at: directory) }
        let initial = try await Self.emails(server.origin).count
        let process = Process()
        // 4 batches in flight, so Ctrl-C lands while batches are still unsent (the demo has 12).
        CLIProcess.configure(process, ["run", workspace, "--pipeline", "101", "--json", "--max-in-flight", "4"], background: true)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while try await Self.emails(server.origin).count == initial, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGINT)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let line = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(line["status"] as? String == "failed")
        #expect(line["error"] as? String == "interrupted")
        // Everything the application holds now was recorded: the next run creates only the rest.
        let held = try await Self.emails(server.origin).count - initial
        let counts = try #require(line["counts"] as? [String: Int])
        #expect(counts["created"] == held)
        await server.stop()
    }
}
