import Foundation
import OutflowCore
import OutflowServer
import OutflowStore
import OutflowWorkspace
import Testing

/// Documents and checks the workspace and connection tests share.
enum WorkspaceFixtures {
    /// A 32-byte key in base64, as `OUTFLOW_SECRET_KEY` holds one.
    static let key = Data(repeating: 7, count: 32).base64EncodedString()

    /// demo.json as a JSON object.
    static func demo() throws -> JSONObject {
        guard case .object(let document) = try WorkspaceFile.readDocument(path: ServerHarness.demoFile) else { throw HarnessError("demo.json is not an object") }
        return document
    }

    /// demo.json renamed `name`, its connection given id `connection` and its pipelines no ids
    /// (ids are global: the server assigns new ones), so it can sit beside demo.
    static func copy(named name: String, connection: Int64) throws -> JSONObject {
        var document = try demo()
        document["name"] = .string(name)
        if case .array(var connections)? = document["connections"], case .object(var first) = connections[0] {
            first["id"] = .number(String(connection))
            connections[0] = .object(first)
            document["connections"] = .array(connections)
        }
        if case .array(let pipelines)? = document["pipelines"] {
            document["pipelines"] = .array(pipelines.map { item in
                guard case .object(var pipeline) = item else { return item }
                pipeline["id"] = nil
                pipeline["connection"] = .number(String(connection))
                return .object(pipeline)
            })
        }
        return document
    }

    /// `document` with pipeline `index` renamed.
    static func renamingPipeline(_ document: JSONObject, index: Int, to name: String) -> JSONObject {
        var document = document
        if case .array(var pipelines)? = document["pipelines"], case .object(var pipeline) = pipelines[index] {
            pipeline["name"] = .string(name)
            pipelines[index] = .object(pipeline)
            document["pipelines"] = .array(pipelines)
        }
        return document
    }

    /// `document` with its connections replaced.
    static func withConnections(_ document: JSONObject, _ connections: [JSONValue]) -> JSONObject {
        var document = document
        document["connections"] = .array(connections)
        return document
    }

    static func text(_ object: JSONObject) -> String { JSONWriter.string(.object(object)) }

    /// The names of the pipelines in a workspace body.
    static func pipelineNames(_ body: JSONValue) -> [String] {
        guard case .array(let items)? = body["pipelines"] else { return [] }
        return items.compactMap { if case .string(let name)? = $0["name"] { name } else { nil } }
    }

    /// Every email of the demo profiles, as written and lower-cased (the export state's keys).
    static func demoEmails() throws -> [String] {
        let csv = try String(contentsOfFile: ServerHarness.repository.appendingPathComponent("fixtures/profiles/customers.csv").path, encoding: .utf8)
        let emails = csv.split(separator: "\n").dropFirst().compactMap { line -> String? in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count > 1 && !fields[1].isEmpty ? String(fields[1]) : nil
        }
        return emails + emails.map { $0.lowercased() }
    }

    /// Waits for job `id` to end and returns it.
    static func finishedJob(_ id: Int64, server: ServerHarness) async throws -> JobRecord? {
        try await server.eventually { try server.server.services.store.job(id)?.status != .running }
        return try server.server.services.store.job(id)
    }
}

