import Foundation
import OutflowCore
import OutflowServer
import OutflowStore
import Testing

@Suite("Runs API")
struct RunRoutesTests {
    static let countNames = ["read", "filteredOut", "created", "updated", "unchanged", "skipped", "failed"]

    @Test("a pipeline run: runId at once, status until finished, counts that add up, a second run finds everything unchanged")
    func pipelineRun() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let started = try await server.request(.post, "/v1/pipelines/101/runs", token: token)
        let runId = try #require(started.body["runId"].flatMap(PipelineBodies.int))
        let first = try await Self.finished(server, "/v1/pipelines/101/runs/\(runId)/status")
        let again = try await server.request(.post, "/v1/pipelines/101/runs", body: #"{"parameters":[]}"#, token: token)
        let againId = try #require(again.body["runId"].flatMap(PipelineBodies.int))
        let second = try await Self.finished(server, "/v1/pipelines/101/runs/\(againId)/status")
        let list = try await server.request(.get, "/v1/pipelines/101/runs", token: token)
        let limited = try await server.request(.get, "/v1/pipelines/101/runs?limit=1", token: token)
        let zero = try await server.request(.get, "/v1/pipelines/101/runs?limit=0", token: token)
        let tooMany = try await server.request(.get, "/v1/pipelines/101/runs?limit=1001", token: token)
        await server.stop()

        #expect(started.status == 200)
        #expect(started.body.objectKeys == ["runId"])
        #expect(started.body["runId"] == .string(String(runId)))
        #expect(first.objectKeys == ["jobId", "jobRunId", "status", "startedAt", "finishedAt", "tasks", "counts", "errors"])
        #expect(first["jobId"] == "101")
        #expect(first["jobRunId"] == .string(String(runId)))
        #expect(first["status"] == "finished")
        #expect(Self.isTimestamp(first["startedAt"]))
        #expect(Self.isTimestamp(first["finishedAt"]))
        #expect(first["tasks"]?[0]?.objectKeys == ["taskId", "taskRunId", "startedAt", "finishedAt"])
        #expect(first["tasks"]?[0]?["taskId"] == "101")
        #expect(first["tasks"]?[0]?["taskRunId"] == .string(String(runId)))
        #expect(first["tasks"]?[0]?["finishedAt"] == first["finishedAt"])
        #expect(first["tasks"]?[1] == nil)
        let counts = Self.counts(first)
        #expect(counts.keys.sorted() == Self.countNames.sorted())
        #expect((counts["read"] ?? 0) > 1000)
        #expect(counts["read"] == Self.countNames.dropFirst().reduce(0) { $0 + (counts[$1] ?? 0) })
        #expect((counts["created"] ?? 0) > 0)
        if case .array(let errors)? = first["errors"] {
            #expect(errors.count == min(counts["failed"] ?? 0, 100))
            #expect(errors.first.map { $0.objectKeys == ["profile", "stage", "message"] } ?? true)
        } else {
            Issue.record("no errors array")
        }
        #expect(again.status == 200)
        let secondCounts = Self.counts(second)
        #expect(secondCounts["unchanged"] == (counts["created"] ?? 0) + (counts["updated"] ?? 0))
        #expect(secondCounts["created"] == 0)
        #expect(list.body["runs"]?[0]?["jobRunId"] == .string(String(againId)))
        #expect(list.body["runs"]?[1]?["jobRunId"] == .string(String(runId)))
        #expect(list.body["runs"]?[2] == nil)
        #expect(limited.body["runs"]?[0]?["jobRunId"] == .string(String(againId)))
        #expect(limited.body["runs"]?[1] == nil)
        #expect(zero.status == 422)
        #expect(tooMany.status == 422)
    }

