import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Testing

/// `outflow serve` runs transformation functions in worker subprocesses, never in its own process
/// (issue 7): a pipeline whose Python function reports its process id in an error runs through the
/// API, and the id is not the server's.
@Suite struct ServeFunctionTests {
    @Test("a run through the API transforms with a function in a worker process, not in the server")
    func functionRunsInAWorker() async throws {
        let source = """
            import os
            def transform(user):
                if user["first_name"] == "Ana":
                    raise TypeError("pid %d" % os.getpid())
                return {"firstname": user["first_name"].upper(), "city": user["address"]["city"]}
            """
        let (directory, file) = try FunctionCommandTests().workspace(function: [
            "source": source, "language": "Python", "preserveJSON": false,
            "inPaths": ["email", "first_name", "address.city"], "outPaths": ["firstname", "city"],
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let served = try await ServeCommandTests.serve([file.path, "--allow-hosts", "127.0.0.1,localhost"], in: CLIProcess.root)
        let token = try #require(try CLIProcess.run(["tokens", "create", "--workspace", "demo", file.path]).stdoutLines.first)

        var status: [String: Any] = [:]
        do {
            let started = try await Self.send("POST", served.origin + "/v1/pipelines/101/runs", token: token)
            let runID = try #require(started["runId"] as? String)
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                status = try await Self.send("GET", served.origin + "/v1/pipelines/101/runs/\(runID)/status", token: token)
                if status["status"] as? String == "finished" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
        } catch {
            _ = try await served.stop(SIGTERM)
            throw error
        }
        let serverPID = served.process.processIdentifier
        _ = try await served.stop(SIGTERM)

        #expect(status["status"] as? String == "finished")
        #expect(status["error"] == nil, "\(status)")
        let counts = try #require(status["counts"] as? [String: Int])
        #expect((counts["created"] ?? 0) + (counts["updated"] ?? 0) > 1000)
        let errors = try #require(status["errors"] as? [[String: Any]])
        let ana = try #require(errors.first { ($0["message"] as? String)?.hasPrefix("TypeError: pid ") == true }, "\(errors.prefix(3))")
        let message = try #require(ana["message"] as? String)
        let pid = try #require(Int32(message.dropFirst("TypeError: pid ".count).prefix { $0.isNumber }))
        #expect(pid != serverPID, "the function ran inside the server's process")
        #expect(pid > 0)
    }

    static func send(_ method: String, _ url: String, token: String) async throws -> [String: Any] {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
