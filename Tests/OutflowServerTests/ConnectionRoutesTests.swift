import Foundation
import OutflowCore
import OutflowServer
import OutflowStore
import Testing

@Suite("Connections API and secrets at rest")
struct ConnectionRoutesTests {
    static let plaintext = "pat-na1-not-a-real-token-5f1c"

    /// The demo connection with a literal access token (a mock, so a run reaches nothing off this machine).
    static let secretConnection: JSONValue = [
        "id": 1, "name": "Demo HubSpot", "connector": "hubspot", "settings": ["accessToken": .string(plaintext)], "mock": true,
    ]

    static func keyed(_ configuration: inout ServerConfiguration) throws {
        configuration.secrets = try SecretBox(base64Key: WorkspaceFixtures.key)
    }

    @Test("list, create, get, update, delete; bodies as the contract says")
    func lifecycle() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let list = try await server.request(.get, "/v1/connections", token: token)
        let created = try await server.request(
            .post, "/v1/connections", body: #"{"name":"HubSpot EU","connector":"hubspot","settings":{"accessToken":"${HUBSPOT_TOKEN}"}}"#, token: token)
        let id: String = if case .number(let text)? = created.body["id"] { text } else { "0" }
        let got = try await server.request(.get, "/v1/connections/\(id)", token: token)
        let updated = try await server.request(
            .put, "/v1/connections/\(id)", body: #"{"name":"HubSpot Europe","settings":{"baseURL":"https://eu.example.test"}}"#, token: token)
        let afterUpdate = try await server.request(.get, "/v1/connections/\(id)", token: token)
        let raw = try server.server.services.store.workspace(named: "demo")?.document ?? ""
        let deleted = try await server.request(.delete, "/v1/connections/\(id)", token: token)
        let gone = try await server.request(.get, "/v1/connections/\(id)", token: token)
        let revisions = try server.server.services.store.revisions(workspace: "demo")
        await server.stop()

        #expect(list.status == 200)
        #expect(list.body["connections"]?[0]?["id"] == 1)
        #expect(list.body["connections"]?[0]?["mock"] == true)
        #expect(list.body["connections"]?[1] == nil)
        #expect(created.status == 200)
        #expect(id.count == 9)
        #expect(got.status == 200)
        #expect(got.body["name"] == "HubSpot EU")
        #expect(got.body["connector"] == "hubspot")
        #expect(got.body["settings"] == [:])
        #expect(got.body["secrets"] == ["accessToken"])
        #expect(updated.status == 204)
        #expect(afterUpdate.body["name"] == "HubSpot Europe")
        #expect(afterUpdate.body["settings"] == ["baseURL": "https://eu.example.test"])
        // The reference the PUT left out is kept, as written (no key: stored unresolved).
        #expect(afterUpdate.body["secrets"] == ["accessToken"])
        #expect(raw.contains("${HUBSPOT_TOKEN}"))
        #expect(deleted.status == 204)
        #expect(gone.status == 404)
        #expect(revisions.map(\.reason) == ["connection \(id) deleted", "connection \(id) updated", "connection \(id) created", "imported"])
    }

    @Test("errors: unknown connector, bad settings, 404, 409 naming the pipelines that use it, admin without a workspace")
    func errors() async throws {
        let server = try await ServerHarness.start()
        let token = server.workspaceToken
        let noConnector = try await server.request(.post, "/v1/connections", body: #"{"name":"X","connector":"nosuchapp"}"#, token: token)
        let badSetting = try await server.request(
            .post, "/v1/connections", body: #"{"name":"X","connector":"hubspot","settings":{"accesToken":"${T}"}}"#, token: token)
        let withId = try await server.request(.post, "/v1/connections", body: #"{"id":5,"name":"X","connector":"hubspot","mock":true}"#, token: token)
        let unknown = try await server.request(.get, "/v1/connections/999", token: token)
        let notNumber = try await server.request(.get, "/v1/connections/abc", token: token)
        let inUse = try await server.request(.delete, "/v1/connections/1", token: token)
        let otherConnector = try await server.request(.put, "/v1/connections/1", body: #"{"name":"X","connector":"brevo","mock":true}"#, token: token)
        let adminBare = try await server.request(.get, "/v1/connections", token: server.adminToken)
        let adminNamed = try await server.request(.get, "/v1/connections", token: server.adminToken, headers: [("Workspace", "demo")])
        let adminUnknown = try await server.request(.get, "/v1/connections", token: server.adminToken, headers: [("Workspace", "nope")])
        await server.stop()

        #expect(noConnector.status == 422)
        #expect(noConnector.body["error"]?["message"] == "connector does not exist")
        #expect(badSetting.status == 422)
        if case .string(let message)? = badSetting.body["error"]?["message"] {
            #expect(message.contains("settings.accesToken"))
            #expect(message.contains("accessToken"))
        }
        #expect(withId.status == 422)
        #expect(unknown.status == 404)
        #expect(unknown.body["error"]?["message"] == "connection does not exist")
        #expect(notNumber.status == 404)
        #expect(inUse.status == 409)
        if case .string(let message)? = inUse.body["error"]?["message"] {
            #expect(message.contains("Customers to HubSpot") && message.contains("VIP Europeans"))
        } else {
            Issue.record("no message")
        }
        #expect(otherConnector.status == 422)
        #expect(adminBare.status == 422)
        #expect(adminNamed.status == 200)
        #expect(adminUnknown.status == 404)
    }

    @Test("without a key a literal secret is refused and a ${VAR} reference is stored as written")
    func noKey() async throws {
        let server = try await ServerHarness.start()
        let literal = try await server.request(
            .post, "/v1/connections", body: #"{"name":"X","connector":"hubspot","settings":{"accessToken":"pat-123"}}"#, token: server.workspaceToken)
        let document = WorkspaceFixtures.withConnections(try WorkspaceFixtures.demo(), [Self.secretConnection])
        let viaWorkspace = try await server.request(.put, "/v1/workspaces/demo", body: WorkspaceFixtures.text(document), token: server.workspaceToken)
        let reference = try await server.request(
            .post, "/v1/connections", body: #"{"name":"X","connector":"hubspot","settings":{"accessToken":"${HUBSPOT_TOKEN}"}}"#,
            token: server.workspaceToken)
        let raw = try server.server.services.store.workspace(named: "demo")?.document ?? ""
        await server.stop()

        #expect(literal.status == 422)
        #expect(viaWorkspace.status == 422)
        if case .string(let message)? = literal.body["error"]?["message"] { #expect(message.contains("OUTFLOW_SECRET_KEY")) }
        #expect(reference.status == 200)
        #expect(raw.contains(#""accessToken":"${HUBSPOT_TOKEN}""#))
        #expect(!raw.contains("pat-123"))
    }

    @Test("with a key a literal secret is sealed at rest, in no revision or response, and runs still open it")
    func sealedAtRest() async throws {
        let server = try await ServerHarness.start(configure: Self.keyed)
        let store = server.server.services.store
        let document = WorkspaceFixtures.withConnections(try WorkspaceFixtures.demo(), [Self.secretConnection])
        let put = try await server.request(.put, "/v1/workspaces/demo", body: WorkspaceFixtures.text(document), token: server.workspaceToken)
        var bodies: [String] = [JSONWriter.string(put.body)]
        for path in ["/v1/workspaces/demo", "/v1/workspaces", "/v1/connections", "/v1/connections/1"] {
            let response = try await server.raw(.get, path, token: server.workspaceToken)
            bodies.append(String(decoding: response.body, as: UTF8.self))
        }
        let raw = try store.workspace(named: "demo")?.document ?? ""
        let revisions = try store.revisions(workspace: "demo")
        let stored = try server.server.services.catalog.load("demo")
        let runnable = try server.server.services.catalog.runnable(stored)
        let triggered = try await server.request(.post, "/v1/workspaces/demo/trigger", token: server.workspaceToken)
        var job: JobRecord?
        if case .string(let id)? = triggered.body["runId"], let jobId = Int64(id) {
            job = try await WorkspaceFixtures.finishedJob(jobId, server: server)
        }
        let runs = try store.runs(pipeline: 101)
        await server.stop()

        #expect(put.status == 200)
        #expect(put.body["connections"]?[0]?["secrets"] == ["accessToken"])
        #expect(put.body["connections"]?[0]?["settings"] == [:])
        for body in bodies { #expect(!body.contains(Self.plaintext) && !body.contains(SecretBox.prefix)) }
        #expect(raw.contains(SecretBox.prefix))
        #expect(!raw.contains(Self.plaintext))
        for revision in revisions { #expect(!revision.document.contains(Self.plaintext)) }
        #expect(runnable.workspace.connections[0].settings["accessToken"] == .string(Self.plaintext))
        #expect(job?.status == .finished)
        #expect(runs.first?.status == .finished)
    }

    @Test("a PUT that omits a secret keeps it, sealed, through the workspace and the connection routes")
    func omittedSecretIsKept() async throws {
        let server = try await ServerHarness.start(configure: Self.keyed)
        let store = server.server.services.store
        let catalog = server.server.services.catalog
        let document = WorkspaceFixtures.withConnections(try WorkspaceFixtures.demo(), [Self.secretConnection])
        _ = try await server.request(.put, "/v1/workspaces/demo", body: WorkspaceFixtures.text(document), token: server.workspaceToken)
        let sealedBefore = try catalog.load("demo").workspace.connections[0].settings["accessToken"]
        // What GET gives back, sent again: the secret is not in it, and stays.
        let current = try await server.request(.get, "/v1/workspaces/demo", token: server.workspaceToken)
        let viaWorkspace = try await server.request(.put, "/v1/workspaces/demo", body: JSONWriter.string(current.body), token: server.workspaceToken)
        let afterWorkspace = try catalog.load("demo")
        let viaConnection = try await server.request(
            .put, "/v1/connections/1", body: #"{"name":"Renamed HubSpot","settings":{},"mock":true}"#, token: server.workspaceToken)
        let afterConnection = try catalog.load("demo")
        let raw = try store.workspace(named: "demo")?.document ?? ""
        await server.stop()

        #expect(sealedBefore.map { if case .string(let text) = $0 { SecretBox.isSealed(text) } else { false } } == true)
        #expect(viaWorkspace.status == 200)
        #expect(viaWorkspace.body["connections"]?[0]?["secrets"] == ["accessToken"])
        #expect(afterWorkspace.workspace.connections[0].settings["accessToken"] == sealedBefore)
        #expect(viaConnection.status == 204)
        #expect(afterConnection.workspace.connections[0].name == "Renamed HubSpot")
        #expect(afterConnection.workspace.connections[0].settings["accessToken"] == sealedBefore)
        #expect(try catalog.runnable(afterConnection).workspace.connections[0].settings["accessToken"] == .string(Self.plaintext))
        #expect(!raw.contains(Self.plaintext))
    }

    @Test("re-importing a file with a literal secret keeps its sealed value: no new revision")
    func reimportWithSecret() async throws {
        let server = try await ServerHarness.start(configure: Self.keyed)
        let catalog = server.server.services.catalog
        let document = WorkspaceFixtures.withConnections(try WorkspaceFixtures.copy(named: "acme", connection: 7), [
            ["id": 7, "name": "HubSpot", "connector": "hubspot", "settings": ["accessToken": .string(Self.plaintext)], "mock": true]
        ])
        let directory = ServerHarness.repository.appendingPathComponent("fixtures/workspaces").path
        // Pipeline ids fixed, as in a file, so the second import is the same document.
        var withIds = document
        if case .array(let pipelines)? = document["pipelines"] {
            withIds["pipelines"] = .array(pipelines.enumerated().map { index, item in
                guard case .object(var pipeline) = item else { return item }
                pipeline.members.insert((key: "id", value: .number(String(900_000_001 + index))), at: 0)
                return .object(pipeline)
            })
        }
        let first = try catalog.save(withIds, metadata: [:], directory: directory, reason: "imported", mode: .importFile)
        let second = try catalog.save(withIds, metadata: [:], directory: directory, reason: "imported", mode: .importFile)
        await server.stop()
        #expect(first.record.revision == 1)
        #expect(second.record.revision == 1)
    }
}
