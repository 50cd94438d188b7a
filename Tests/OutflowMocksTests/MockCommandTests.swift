import Foundation
import OutflowHTTP
import Testing

/// `outflow mock` as a user runs it: one line on stdout, then requests, then SIGTERM.
@Suite("Mocks: outflow mock command")
struct MockCommandTests {
    static var binary: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("outflow")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/outflow")
    }

    @Test func printsOriginServesAndStopsOnSigterm() async throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["mock", "hubspot", "--port", "0", "--users", fixturePath("apps/hubspot-users.json"), "--token", "t0k"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let line = try #require(try Self.readLine(stdout.fileHandleForReading, timeout: 30))
        #expect(line.hasPrefix("http://127.0.0.1:"))

        let client = HTTPClient()
        defer { client.shutdown() }
        var request = HTTPRequest(method: .get, url: line + "/crm/v3/objects/contacts/101")
        request.headers["Authorization"] = "Bearer t0k"
        let response = try await client.send(request)
        #expect(response.status == 200)
        #expect(response.text.contains("ella.hall@example.org"))

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let rest = stdout.fileHandleForReading.readDataToEndOfFile()
        #expect(rest.isEmpty)  // exactly one line
    }

    @Test(arguments: ["klaviyo", "brevo", "intercom", "mailerlite", "stripe"])
    func servesEachApplicationMockWithItsFixture(_ name: String) async throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["mock", name, "--users", fixturePath("apps/\(name)-users.json")]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let line = try #require(try Self.readLine(stdout.fileHandleForReading, timeout: 30))
        #expect(line.hasPrefix("http://127.0.0.1:"))

        let client = HTTPClient()
        defer { client.shutdown() }
        let response = try await client.send(HTTPRequest(method: .get, url: line + "/__mock/users"))
        #expect(response.status == 200)
        #expect(response.text.contains("@"))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func badFaultSpecIsAUsageError() throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["mock", "hubspot", "--fault", "429=2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 64)
    }

    /// The first line of `handle`, waiting at most `timeout` seconds.
    private static func readLine(_ handle: FileHandle, timeout: Double) throws -> String? {
        var buffer = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let byte = try handle.read(upToCount: 1) ?? Data()
            if byte.isEmpty { return nil }
            if byte == Data([0x0A]) { return String(decoding: buffer, as: UTF8.self) }
            buffer.append(byte)
        }
        return nil
    }
}
