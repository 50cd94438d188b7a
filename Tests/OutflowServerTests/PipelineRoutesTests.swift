import Foundation
import OutflowCore
import OutflowStore
import Testing

@testable import OutflowServer

@Suite("Pipelines API")
struct PipelineRoutesTests {
    // MARK: - Create and read

    @Test("POST creates a pipeline with a 9-digit id; GET shows exactly the seed's shape")
    func createAndGet() async throws {
        let server = try await ServerHarness.start()
        let before = try server.server.services.store.revisions(workspace: "demo").count
        let created = try await server.request(.post, "/v1/pipelines", body: PipelineBodies.create(), token: server.workspaceToken)
        let id = created.body["id"].flatMap(PipelineBodies.int)
        let got = try await server.request(.get, "/v1/pipelines/\(id ?? 0)", token: server.workspaceToken)
        let revisions = try server.server.services.store.revisions(workspace: "demo")
        await server.stop()

        #expect(created.status == 200)
        #expect(created.body.objectKeys == ["id"])
        let unwrapped = try #require(id)
        #expect((100_000_000...999_999_999).contains(unwrapped))
        #expect(got.status == 200)
        let body = got.body
        #expect(
            body.objectKeys == [
                "id", "name", "connector", "connectorType", "connection", "connectionRole", "target", "enabled", "filter", "matching", "exportMode",
                "updateOnDuplicates", "transformation", "inSchema", "outSchema", "running", "scheduleStart", "schedulePeriod",
            ]
        )
        #expect(body["id"] == .number(String(unwrapped)))
        #expect(body["name"] == "Export customers")
        #expect(body["connector"] == "hubspot")
        #expect(body["connectorType"] == "Application")
        #expect(body["connection"] == 1)
        #expect(body["connectionRole"] == "Destination")
        #expect(body["target"] == "User")
        #expect(body["enabled"] == true)
        let sent = try PipelineBodies.createObject()
        #expect(body["filter"] == sent["filter"])
        #expect(body["matching"] == sent["matching"])
        #expect(body["exportMode"] == "CreateOnly")
        #expect(body["updateOnDuplicates"] == false)
        #expect(body["transformation"]?["mapping"] == sent["transformation"]?["mapping"])
        #expect(body["transformation"]?["function"] == .null)
        #expect(body["inSchema"] == sent["inSchema"])
        #expect(body["outSchema"] == sent["outSchema"])
        #expect(body["running"] == false)
        #expect(body["scheduleStart"] == .null)
        #expect(body["schedulePeriod"] == .null)
        #expect(revisions.count == before + 1)
        #expect(revisions.first?.reason == "pipeline \(unwrapped) created")
    }

    @Test("POST takes schedulePeriod, scheduleStart and functionTimeout; GET shows functionTimeout last")
    func createWithExtras() async throws {
        let server = try await ServerHarness.start()
        let created = try await server.request(
            .post,
            "/v1/pipelines",
            body: try PipelineBodies.create {
                $0["schedulePeriod"] = "30m"
                $0["scheduleStart"] = 10
                $0["functionTimeout"] = .number("2.5")
                $0["enabled"] = nil
            },
            token: server.workspaceToken
        )
        let id = try #require(created.body["id"].flatMap(PipelineBodies.int))
        let got = try await server.request(.get, "/v1/pipelines/\(id)", token: server.workspaceToken)
        let badStart = try await server.request(
            .post,
            "/v1/pipelines",
            body: try PipelineBodies.create {
                $0["name"] = "Late"
                $0["scheduleStart"] = 1440
            },
            token: server.workspaceToken
        )
        await server.stop()

        #expect(got.body["schedulePeriod"] == "30m")
        #expect(got.body["scheduleStart"] == 10)
        #expect(got.body["enabled"] == false)
        #expect(got.body.objectKeys.suffix(4) == ["running", "scheduleStart", "schedulePeriod", "functionTimeout"])
        if case .number(let text)? = got.body["functionTimeout"] {
            #expect(Double(text) == 2.5)
        } else {
            Issue.record("no functionTimeout: \(got.body)")
        }
        #expect(badStart.status == 422)
        #expect(badStart.body.errorMessage == "scheduleStart: must be between 0 and 1439, found 1440")
    }

    @Test("GET lists the demo's pipelines in document order with connector, schedule and running")
    func listAndGetDemo() async throws {
        let server = try await ServerHarness.start()
        let list = try await server.request(.get, "/v1/pipelines", token: server.workspaceToken)
        let one = try await server.request(.get, "/v1/pipelines/101", token: server.workspaceToken)
        let asAdmin = try await server.request(.get, "/v1/pipelines/102", token: server.adminToken, headers: [("Workspace", "demo")])
        await server.stop()

        #expect(list.status == 200)
        #expect(list.body.objectKeys == ["pipelines"])
        guard case .array(let items)? = list.body["pipelines"] else {
            Issue.record("no pipelines array: \(list.body)")
            return
        }
        #expect(items.map { $0["id"] } == [101, 102])
        #expect(items.first == one.body)
        #expect(one.status == 200)
        #expect(one.body["name"] == "Customers to HubSpot")
        #expect(one.body["connector"] == "hubspot")
        #expect(one.body["connectorType"] == "Application")
        #expect(one.body["connectionRole"] == "Destination")
        #expect(one.body["running"] == false)
        #expect(one.body["scheduleStart"] == 15)
        #expect(one.body["schedulePeriod"] == "1h")
        #expect(one.body["transformation"]?["mapping"]?["firstname"] == "initcap(first_name)")
        #expect(one.body["transformation"]?["function"] == .null)
        #expect(asAdmin.status == 200)
        #expect(asAdmin.body["filter"]?["conditions"]?[0]?["operator"] == "is one of")
        #expect(asAdmin.body["exportMode"] == "UpdateOnly")
        #expect(asAdmin.body["scheduleStart"] == .null)
    }

    // MARK: - Named errors

    @Test("POST errors: the seed's named messages, exactly")
    func namedErrors() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let noConnection = try await server.request(.post, "/v1/pipelines", body: try PipelineBodies.create { $0["connection"] = 999 }, token: token)
        let language = try await server.request(
            .post,
            "/v1/pipelines",
            body: try PipelineBodies.create {
                $0["transformation"] = [
                    "mapping": nil,
                    "function": ["source": "def transform(u): return u", "language": "Ruby", "inPaths": ["email"], "outPaths": ["email"]],
                ]
            },
            token: token
        )
        let withId = try await server.request(.post, "/v1/pipelines", body: try PipelineBodies.create { $0["id"] = 123_456_789 }, token: token)
        let revisions = try server.server.services.store.revisions(workspace: "demo").count
        await server.stop()

        #expect(noConnection.status == 422)
        #expect(noConnection.body["error"]?["message"] == "connection does not exist")
        #expect(noConnection.body["error"]?["code"] == "unprocessable")
        #expect(language.status == 422)
        #expect(language.body["error"]?["message"] == "transformation language is not supported")
        #expect(withId.status == 422)
        #expect(withId.body.errorMessage.hasPrefix("id: "))
        #expect(revisions == 1)
    }

    @Test("POST on a connection whose connector left the registry: 422 connector does not exist")
    func connectorDoesNotExist() async throws {
        let server = try await ServerHarness.start()
        let store = server.server.services.store
        // The catalog refuses an unknown connector, so the stored document is edited through the store,
        // as it would be by a server whose connector files were removed since.
        let stored = try server.server.services.catalog.load("demo")
        var document = stored.document
        guard case .array(var connections)? = document["connections"] else { throw HarnessError("demo has no connections") }
        connections.append(["id": 7, "name": "Gone", "connector": "gone", "settings": [:]])
        document["connections"] = .array(connections)
        try store.saveWorkspace(
            WorkspaceRecord(name: "demo", metadata: "{}", document: JSONWriter.string(.object(document)), directory: stored.record.directory),
            ids: WorkspaceObjectIds(pipelines: [101, 102], connections: [1, 7]),
            reason: "test: connector removed",
            mode: .update
        )
        let response = try await server.request(
            .post,
            "/v1/pipelines",
            body: try PipelineBodies.create { $0["connection"] = 7 },
            token: server.workspaceToken
        )
        let list = try await server.request(.get, "/v1/pipelines", token: server.workspaceToken)
        await server.stop()

        #expect(response.status == 422)
        #expect(response.body["error"]?["message"] == "connector does not exist")
        #expect(list.status == 200)
    }

    @Test("POST validation: one 422 with every problem by its JSON path in the body")
    func validationMessages() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let longName = String(repeating: "n", count: 61)
        let tooLong = try await server.request(
            .post,
            "/v1/pipelines",
            body: try PipelineBodies.create { $0["name"] = .string(longName) },
            token: token
        )
        let sixty = try await server.request(
            .post,
            "/v1/pipelines",
            body: try PipelineBodies.create { $0["name"] = .string(String(repeating: "n", count: 60)) },
            token: token
        )
        let duplicate = try await server.request(
            .post,
            "/v1/pipelines",
            body: try PipelineBodies.create { $0["name"] = "Customers to HubSpot" },
            token: token
        )
        let several = try await server.request(
            .post,
            "/v1/pipelines",
            body: try PipelineBodies.create {
                $0["name"] = ""
                $0["exportMode"] = "Sometimes"
                $0["matching"] = ["in": "emial", "out": "email"]
            },
            token: token
        )
        let notJSON = try await server.request(.post, "/v1/pipelines", body: "{", token: token)
        await server.stop()

        #expect(tooLong.status == 422)
        #expect(tooLong.body.errorMessage == "name: must be at most 60 characters, found 61")
        #expect(sixty.status == 200)
        #expect(duplicate.status == 422)
        #expect(duplicate.body.errorMessage.hasPrefix("name: name \"Customers to HubSpot\" is used by pipeline 101"))
        #expect(several.status == 422)
        let lines = several.body.errorMessage.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("name: must not be empty") })
        #expect(lines.contains { $0.hasPrefix("exportMode: must be one of CreateOnly, UpdateOnly, CreateOrUpdate") })
        #expect(lines.contains { $0.hasPrefix("matching.in: property \"emial\" is not in inSchema") })
        #expect(lines.allSatisfy { !$0.hasPrefix("pipelines[") })
        #expect(notJSON.status == 400)
    }

    // MARK: - Scope

    @Test("404 workspace, 404 pipeline, 422 admin without a workspace, 401 without a token")
    func notFoundAndScope() async throws {
        let server = try await ServerHarness.start()
        let other = try TokenIssuer.create(workspace: "other", store: server.server.services.store)
        let noWorkspace = try await server.request(.get, "/v1/pipelines", token: server.adminToken, headers: [("Workspace", "nope")])
        let adminBare = try await server.request(.get, "/v1/pipelines", token: server.adminToken)
        let unknown = try await server.request(.get, "/v1/pipelines/5", token: server.workspaceToken)
        let notInteger = try await server.request(.get, "/v1/pipelines/abc", token: server.workspaceToken)
        let otherList = try await server.request(.get, "/v1/pipelines", token: other)
        let otherGet = try await server.request(.get, "/v1/pipelines/101", token: other)
        let otherPut = try await server.request(.put, "/v1/pipelines/101/status", body: #"{"enabled":false}"#, token: other)
        let otherPost = try await server.request(.post, "/v1/pipelines", body: try PipelineBodies.create(), token: other)
        let noToken = try await server.request(.get, "/v1/pipelines/101", token: nil)
        let putUnknown = try await server.request(.put, "/v1/pipelines/5", body: try PipelineBodies.update(), token: server.workspaceToken)
        let deleteUnknown = try await server.request(.delete, "/v1/pipelines/5", token: server.workspaceToken)
        let enabled = try server.server.services.catalog.load("demo").workspace.pipelines.first?.enabled
        await server.stop()

        #expect(noWorkspace.status == 404)
        #expect(noWorkspace.body.errorMessage == "workspace does not exist")
        #expect(adminBare.status == 422)
        #expect(unknown.status == 404)
        #expect(unknown.body.errorMessage == "pipeline does not exist")
        #expect(notInteger.status == 404)
        #expect(notInteger.body.errorMessage == "pipeline does not exist")
        for response in [otherList, otherGet, otherPut, otherPost] {
            #expect(response.status == 404)
            #expect(response.body.errorMessage == "workspace does not exist")
        }
        #expect(noToken.status == 401)
        #expect(putUnknown.status == 404)
        #expect(putUnknown.body.errorMessage == "pipeline does not exist")
        #expect(deleteUnknown.status == 404)
        #expect(enabled == true)
    }

    // MARK: - Update

    @Test("PUT replaces the pipeline, keeps its connection, target, enabled and schedule; one revision")
    func update() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let before = try server.server.services.store.revisions(workspace: "demo").count
        let put = try await server.request(.put, "/v1/pipelines/101", body: try PipelineBodies.update(), token: token)
        let got = try await server.request(.get, "/v1/pipelines/101", token: token)
        let revisions = try server.server.services.store.revisions(workspace: "demo")
        let moved = try await server.request(.put, "/v1/pipelines/101", body: try PipelineBodies.update { $0["connection"] = 2 }, token: token)
        let language = try await server.request(
            .put,
            "/v1/pipelines/101",
            body: try PipelineBodies.update {
                $0["transformation"] = [
                    "function": ["source": "x", "language": "Go", "inPaths": ["email"], "outPaths": ["email"]]
                ]
            },
            token: token
        )
        let tooLong = try await server.request(
            .put,
            "/v1/pipelines/101",
            body: try PipelineBodies.update { $0["name"] = .string(String(repeating: "x", count: 61)) },
            token: token
        )
        let roundTrip = try await server.request(.put, "/v1/pipelines/101", body: JSONWriter.string(got.body), token: token)
        let after = try server.server.services.store.revisions(workspace: "demo").count
        await server.stop()

        #expect(put.status == 204)
        #expect(got.body["name"] == "Export customers")
        #expect(got.body["exportMode"] == "CreateOnly")
        #expect(got.body["connection"] == 1)
        #expect(got.body["target"] == "User")
        #expect(got.body["enabled"] == true)
        #expect(got.body["schedulePeriod"] == "1h")
        #expect(got.body["scheduleStart"] == 15)
        #expect(got.body["filter"]?["conditions"]?[0]?["values"] == ["US"])
        #expect(revisions.count == before + 1)
        #expect(revisions.first?.reason == "pipeline 101 updated")
        #expect(moved.status == 422)
        #expect(moved.body.errorMessage.hasPrefix("connection: "))
        #expect(language.status == 422)
        #expect(language.body.errorMessage == "transformation language is not supported")
        #expect(tooLong.status == 422)
        #expect(tooLong.body.errorMessage == "name: must be at most 60 characters, found 61")
        // A GET body PUT back changes nothing, so it makes no revision.
        #expect(roundTrip.status == 204)
        #expect(after == before + 1)
    }

    // MARK: - Status and schedule

    @Test("PUT status toggles enabled, one revision per change, none for no change")
    func status() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let store = server.server.services.store
        let before = try store.revisions(workspace: "demo").count
        let off = try await server.request(.put, "/v1/pipelines/102/status", body: #"{"enabled":false}"#, token: token)
        let afterOff = try await server.request(.get, "/v1/pipelines/102", token: token)
        let reasonOff = try store.revisions(workspace: "demo").first?.reason
        let again = try await server.request(.put, "/v1/pipelines/102/status", body: #"{"enabled":false}"#, token: token)
        let countAfterAgain = try store.revisions(workspace: "demo").count
        let on = try await server.request(.put, "/v1/pipelines/102/status", body: #"{"enabled":true}"#, token: token)
        let afterOn = try await server.request(.get, "/v1/pipelines/102", token: token)
        let reasonOn = try store.revisions(workspace: "demo").first?.reason
        let bad = try await server.request(.put, "/v1/pipelines/102/status", body: #"{"enabled":"no"}"#, token: token)
        let extra = try await server.request(.put, "/v1/pipelines/102/status", body: #"{"enabled":true,"x":1}"#, token: token)
        let after = try store.revisions(workspace: "demo").count
        await server.stop()

        #expect(off.status == 204)
        #expect(afterOff.body["enabled"] == false)
        #expect(reasonOff == "pipeline 102 disabled")
        #expect(again.status == 204)
        #expect(countAfterAgain == before + 1)
        #expect(on.status == 204)
        #expect(afterOn.body["enabled"] == true)
        #expect(reasonOn == "pipeline 102 enabled")
        #expect(bad.status == 422)
        #expect(bad.body.errorMessage.hasPrefix("enabled: expected true or false"))
        #expect(extra.status == 422)
        #expect(after == before + 2)
    }

    @Test("PUT schedule: a period sets scheduleStart to the current minute modulo the period; null clears both")
    func schedule() async throws {
        // 10:37 UTC is minute 637 of the day: 637 % 15 = 7.
        let now = try #require(ISO8601DateFormatter().date(from: "2026-03-01T10:37:42Z"))
        let server = try await ServerHarness.start { $0.clock = FixedServerClock(date: now) }
        let token = server.workspaceToken
        let store = server.server.services.store
        let before = try store.revisions(workspace: "demo").count
        let set = try await server.request(.put, "/v1/pipelines/102/schedule", body: #"{"period":"15m"}"#, token: token)
        let afterSet = try await server.request(.get, "/v1/pipelines/102", token: token)
        let reason = try store.revisions(workspace: "demo").first?.reason
        let hourly = try await server.request(.put, "/v1/pipelines/102/schedule", body: #"{"period":"1h"}"#, token: token)
        let afterHourly = try await server.request(.get, "/v1/pipelines/102", token: token)
        let cleared = try await server.request(.put, "/v1/pipelines/102/schedule", body: #"{"period":null}"#, token: token)
        let afterClear = try await server.request(.get, "/v1/pipelines/102", token: token)
        let daily = try await server.request(.put, "/v1/pipelines/102/schedule", body: #"{"period":"24h"}"#, token: token)
        let afterDaily = try await server.request(.get, "/v1/pipelines/102", token: token)
        let keeps = try await server.request(.put, "/v1/pipelines/101/schedule", body: #"{"period":"5m"}"#, token: token)
        let afterKeeps = try await server.request(.get, "/v1/pipelines/101", token: token)
        let bad = try await server.request(.put, "/v1/pipelines/101/schedule", body: #"{"period":"7m"}"#, token: token)
        let missing = try await server.request(.put, "/v1/pipelines/101/schedule", body: #"{}"#, token: token)
        let after = try store.revisions(workspace: "demo").count
        await server.stop()

        #expect(set.status == 204)
        #expect(afterSet.body["schedulePeriod"] == "15m")
        #expect(afterSet.body["scheduleStart"] == 7)
        #expect(reason == "pipeline 102 scheduled")
        #expect(hourly.status == 204)
        #expect(afterHourly.body["schedulePeriod"] == "1h")
        #expect(afterHourly.body["scheduleStart"] == 7)
        #expect(cleared.status == 204)
        #expect(afterClear.body["schedulePeriod"] == .null)
        #expect(afterClear.body["scheduleStart"] == .null)
        #expect(daily.status == 204)
        #expect(afterDaily.body["scheduleStart"] == 637)
        #expect(keeps.status == 204)
        #expect(afterKeeps.body["schedulePeriod"] == "5m")
        #expect(afterKeeps.body["scheduleStart"] == 15)
        #expect(bad.status == 422)
        #expect(bad.body.errorMessage == "period: must be one of 5m, 15m, 30m, 1h, 2h, 3h, 6h, 8h, 12h, 24h or null, found \"7m\"")
        #expect(missing.status == 422)
        #expect(after == before + 5)
    }

    @Test(
        "scheduleStart at the day's edges and period boundaries",
        arguments: [
            ("2026-03-01T00:00:00Z", "5m", 0), ("2026-03-01T23:59:59Z", "24h", 1439), ("2026-03-01T23:59:00Z", "5m", 4),
            ("2026-03-01T01:00:00Z", "1h", 0), ("2026-03-01T08:00:00Z", "8h", 0), ("2026-03-01T07:59:00Z", "8h", 479),
            ("2026-03-01T12:30:00Z", "12h", 30),
        ]
    )
    func scheduleStartRule(time: String, period: String, start: Int) throws {
        let date = try #require(ISO8601DateFormatter().date(from: time))
        let parsed = try #require(SchedulePeriod(rawValue: period))
        #expect(PipelineSchedule.start(for: parsed, current: nil, now: date) == start)
    }

    // MARK: - Delete

    @Test("DELETE removes the pipeline, its runs and export state; one revision")
    func delete() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let store = server.server.services.store
        let run = try await server.request(.post, "/v1/pipelines/101/runs", token: token)
        let runId = try #require(run.body["runId"].flatMap(PipelineBodies.int))
        try await server.eventually {
            try await server.request(.get, "/v1/pipelines/101/runs/\(runId)/status", token: token).body["status"] == "finished"
        }
        let runsBefore = try store.runs(pipeline: 101).count
        let emails = try PipelineBodies.demoEmails()
        let stateBefore = try store.exportState(pipeline: 101, matchingValues: emails).count
        let before = try store.revisions(workspace: "demo").count
        let deleted = try await server.request(.delete, "/v1/pipelines/101", token: token)
        let got = try await server.request(.get, "/v1/pipelines/101", token: token)
        let list = try await server.request(.get, "/v1/pipelines", token: token)
        let revisions = try store.revisions(workspace: "demo")
        let runsAfter = try store.runs(pipeline: 101).count
        let state = try store.exportState(pipeline: 101, matchingValues: emails).count
        let again = try await server.request(.delete, "/v1/pipelines/101", token: token)
        await server.stop()

        #expect(runsBefore == 1)
        #expect(stateBefore > 0)
        #expect(deleted.status == 204)
        #expect(got.status == 404)
        #expect(list.body["pipelines"]?[0]?["id"] == 102)
        #expect(list.body["pipelines"]?[1] == nil)
        #expect(revisions.count == before + 1)
        #expect(revisions.first?.reason == "pipeline 101 deleted")
        #expect(runsAfter == 0)
        #expect(state == 0)
        #expect(again.status == 404)
    }
}

/// Request bodies of the seed's shape, on the demo workspace's connection 1.
enum PipelineBodies {
    static let template = #"""
        {
          "name": "Export customers", "connection": 1, "target": "User", "enabled": true,
          "filter": {"logical": "and", "conditions": [{"property": "address.country", "operator": "is", "values": ["US"]}]},
          "matching": {"in": "email", "out": "email"},
          "exportMode": "CreateOnly", "updateOnDuplicates": false,
          "transformation": {"mapping": {"firstname": "first_name", "lastname": "last_name"}},
          "inSchema": {"kind": "object", "properties": [
            {"name": "first_name", "type": {"kind": "string", "maxLength": 100}, "readOptional": true, "description": "First name"},
            {"name": "last_name", "type": {"kind": "string", "maxLength": 100}, "readOptional": true, "description": "Last name"},
            {"name": "email", "type": {"kind": "string", "maxLength": 254}, "readOptional": true, "description": "Email"},
            {"name": "address", "type": {"kind": "object", "properties": [
              {"name": "country", "type": {"kind": "string", "maxLength": 2}, "readOptional": true, "description": "Country"}]},
             "readOptional": true, "description": "Address"}]},
          "outSchema": {"kind": "object", "properties": [
            {"name": "email", "type": {"kind": "string"}, "nullable": true, "description": "Email"},
            {"name": "firstname", "type": {"kind": "string"}, "nullable": true, "description": "First Name"},
            {"name": "lastname", "type": {"kind": "string"}, "nullable": true, "description": "Last Name"}]}
        }
        """#

    static func createObject() throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(template) else { throw HarnessError("the template is not an object") }
        return object
    }

    /// The create body, changed by `edit`.
    static func create(_ edit: (inout JSONObject) -> Void = { _ in }) throws -> String {
        var object = try createObject()
        edit(&object)
        return JSONWriter.string(.object(object))
    }

    /// The seed's update body: the create body without `connection`, `target` and `enabled`.
    static func update(_ edit: (inout JSONObject) -> Void = { _ in }) throws -> String {
        var object = try createObject()
        object["connection"] = nil
        object["target"] = nil
        object["enabled"] = nil
        edit(&object)
        return JSONWriter.string(.object(object))
    }

    /// The demo profiles' emails as written and lowercased (the matching values export state may hold).
    static func demoEmails() throws -> [String] {
        let path = ServerHarness.repository.appendingPathComponent("fixtures/profiles/customers.csv").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let emails = text.split(separator: "\n").dropFirst().compactMap { line -> String? in
            let cells = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
            return cells.count > 1 && !cells[1].isEmpty ? String(cells[1]) : nil
        }
        return emails + emails.map { $0.lowercased() }
    }

    static func int(_ value: JSONValue) -> Int64? {
        switch value {
        case .number(let text), .string(let text): return Int64(text)
        default: return nil
        }
    }
}

/// A clock stopped at `date` (the schedule endpoint reads the minute of the day from it).
struct FixedServerClock: ServerClock {
    var date: Date
    func now() -> Date { date }
    func sleep(until date: Date) async throws {
        try await Task.sleep(for: .seconds(3600))
    }
}

extension JSONValue {
    /// The member names of an object, in order (empty for anything else).
    var objectKeys: [String] {
        if case .object(let object) = self { return object.keys }
        return []
    }

    /// `error.message` of an error body ("" when absent).
    var errorMessage: String {
        if case .string(let message)? = self["error"]?["message"] { return message }
        return ""
    }
}