@Suite("Workspaces API")
struct WorkspaceRoutesTests {
    @Test("create, list, get: bodies as the contract says; a workspace token sees only its own")
    func createListGet() async throws {
        let server = try await ServerHarness.start()
        var body = try WorkspaceFixtures.copy(named: "acme", connection: 7)
        body["metadata"] = ["region": "eu", "tier": "gold"]
        let created = try await server.request(.post, "/v1/workspaces", body: WorkspaceFixtures.text(body), token: server.adminToken)
        let adminList = try await server.request(.get, "/v1/workspaces", token: server.adminToken)
        let ownList = try await server.request(.get, "/v1/workspaces", token: server.workspaceToken)
        let got = try await server.request(.get, "/v1/workspaces/acme", token: server.adminToken)
        await server.stop()

        #expect(created.status == 200)
        #expect(created.body["name"] == "acme")
        #expect(created.body["status"] == "ACTIVE")
        #expect(created.body["revision"] == 1)
        #expect(created.body["metadata"] == ["region": "eu", "tier": "gold"])
        #expect(created.body["connections"]?[0]?["id"] == 7)
        #expect(created.body["connections"]?[0]?["secrets"] == [])
        #expect(created.body["warehouse"]?["profiles"]?["path"] == "../profiles/customers.csv")
        #expect(WorkspaceFixtures.pipelineNames(created.body) == ["Customers to HubSpot", "VIP Europeans"])
        // The server gave the pipelines new nine-digit ids.
        if case .number(let id)? = created.body["pipelines"]?[0]?["id"] { #expect(id.count == 9) } else { Issue.record("no pipeline id") }
        if case .string(let time)? = created.body["createdAt"] { #expect(time.hasSuffix("Z") && time.contains(".")) } else { Issue.record("no createdAt") }
        #expect(got.status == 200)
        #expect(got.body == created.body)
        let names: (JSONValue) -> [JSONValue] = { body in
            guard case .array(let items)? = body["workspaces"] else { return [] }
            return items.compactMap { $0["name"] }
        }
        #expect(adminList.status == 200)
        #expect(names(adminList.body) == ["acme", "demo"])
        #expect(names(ownList.body) == ["demo"])
    }

    @Test("409 for a name that exists, 403 for a workspace token, 404 for an unknown workspace, 422 for a bad name")
    func errors() async throws {
        let server = try await ServerHarness.start()
        let demo = WorkspaceFixtures.text(try WorkspaceFixtures.copy(named: "demo", connection: 8))
        let duplicate = try await server.request(.post, "/v1/workspaces", body: demo, token: server.adminToken)
        let acme = WorkspaceFixtures.text(try WorkspaceFixtures.copy(named: "acme", connection: 8))
        let notAdmin = try await server.request(.post, "/v1/workspaces", body: acme, token: server.workspaceToken)
        let created = try await server.request(.post, "/v1/workspaces", body: acme, token: server.adminToken)
        let otherGet = try await server.request(.get, "/v1/workspaces/acme", token: server.workspaceToken)
        let otherDelete = try await server.request(.delete, "/v1/workspaces/acme", token: server.workspaceToken)
        let otherTrigger = try await server.request(.post, "/v1/workspaces/acme/trigger", token: server.workspaceToken)
        let unknown = try await server.request(.get, "/v1/workspaces/nope", token: server.adminToken)
        let unknownRevisions = try await server.request(.get, "/v1/workspaces/nope/revisions", token: server.adminToken)
        let badName = WorkspaceFixtures.text(try WorkspaceFixtures.copy(named: "a b/c", connection: 9))
        let refusedName = try await server.request(.post, "/v1/workspaces", body: badName, token: server.adminToken)
        var invalid = try WorkspaceFixtures.copy(named: "broken", connection: 9)
        invalid = WorkspaceFixtures.renamingPipeline(invalid, index: 0, to: String(repeating: "x", count: 61))
        let refusedDocument = try await server.request(.post, "/v1/workspaces", body: WorkspaceFixtures.text(invalid), token: server.adminToken)
        let stillThere = try await server.request(.get, "/v1/workspaces/acme", token: server.adminToken)
        await server.stop()

        #expect(duplicate.status == 409)
        #expect(duplicate.body["error"]?["code"] == "conflict")
        #expect(notAdmin.status == 403)
        #expect(created.status == 200)
        #expect(otherGet.status == 403)
        #expect(otherDelete.status == 403)
        #expect(otherTrigger.status == 403)
        #expect(stillThere.status == 200)
        #expect(unknown.status == 404)
        #expect(unknown.body["error"]?["message"] == "workspace does not exist")
        #expect(unknownRevisions.status == 404)
        #expect(refusedName.status == 422)
        #expect(refusedDocument.status == 422)
        if case .string(let message)? = refusedDocument.body["error"]?["message"] {
            #expect(message.contains("pipelines[0].name"))
        } else {
            Issue.record("no error message")
        }
    }

    @Test("PUT replaces the configuration as a new revision; a name other than the path's is refused")
    func update() async throws {
        let server = try await ServerHarness.start()
        var document = WorkspaceFixtures.renamingPipeline(try WorkspaceFixtures.demo(), index: 0, to: "Renamed")
        document["name"] = nil
        document["metadata"] = ["owner": "ops"]
        let updated = try await server.request(.put, "/v1/workspaces/demo", body: WorkspaceFixtures.text(document), token: server.workspaceToken)
        var renamed = try WorkspaceFixtures.demo()
        renamed["name"] = "other"
        let refused = try await server.request(.put, "/v1/workspaces/demo", body: WorkspaceFixtures.text(renamed), token: server.adminToken)
        // What GET gives can be sent back as it is (status, revision, times and secrets lists are dropped).
        let current = try await server.request(.get, "/v1/workspaces/demo", token: server.adminToken)
        let roundTrip = try await server.request(.put, "/v1/workspaces/demo", body: JSONWriter.string(current.body), token: server.adminToken)
        var statusChange = current.body
        if case .object(var object) = statusChange { object["status"] = "INACTIVE"; statusChange = .object(object) }
        let refusedStatus = try await server.request(.put, "/v1/workspaces/demo", body: JSONWriter.string(statusChange), token: server.adminToken)
        await server.stop()

        #expect(updated.status == 200)
        #expect(updated.body["revision"] == 2)
        #expect(updated.body["metadata"] == ["owner": "ops"])
        #expect(WorkspaceFixtures.pipelineNames(updated.body) == ["Renamed", "VIP Europeans"])
        #expect(refused.status == 422)
        #expect(roundTrip.status == 200)
        #expect(roundTrip.body["revision"] == 3)
        #expect(roundTrip.body["metadata"] == ["owner": "ops"])
        #expect(refusedStatus.status == 422)
    }

    @Test("disable stops new runs (409) without a revision; enable lets the workspace run again")
    func enableDisable() async throws {
        let server = try await ServerHarness.start()
        let disabled = try await server.request(.post, "/v1/workspaces/demo/disable", token: server.workspaceToken)
        let refused = try await server.request(.post, "/v1/workspaces/demo/trigger", token: server.workspaceToken)
        let stored = try server.server.services.store.workspace(named: "demo")
        let enabled = try await server.request(.post, "/v1/workspaces/demo/enable", token: server.workspaceToken)
        let triggered = try await server.request(.post, "/v1/workspaces/demo/trigger", token: server.workspaceToken)
        var job: JobRecord?
        if case .string(let id)? = triggered.body["runId"], let jobId = Int64(id) {
            job = try await WorkspaceFixtures.finishedJob(jobId, server: server)
        }
        await server.stop()

        #expect(disabled.status == 200)
        #expect(disabled.body["status"] == "INACTIVE")
        #expect(disabled.body["revision"] == 1)
        #expect(stored?.status == .inactive)
        #expect(refused.status == 409)
        #expect(enabled.status == 200)
        #expect(enabled.body["status"] == "ACTIVE")
        #expect(triggered.status == 200)
        #expect(job?.status == .finished)
        #expect(job?.trigger == "trigger")
    }

    @Test("revisions: one per change, newest first; an unchanged re-import makes none")
    func revisions() async throws {
        let server = try await ServerHarness.start()
        let demo = try WorkspaceFixtures.demo()
        let catalog = server.server.services.catalog
        let directory = ServerHarness.repository.appendingPathComponent("fixtures/workspaces").path
        let reimported = try catalog.save(demo, metadata: [:], directory: directory, reason: "imported", mode: .importFile)
        let document = WorkspaceFixtures.renamingPipeline(demo, index: 1, to: "VIPs")
        _ = try await server.request(.put, "/v1/workspaces/demo", body: WorkspaceFixtures.text(document), token: server.workspaceToken)
        _ = try await server.request(.post, "/v1/workspaces/demo/disable", token: server.workspaceToken)
        let list = try await server.request(.get, "/v1/workspaces/demo/revisions", token: server.workspaceToken)
        await server.stop()

        #expect(reimported.record.revision == 1)
        #expect(list.status == 200)
        #expect(list.body["revisions"]?[0]?["number"] == 2)
        #expect(list.body["revisions"]?[0]?["reason"] == "updated")
        #expect(list.body["revisions"]?[1]?["number"] == 1)
        #expect(list.body["revisions"]?[1]?["reason"] == "imported")
        #expect(list.body["revisions"]?[2] == nil)
    }

    @Test("a second server on the same state with the same import makes no revision")
    func restartWithSameImport() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-reimport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state.sqlite").path
        let first = try await ServerHarness.start { $0.statePath = state }
        await first.stop()
        let second = try await ServerHarness.start { $0.statePath = state }
        let revisions = try second.server.services.store.revisions(workspace: "demo")
        await second.stop()
        #expect(revisions.map(\.number) == [1])
    }

    @Test("rollback saves revision n's document as a new revision; an unknown revision is 404")
    func rollback() async throws {
        let server = try await ServerHarness.start()
        let document = WorkspaceFixtures.renamingPipeline(try WorkspaceFixtures.demo(), index: 0, to: "Renamed")
        _ = try await server.request(.put, "/v1/workspaces/demo", body: WorkspaceFixtures.text(document), token: server.workspaceToken)
        let rolledBack = try await server.request(.post, "/v1/workspaces/demo/revisions/1/rollback", token: server.workspaceToken)
        let missing = try await server.request(.post, "/v1/workspaces/demo/revisions/9/rollback", token: server.workspaceToken)
        let notNumber = try await server.request(.post, "/v1/workspaces/demo/revisions/x/rollback", token: server.workspaceToken)
        let list = try await server.request(.get, "/v1/workspaces/demo/revisions", token: server.workspaceToken)
        await server.stop()

        #expect(rolledBack.status == 200)
        #expect(rolledBack.body["revision"] == 3)
        #expect(WorkspaceFixtures.pipelineNames(rolledBack.body) == ["Customers to HubSpot", "VIP Europeans"])
        #expect(list.body["revisions"]?[0]?["reason"] == "rollback to 1")
        #expect(missing.status == 404)
        #expect(missing.body["error"]?["message"] == "revision does not exist")
        #expect(notNumber.status == 404)
    }

    @Test("delete cascades: runs, export state, revisions and the workspace's tokens go")
    func deleteCascades() async throws {
        let server = try await ServerHarness.start()
        let store = server.server.services.store
        let triggered = try await server.request(.post, "/v1/workspaces/demo/trigger", token: server.workspaceToken)
        guard case .string(let id)? = triggered.body["runId"], let jobId = Int64(id) else {
            await server.stop()
            Issue.record("trigger gave no run id: \(triggered)")
            return
        }
        let job = try await WorkspaceFixtures.finishedJob(jobId, server: server)
        await server.server.services.runs.waitForIdle()
        let emails = try WorkspaceFixtures.demoEmails()
        let runsBefore = try store.runs(pipeline: 101)
        let stateBefore = try store.exportState(pipeline: 101, matchingValues: emails)
        let deleted = try await server.request(.delete, "/v1/workspaces/demo", token: server.adminToken)
        let gone = try await server.request(.get, "/v1/workspaces/demo", token: server.adminToken)
        let oldToken = try await server.request(.get, "/v1/connections", token: server.workspaceToken)
        let again = try await server.request(.delete, "/v1/workspaces/demo", token: server.adminToken)
        let runsAfter = try store.runs(pipeline: 101)
        let stateAfter = try store.exportState(pipeline: 101, matchingValues: emails)
        let revisionsAfter = try store.revisions(workspace: "demo")
        let jobAfter = try store.job(jobId)
        await server.stop()

        #expect(job?.status == .finished)
        #expect(!runsBefore.isEmpty)
        #expect(!stateBefore.isEmpty)
        #expect(deleted.status == 204)
        #expect(gone.status == 404)
        #expect(oldToken.status == 401)
        #expect(again.status == 404)
        #expect(runsAfter.isEmpty)
        #expect(stateAfter.isEmpty)
        #expect(revisionsAfter.isEmpty)
        #expect(jobAfter == nil)
    }

    @Test("delete is refused with 409 while a run of the workspace goes")
    func deleteWhileRunning() async throws {
        let server = try await ServerHarness.start()
        // A slow mock, so the run is still going when the delete comes.
        let slow = WorkspaceFixtures.withConnections(
            try WorkspaceFixtures.demo(), [["id": 1, "name": "Demo HubSpot", "connector": "hubspot", "settings": [:], "mock": ["fault": "latency=200ms"]]])
        let put = try await server.request(.put, "/v1/workspaces/demo", body: WorkspaceFixtures.text(slow), token: server.workspaceToken)
        let triggered = try await server.request(.post, "/v1/workspaces/demo/trigger", token: server.workspaceToken)
        try await server.eventually { await !server.server.services.runs.runningPipelines.isEmpty }
        let refused = try await server.request(.delete, "/v1/workspaces/demo", token: server.adminToken)
        let stillThere = try server.server.services.store.workspace(named: "demo")
        await server.stop()

        #expect(put.status == 200)
        #expect(triggered.status == 200)
        #expect(refused.status == 409)
        if case .string(let message)? = refused.body["error"]?["message"] { #expect(message.contains("Customers to HubSpot")) }
        #expect(stillThere != nil)
    }

    @Test("validate: valid for demo, every problem by JSON path for a broken document, and nothing saved")
    func validate() async throws {
        let server = try await ServerHarness.start()
        let valid = try await server.request(.post, "/v1/workspaces/demo/validate", token: server.workspaceToken)
        var broken = WorkspaceFixtures.renamingPipeline(try WorkspaceFixtures.demo(), index: 0, to: String(repeating: "x", count: 61))
        broken = WorkspaceFixtures.withConnections(
            broken, [["id": 1, "name": "Demo HubSpot", "connector": "hubspot", "settings": ["accesToken": "${HUBSPOT_TOKEN}"], "mock": true]])
        let invalid = try await server.request(.post, "/v1/workspaces/demo/validate", body: WorkspaceFixtures.text(broken), token: server.workspaceToken)
        var missingFile = try WorkspaceFixtures.demo()
        if case .object(var warehouse)? = missingFile["warehouse"], case .object(var profiles)? = warehouse["profiles"] {
            profiles["path"] = "../profiles/nope.csv"
            warehouse["profiles"] = .object(profiles)
            missingFile["warehouse"] = .object(warehouse)
        }
        let noFile = try await server.request(.post, "/v1/workspaces/demo/validate", body: WorkspaceFixtures.text(missingFile), token: server.workspaceToken)
        let revisions = try server.server.services.store.revisions(workspace: "demo")
        let stored = try await server.request(.get, "/v1/workspaces/demo", token: server.workspaceToken)
        await server.stop()

        #expect(valid.status == 200)
        #expect(valid.body["valid"] == true)
        #expect(valid.body["errors"] == [])
        #expect(invalid.status == 200)
        #expect(invalid.body["valid"] == false)
        let paths: [JSONValue] = if case .array(let errors)? = invalid.body["errors"] { errors.compactMap { $0["path"] } } else { [] }
        #expect(paths.contains("pipelines[0].name"))
        #expect(noFile.body["valid"] == false)
        #expect(noFile.body["errors"]?[0]?["path"] == "warehouse.profiles.path")
        #expect(revisions.count == 1)
        #expect(WorkspaceFixtures.pipelineNames(stored.body) == ["Customers to HubSpot", "VIP Europeans"])
    }

    @Test("validate reports connection settings against the connector")
    func validateSettings() async throws {
        let server = try await ServerHarness.start()
        let broken = WorkspaceFixtures.withConnections(
            try WorkspaceFixtures.demo(),
            [["id": 1, "name": "Demo HubSpot", "connector": "hubspot", "settings": ["accesToken": "${HUBSPOT_TOKEN}"], "mock": true]])
        let result = try await server.request(.post, "/v1/workspaces/demo/validate", body: WorkspaceFixtures.text(broken), token: server.workspaceToken)
        await server.stop()
        #expect(result.body["valid"] == false)
        #expect(result.body["errors"]?[0]?["path"] == "connections[0].settings.accesToken")
    }

    @Test("validate reports a connection's mock: its fault spec and its users file")
    func validateMock() async throws {
        let server = try await ServerHarness.start()
        let broken = WorkspaceFixtures.withConnections(
            try WorkspaceFixtures.demo(),
            [["id": 1, "name": "Demo HubSpot", "connector": "hubspot", "settings": [:], "mock": ["fault": "429=1.5", "users": "../apps/nope.json"]]])
        let result = try await server.request(.post, "/v1/workspaces/demo/validate", body: WorkspaceFixtures.text(broken), token: server.workspaceToken)
        await server.stop()
        #expect(result.body["valid"] == false)
        #expect(result.body["errors"]?[0]?["path"] == "connections[0].mock.fault")
        #expect(result.body["errors"]?[0]?["message"] == "«1.5» is not a probability between 0 and 1 for 429")
        #expect(result.body["errors"]?[1]?["path"] == "connections[0].mock.users")
        #expect(result.body["errors"]?[2] == nil)
    }

    @Test("trigger starts a job of every enabled pipeline and answers its id")
    func trigger() async throws {
        let server = try await ServerHarness.start()
        let triggered = try await server.request(.post, "/v1/workspaces/demo/trigger", token: server.workspaceToken)
        var job: JobRecord?
        var tasks: [RunRecord] = []
        if case .string(let id)? = triggered.body["runId"], let jobId = Int64(id) {
            job = try await WorkspaceFixtures.finishedJob(jobId, server: server)
            tasks = try server.server.services.store.runs(job: jobId)
        }
        await server.stop()
        #expect(triggered.status == 200)
        #expect(job?.workspace == "demo")
        #expect(Set(tasks.map(\.pipeline)) == [101, 102])
    }
}