    @Test("pipeline run errors: 422 parameters, 404 pipeline and run")
    func pipelineRunErrors() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let modelRefs = try await server.request(.post, "/v1/pipelines/101/runs", body: #"{"parameters":["--model_refs=101"]}"#, token: token)
        let badTime = try await server.request(.post, "/v1/pipelines/101/runs", body: #"{"parameters":["--begin_time=yesterday"]}"#, token: token)
        let unknownParameter = try await server.request(.post, "/v1/pipelines/101/runs", body: #"{"parameters":["--fast"]}"#, token: token)
        let unknownPipeline = try await server.request(.post, "/v1/pipelines/5/runs", token: token)
        let noWorkspace = try await server.request(.post, "/v1/pipelines/101/runs", token: server.adminToken, headers: [("Workspace", "nope")])
        let noRun = try await server.request(.get, "/v1/pipelines/101/runs/999/status", token: token)
        let notInteger = try await server.request(.get, "/v1/pipelines/101/runs/abc/status", token: token)
        // A run of 102 is not a run of 101.
        let other = try await server.request(.post, "/v1/pipelines/102/runs", token: token)
        let otherId = try #require(other.body["runId"].flatMap(PipelineBodies.int))
        let crossed = try await server.request(.get, "/v1/pipelines/101/runs/\(otherId)/status", token: token)
        let own = try await server.request(.get, "/v1/pipelines/102/runs/\(otherId)/status", token: token)
        await server.server.services.runs.waitForIdle()
        let runs = try server.server.services.store.runs(pipeline: 101).count
        await server.stop()

        #expect(modelRefs.status == 422)
        #expect(modelRefs.body.errorMessage.contains("parameter is not supported"))
        #expect(badTime.status == 422)
        #expect(badTime.body.errorMessage.contains("--begin_time"))
        #expect(unknownParameter.status == 422)
        #expect(unknownPipeline.status == 404)
        #expect(unknownPipeline.body.errorMessage == "pipeline does not exist")
        #expect(noWorkspace.status == 404)
        #expect(noWorkspace.body.errorMessage == "workspace does not exist")
        #expect(noRun.status == 404)
        #expect(noRun.body.errorMessage == "run does not exist")
        #expect(notInteger.status == 404)
        #expect(crossed.status == 404)
        #expect(crossed.body.errorMessage == "run does not exist")
        #expect(own.status == 200)
        #expect(runs == 0)
    }

    @Test("a disabled pipeline runs when asked; nothing runs in a workspace that is not ACTIVE")
    func disabledAndInactive() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        _ = try await server.request(.put, "/v1/pipelines/102/status", body: #"{"enabled":false}"#, token: token)
        let disabled = try await server.request(.post, "/v1/pipelines/102/runs", token: token)
        await server.server.services.runs.waitForIdle()
        try server.server.services.store.setWorkspaceStatus("demo", .inactive)
        let inactive = try await server.request(.post, "/v1/pipelines/101/runs", token: token)
        let inactiveJob = try await server.request(.post, "/sources/demo/start", token: token)
        await server.stop()

        #expect(disabled.status == 200)
        #expect(inactive.status == 409)
        #expect(inactiveJob.status == 409)
    }

    @Test("a window parameter filters profiles out; --rebase_incremental re-sends")
    func parameters() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let windowed = try await server.request(
            .post,
            "/v1/pipelines/101/runs",
            body: #"{"parameters":["--begin_time=2024-01-01T00:00:00Z","--end_time=2025-01-01T00:00:00Z"]}"#,
            token: token
        )
        let id = try #require(windowed.body["runId"].flatMap(PipelineBodies.int))
        let status = try await Self.finished(server, "/v1/pipelines/101/runs/\(id)/status")
        await server.stop()

        let counts = Self.counts(status)
        #expect(windowed.status == 200)
        #expect((counts["filteredOut"] ?? 0) > 0)
        #expect((counts["filteredOut"] ?? 0) < (counts["read"] ?? 0))
        #expect(counts["read"] == Self.countNames.dropFirst().reduce(0) { $0 + (counts[$1] ?? 0) })
    }

    @Test("409 while the pipeline runs; running shows in GET; DELETE refused while it runs")
    func conflictWhileRunning() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        try Self.addSlowPipeline(server)
        let first = try await server.request(.post, "/v1/pipelines/103/runs", token: token)
        let second = try await server.request(.post, "/v1/pipelines/103/runs", token: token)
        let got = try await server.request(.get, "/v1/pipelines/103", token: token)
        let deleted = try await server.request(.delete, "/v1/pipelines/103", token: token)
        let firstId = try #require(first.body["runId"].flatMap(PipelineBodies.int))
        let status = try await server.request(.get, "/v1/pipelines/103/runs/\(firstId)/status", token: token)
        let idle = try await server.request(.get, "/v1/pipelines/101", token: token)
        await server.stop()

        #expect(first.status == 200)
        #expect(second.status == 409)
        #expect(second.body["error"]?["code"] == "conflict")
        #expect(got.body["running"] == true)
        #expect(deleted.status == 409)
        #expect(status.body["status"] == "running")
        #expect(status.body["finishedAt"] == .null)
        #expect(status.body["tasks"]?[0]?["finishedAt"] == .null)
        #expect(idle.body["running"] == false)
    }

