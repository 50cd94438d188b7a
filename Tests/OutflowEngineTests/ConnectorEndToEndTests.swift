import Foundation
import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowHTTP
import OutflowMocks
import OutflowStore
import OutflowWorkspace
import Testing

/// The engine through the real HubSpot connector against the HubSpot mock: the same code path
/// `outflow run` takes, minus the command line.
@Suite struct ConnectorEndToEndTests {
    static let appUsers: [[String: String]] = ExportModeTests.appUsers

    /// The rows of ``ExportModeTests`` again, through HTTP: email is matched by batch read (and
    /// upserted under CreateOrUpdate), phone by search, where two contacts share `+200`.
    @Test(arguments: ExportModeTests.rows)
    func modeDuplicatesAndMatchingProperty(_ row: ExportModeTests.Row) async throws {
        // Matching by phone, the mapping writes email: the profiles carry none, or updating both contacts
        // sharing +200 would give them one email, which HubSpot refuses (emails are unique there).
        let profiles = ExportModeTests.profiles.map { profile in
            row.matching == "phone" ? profile.filter { $0.key != "email" } : profile
        }
        let harness = try EngineHarness(
            profiles: profiles, mode: row.mode, updateOnDuplicates: row.updateOnDuplicates, matching: row.matching,
            nameProperty: "firstname")
        try await HubSpotMockHarness.with(users: Self.appUsers) { hubspot in
            let report = try await harness.run(hubspot.client)
            #expect(report.run.status == .finished, "\(report.run.error ?? "")")
            #expect(report.run.counts == row.counts, "\(report.errors.map(\.message))")
            #expect(try await hubspot.contacts().count == row.users)
            if row.counts.failed > 0 {
                #expect(report.errors.map(\.message) == ["duplicates found for the matching property «phone» in the app users"])
            }
            if row.counts.created > 0 {
                let key = row.matching == "email" ? "new@x.com" : "+300"
                let created = try await hubspot.contacts().filter { $0[row.matching] == .string(key) }
                #expect(created.count == 1)
                #expect(created.first?["firstname"] == .string("New"))
            }
        }
    }

    @Test func aRerunWithNoChangeWritesNothing() async throws {
        let profiles: [[String: Any]] = (1...250).map { ["id": $0, "email": "p\($0)@x.com", "name": "P\($0)"] }
        let harness = try EngineHarness(profiles: profiles, nameProperty: "firstname")
        try await HubSpotMockHarness.with { hubspot in
            let first = try await harness.run(hubspot.client)
            #expect(first.run.counts == RunCounts(read: 250, created: 250))
            // The upsert shortcut: 3 requests for 250 profiles, no lookup.
            #expect(try await hubspot.writes() == 3)
            #expect(try await hubspot.requests(to: ["batch/read", "search"]) == 0)
            let second = try await harness.run(hubspot.client)
            #expect(second.run.counts == RunCounts(read: 250, unchanged: 250))
            #expect(try await hubspot.writes() == 3)
            let full = try await harness.run(hubspot.client, full: true)
            #expect(full.run.counts == RunCounts(read: 250, updated: 250))
            #expect(try await hubspot.contacts().count == 250)
        }
    }

    @Test func theDemoUnderInjectedFaultsEndsWithExactlyTheExpectedContacts() async throws {
        let file = try WorkspaceFile.load(path: Self.fixture("workspaces/demo.json"))
        let pipeline = try #require(file.workspace.pipeline("101"))
        let expected = try Self.expectedDemoEmails()

        let faults = "429=0.1,500=0.05,502=0.05,drop=0.03,drop-after-apply=0.05"
        try await HubSpotMockHarness.with(usersFile: Self.fixture("apps/hubspot-users.json"), faults: faults) { hubspot in
            let store = try StateStore(inMemory: ())
            var report = try await Self.engine(file, pipeline, hubspot.client, store).run()
            var runs = 1
            // Profiles whose requests failed after every retry are retried by the next run.
            while report.run.counts.failed > 20, runs < 5 {
                report = try await Self.engine(file, pipeline, hubspot.client, store).run()
                runs += 1
            }
            #expect(report.run.status == .finished)
            #expect(report.run.counts.failed == 20)
            let emails = try await hubspot.emails()
            #expect(emails.count == Set(emails).count)
            #expect(Set(emails) == expected)
        }
    }

    /// The webhook cannot look users up: everything changed is delivered, `created` the first time a
    /// matching value is sent and `updated` after; UpdateOnly is refused before anything runs.
    @Test func theWebhookDeliversWhatChanged() async throws {
        let server = try await MockServer.start(.webhook)
        let http = HTTPClient(configuration: .init(allowHosts: ["127.0.0.1", "localhost"]))
        defer { http.shutdown() }
        let client = try ConnectorClient(
            connector: try ConnectorRegistry.embedded().require("webhook"), settings: ["url": .string(server.origin + "/webhook")], transport: http,
            environment: [:])
        #expect(!client.capabilities.canLookup)
        let profiles: [[String: Any]] = (1...3).map { ["id": $0, "email": "p\($0)@x.com", "name": "P\($0)"] }
        #expect(throws: EngineError.self) { try EngineHarness(profiles: profiles, mode: "UpdateOnly").engine(client) }

        let harness = try EngineHarness(profiles: profiles)
        #expect(try await harness.run(client).run.counts == RunCounts(read: 3, created: 3))
        var changed = profiles
        changed[1]["name"] = "Changed"
        try harness.write(changed)
        #expect(try await harness.run(client).run.counts == RunCounts(read: 3, updated: 1, unchanged: 2))
        let response = try await http.send(HTTPRequest(method: .get, url: server.origin + "/__mock/users"))
        guard case .array(let deliveries)? = try JSONParser.parse(bytes: response.body)["users"] else {
            Issue.record("no deliveries")
            return
        }
        // One batch per run: three users, then the changed one.
        #expect(deliveries.count == 2)
        await server.stop()
    }

    /// The fixture contacts plus every demo email neither null nor shared (in case only) with another
    /// profile, lower-cased: what pipeline 101 leaves in the mock, worked out without another run.
    static func expectedDemoEmails() throws -> Set<String> {
        let profiles = try JSONParser.parse(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: fixture("profiles/customers.json")))))
        var counts: [String: Int] = [:]
        if case .array(let items) = profiles {
            for item in items {
                if case .string(let email)? = item["email"] { counts[email.lowercased(), default: 0] += 1 }
            }
        }
        let users = try JSONParser.parse(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: fixture("apps/hubspot-users.json")))))
        var expected = Set(counts.filter { $0.value == 1 }.keys)
        if case .array(let items)? = users["users"] {
            for item in items {
                if case .string(let email)? = item["properties"]?["email"] { expected.insert(email.lowercased()) }
            }
        }
        return expected
    }

    static func engine(_ file: WorkspaceFile, _ pipeline: Pipeline, _ client: any ApplicationClient, _ store: StateStore) throws -> ExportEngine {
        try ExportEngine(
            workspace: file.workspace.name, pipeline: pipeline, source: file.workspace.warehouse.profiles, sourceURL: file.profilesURL,
            client: client, store: store)
    }

    static func fixture(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }
}
