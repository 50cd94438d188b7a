import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Intercom connector file against the Intercom mock: search with IN and `starting_after`
/// paging, users versus leads that share emails, 409 conflicts naming the existing id.
@Suite("Intercom connector")
struct IntercomConnectorTests {
    static let users = mockUsers(
        #"""
        {"users":[
          {"type":"contact","id":"65a100000000000000000001","role":"user","email":"ella.hall@example.org","name":"Ella","custom_attributes":{"plan":"pro"}},
          {"type":"contact","id":"65a100000000000000000002","role":"user","email":"jorg.klein@mail.example","name":"Jörg","custom_attributes":{"plan":"pro"}},
          {"type":"contact","id":"65a100000000000000000003","role":"lead","email":"ella.hall@example.org","name":"Ella (lead)","custom_attributes":{}},
          {"type":"contact","id":"65a100000000000000000004","role":"lead","email":"ella.hall@example.org","name":"Ella (lead 2)","custom_attributes":{}}
        ]}
        """#
    )

    static func ids(_ found: [[AppUser]]) -> [Set<String>] { found.map { Set($0.map(\.id)) } }

    @Test func lookupFindsUsersOnlyAndComparesEmailWithoutCase() async throws {
        try await withConnector(.intercom, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(property: "email", values: strings("ELLA.HALL@example.org", "nobody@example.org"))
            #expect(Self.ids(found) == [["65a100000000000000000001"], []])
        }
    }

    @Test func leadsMayShareAnEmailSoTheyComeBackAsDuplicates() async throws {
        try await withConnector(.intercom, options: Self.users) { (harness) async throws in
            let leads = try ConnectorClient(
                connector: TestConnectors.connector("intercom"),
                settings: ["baseURL": .string(harness.server.origin), "accessToken": "t", "role": "lead"],
                transport: harness.http,
                environment: [:]
            )
            let found = try await leads.lookup(property: "email", values: strings("ella.hall@example.org"))
            #expect(Self.ids(found) == [["65a100000000000000000003", "65a100000000000000000004"]])
        }
    }

    @Test func lookupByACustomAttributePagesWithStartingAfter() async throws {
        var connector = TestConnectors.connector("intercom")
        guard case .object(var members)? = connector.lookups[0].request.body,
            let index = members.firstIndex(where: { $0.key == "pagination" })
        else {
            Issue.record("the lookup body has no pagination")
            return
        }
        members[index].value = .literal(["per_page": 1])
        connector.lookups[0].request.body = .object(members)
        try await withConnector(.intercom, connector: connector, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(property: "custom_attributes.plan", values: strings("pro", "free"))
            #expect(Self.ids(found) == [["65a100000000000000000001", "65a100000000000000000002"], []])
            #expect(try await harness.stats()["routes"]?["POST /contacts/search"]?["200"] == .number("2"))
        }
    }

    @Test func createAndAConflictThatNamesTheExistingUser() async throws {
        try await withConnector(.intercom, options: Self.users) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("ada@example.org"), "name": .string("Ada"), "custom_attributes.plan": .string("pro")]),
                user(["email": .string("Jorg.Klein@mail.example"), "name": .string("Jörg K.")]),
                user(["email": .string("bad@example.org"), "signed_up_at": .string("yesterday")]),
            ])
            #expect(results[0].isCreated, "\(results)")
            #expect(results[1] == .updated(id: "65a100000000000000000002"))
            #expect(results[2].failure?.contains("signed_up_at must be a Unix timestamp") == true, "\(results[2])")
            let stored = try await harness.users()
            #expect(stored.count == 5)
            #expect(stored.first { $0["id"] == "65a100000000000000000002" }?["name"] == "Jörg K.")
            #expect(stored.last?["role"] == "user")
            #expect(stored.last?["custom_attributes"]?["plan"] == "pro")
        }
    }

    @Test func updatePutsByIdAndMergesCustomAttributes() async throws {
        try await withConnector(.intercom, options: Self.users) { (harness) async throws in
            let results = await harness.client.update([
                AppUserUpdate(id: "65a100000000000000000001", user: user(["custom_attributes.seats": .int(3), "name": .null])),
                AppUserUpdate(id: "65a1000000000000000000ff", user: user(["name": .string("Ghost")])),
            ])
            #expect(results[0] == .updated(id: "65a100000000000000000001"))
            #expect(results[1].failure?.contains("User Not Found") == true, "\(results[1])")
            let ella = try await harness.users().first { $0["id"] == "65a100000000000000000001" }
            #expect(ella?["custom_attributes"]?["plan"] == "pro")
            #expect(ella?["custom_attributes"]?["seats"] == .number("3"))
            #expect(ella?["name"] == .null)
        }
    }

    @Test func theRateLimitHeadersPauseTheClientBeforeA429() async throws {
        var connector = TestConnectors.connector("intercom")
        connector.rateLimit = RateLimitSpec()
        connector.retry.policy = .never
        var options = MockOptions()
        options.rateLimit = .custom(count: 3, window: .seconds(1))
        try await withConnector(.intercom, connector: connector, options: options) { (harness) async throws in
            for n in 0..<7 {
                let result = await harness.client.create([user(["email": .string("rl\(n)@example.org")])])
                #expect(result[0].isCreated, "\(result)")
            }
            #expect(try await harness.count(status: "429") == 0)
        }
    }

    @Test(arguments: ["429=0.4", "500=0.4", "503=0.4", "drop=0.4"])
    func lookupsAndUpdatesGetThroughFaults(fault: String) async throws {
        var options = try ConnectorFaultTests.options(fault, seed: 4)
        options.users = Self.users.users
        try await withConnector(.intercom, connector: TestConnectors.quick(TestConnectors.connector("intercom")), options: options) {
            (harness) async throws in
            for round in 0..<4 {
                let found = try await harness.client.lookup(property: "email", values: strings("jorg.klein@mail.example"))
                #expect(found.map(\.count) == [1])
                let updated = await harness.client.update([AppUserUpdate(id: "65a100000000000000000002", user: user(["name": .string("J \(round)")]))])
                #expect(updated[0].isUpdated, "\(updated)")
            }
            let injected = try await harness.count(status: String(fault.prefix { $0 != "=" })) + (try await harness.count(status: "dropped"))
            #expect(injected > 0, "the fault was never injected")
        }
    }

    @Test func aCreateWhoseAnswerWasLostIsOutcomeUnknown() async throws {
        try await withConnector(
            .intercom,
            connector: TestConnectors.quick(TestConnectors.connector("intercom")),
            options: try ConnectorFaultTests.options("drop-after-apply=1")
        ) { (harness) async throws in
            let results = await harness.client.create([user(["email": .string("lost@example.org")])])
            guard case .outcomeUnknown = results[0] else {
                Issue.record("expected outcomeUnknown, got \(results[0])")
                return
            }
            #expect(try await harness.users().count == 1)
            #expect(try await harness.total() == 1)
        }
    }

    @Test func aWrongTokenIsAuthenticationFailed() async throws {
        var options = MockOptions()
        options.token = "right"
        try await withConnector(.intercom, options: options) { (harness) async throws in
            await #expect(throws: ApplicationError.self) { try await harness.client.test() }
            let writes = await harness.client.create([user(["email": .string("a@example.org")])])
            #expect(writes[0].failure?.contains("authentication failed") == true)
            #expect(try await harness.total() == 2)
        }
    }
}