    @Test("POST /sources/demo/start runs every enabled pipeline as one job")
    func workspaceRun() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let started = try await server.request(.post, "/sources/demo/start", token: token)
        let jobId = try #require(started.body["runId"].flatMap(PipelineBodies.int))
        let job = try await Self.finished(server, "/sources/demo/runs/\(jobId)/status")
        let only = try await server.request(.post, "/sources/demo/start", body: #"{"parameters":["--model_refs=102"]}"#, token: token)
        let onlyId = try #require(only.body["runId"].flatMap(PipelineBodies.int))
        let onlyJob = try await Self.finished(server, "/sources/demo/runs/\(onlyId)/status")
        let byName = try await server.request(
            .post,
            "/sources/demo/start",
            body: #"{"parameters":["--model_refs=Customers to HubSpot"]}"#,
            token: token
        )
        let byNameId = try #require(byName.body["runId"].flatMap(PipelineBodies.int))
        let byNameJob = try await Self.finished(server, "/sources/demo/runs/\(byNameId)/status")
        await server.stop()

        #expect(started.status == 200)
        #expect(started.body.objectKeys == ["runId"])
        #expect(job.objectKeys == ["jobId", "jobRunId", "status", "startedAt", "finishedAt", "tasks", "counts"])
        #expect(job["jobId"] == "demo")
        #expect(job["jobRunId"] == .string(String(jobId)))
        #expect(Self.isTimestamp(job["finishedAt"]))
        guard case .array(let tasks)? = job["tasks"] else {
            Issue.record("no tasks: \(job)")
            return
        }
        #expect(tasks.map { $0["taskId"] } == ["101", "102"])
        #expect(tasks.allSatisfy { $0["status"] == "finished" && Self.isTimestamp($0["finishedAt"]) })
        #expect(tasks.first?.objectKeys == ["taskId", "taskRunId", "startedAt", "finishedAt", "status", "counts"])
        let total = Self.counts(job)
        for name in Self.countNames {
            #expect(total[name] == tasks.reduce(0) { $0 + (Self.counts($1)[name] ?? 0) })
        }
        #expect((Self.counts(tasks[0])["created"] ?? 0) > 0)
        #expect(onlyJob["tasks"]?[0]?["taskId"] == "102")
        #expect(onlyJob["tasks"]?[1] == nil)
        #expect(byNameJob["tasks"]?[0]?["taskId"] == "101")
        #expect(byNameJob["tasks"]?[1] == nil)
    }

    @Test("workspace run errors: 409 while it runs, 403 other workspace, 404 workspace and run, 422 model_refs")
    func workspaceRunErrors() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        try Self.addSlowPipeline(server)
        let other = try TokenIssuer.create(workspace: "other", store: server.server.services.store)
        let first = try await server.request(.post, "/sources/demo/start", body: #"{"parameters":["--model_refs=103"]}"#, token: token)
        let second = try await server.request(.post, "/sources/demo/start", token: token)
        let forbidden = try await server.request(.post, "/sources/demo/start", token: other)
        let forbiddenStatus = try await server.request(.get, "/sources/demo/runs/1/status", token: other)
        let noWorkspace = try await server.request(.post, "/sources/nope/start", token: server.adminToken)
        let noRun = try await server.request(.get, "/sources/demo/runs/999/status", token: token)
        let notInteger = try await server.request(.get, "/sources/demo/runs/x/status", token: token)
        let badRef = try await server.request(.post, "/sources/demo/start", body: #"{"parameters":["--model_refs=nothing"]}"#, token: token)
        let firstId = try #require(first.body["runId"].flatMap(PipelineBodies.int))
        let running = try await server.request(.get, "/sources/demo/runs/\(firstId)/status", token: token)
        let asAdmin = try await server.request(.get, "/sources/demo/runs/\(firstId)/status", token: server.adminToken)
        await server.stop()

        #expect(first.status == 200)
        #expect(second.status == 409)
        #expect(forbidden.status == 403)
        #expect(forbiddenStatus.status == 403)
        #expect(noWorkspace.status == 404)
        #expect(noWorkspace.body.errorMessage == "workspace does not exist")
        #expect(noRun.status == 404)
        #expect(noRun.body.errorMessage == "run does not exist")
        #expect(notInteger.status == 404)
        #expect(badRef.status == 422)
        #expect(running.body["status"] == "running")
        #expect(running.body["finishedAt"] == .null)
        #expect(asAdmin.status == 200)
    }

    // MARK: - Helpers

    /// Polls a status path until it says finished; returns the body.
    static func finished(_ server: ServerHarness, _ path: String) async throws -> JSONValue {
        var last: JSONValue = .null
        try await server.eventually(timeout: 60) {
            last = try await server.request(.get, path, token: server.workspaceToken).body
            return last["status"] == "finished"
        }
        return last
    }

    static func counts(_ status: JSONValue) -> [String: Int] {
        guard case .object(let counts)? = status["counts"] else { return [:] }
        var out: [String: Int] = [:]
        for (key, value) in counts.members {
            if case .number(let text) = value { out[key] = Int(text) }
        }
        return out
    }

    /// RFC 3339 UTC with milliseconds: `2024-05-31T06:48:08.228Z`.
    static func isTimestamp(_ value: JSONValue?) -> Bool {
        guard case .string(let text)? = value else { return false }
        return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil
    }

    /// Adds connection 2, a HubSpot mock answering each request after `latency`, and pipeline 103
    /// (101's configuration) on it: a run of 103 goes on long enough to meet a second start. The
    /// default, 3 s, is long enough that a test's few requests land while the run goes even on a loaded
    /// machine: with 16 batches in flight the demo's 12 go out at once, so the run takes one `latency`
    /// (at 300 ms a run once finished before the test's fifth request).
    /// `copies` > 1 points the warehouse at a file holding the demo profiles that many times (each
    /// copy's emails made unique), for a run of many waves of batches; the file is in the temporary
    /// folder (the workspace's own folder is the repository's fixtures) and its URL is returned.
    @discardableResult
    static func addSlowPipeline(_ server: ServerHarness, latency: String = "3000ms", copies: Int = 1) throws -> URL? {
        let catalog = server.server.services.catalog
        let stored = try catalog.load("demo")
        var document = stored.document
        var written: URL?
        if copies > 1 {
            let file = try catalog.runnable(stored)
            // Records may span lines (quoted notes), so each copy is the whole body with every `@`
            // (the emails', and any in a note) made `+N@`.
            let original = try String(contentsOf: file.profilesURL, encoding: .utf8)
            guard let headerEnd = original.firstIndex(of: "\n") else { throw HarnessError("the demo profiles have no header") }
            var body = String(original[original.index(after: headerEnd)...])
            if !body.hasSuffix("\n") { body += "\n" }
            var text = String(original[...headerEnd])
            for copy in 0..<copies { text += copy == 0 ? body : body.replacing("@", with: "+\(copy)@") }
            let copyFile = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-profiles-x\(copies)-\(UUID().uuidString).csv")
            try text.write(to: copyFile, atomically: true, encoding: .utf8)
            written = copyFile
            guard case .object(var warehouse)? = document["warehouse"], case .object(var profiles)? = warehouse["profiles"] else {
                throw HarnessError("demo has no warehouse")
            }
            profiles["path"] = .string(copyFile.path)
            warehouse["profiles"] = .object(profiles)
            document["warehouse"] = .object(warehouse)
        }
        guard case .array(var connections)? = document["connections"], case .object(var pipeline)? = stored.pipelineDocuments.first else {
            throw HarnessError("demo has no connection or pipeline")
        }
        connections.append(["id": 2, "name": "Slow HubSpot", "connector": "hubspot", "settings": [:], "mock": ["fault": .string("latency=\(latency)")]])
        pipeline["id"] = 103
        pipeline["name"] = "Slow export"
        pipeline["connection"] = 2
        pipeline["schedulePeriod"] = nil
        pipeline["scheduleStart"] = nil
        document["connections"] = .array(connections)
        document["pipelines"] = .array(stored.pipelineDocuments + [.object(pipeline)])
        try catalog.save(document, metadata: stored.metadata, directory: stored.record.directory, reason: "test: slow pipeline", mode: .update)
        return written
    }
}
