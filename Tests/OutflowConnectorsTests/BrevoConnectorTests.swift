import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Brevo connector file against the Brevo mock: a GET per email, creates, upserts answered 201
/// or 204, and all-or-nothing batch updates whose 404 names the unknown contacts.
@Suite("Brevo connector")
struct BrevoConnectorTests {
    static let users = mockUsers(
        #"""
        {"users":[
          {"id":101,"email":"ella.hall@example.org","attributes":{"FIRSTNAME":"Ella","LASTNAME":"Hall"}},
          {"id":102,"email":"jorg.klein@mail.example","ext_id":"x-2","attributes":{"FIRSTNAME":"Jörg"}},
          {"id":103,"email":"b@example.org","attributes":{"FIRSTNAME":"Bea","PLAN":"free"}}
        ]}
        """#
    )

    @Test func capabilitiesComeFromTheFile() {
        let capabilities = TestConnectors.connector("brevo").capabilities
        #expect(capabilities.upsertProperties == ["email"])
        #expect(capabilities.updateBatchSize == 100)
        #expect(capabilities.createBatchSize == 1)
        #expect(capabilities.caseInsensitiveProperties == ["email"])
    }

    @Test func lookupIsOneGetPerEmailOrExternalId() async throws {
        try await withConnector(.brevo, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(property: "email", values: strings("ELLA.HALL@example.org", "nobody@example.org"))
            #expect(found.map { $0.map(\.id) } == [["101"], []])
            let byExternal = try await harness.client.lookup(property: "ext_id", values: strings("x-2", "x-9"))
            #expect(byExternal.map { $0.map(\.id) } == [["102"], []])
            // A value in the path is one percent-encoded segment.
            let plus = await harness.client.create([user(["email": .string("ada+tag@example.org")])])
            #expect(plus[0].isCreated, "\(plus)")
            let found2 = try await harness.client.lookup(property: "email", values: strings("ada+tag@example.org", "a/b@example.org"))
            #expect(found2.map(\.count) == [1, 0])
        }
    }

    @Test func createReturnsTheIdAndAnExistingEmailFailsAlone() async throws {
        try await withConnector(.brevo, options: Self.users) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("ada@example.org"), "attributes.FIRSTNAME": .string("Ada")]),
                user(["email": .string("b@example.org")]),
                user(["email": .string("c@example.org"), "attributes.NOSUCH": .string("x")]),
            ])
            #expect(results[0].isCreated, "\(results)")
            #expect(results[1].failure?.contains("Contact already exist") == true, "\(results[1])")
            #expect(results[2].failure?.contains("NOSUCH") == true, "\(results[2])")
            #expect(try await harness.users().count == 4)
        }
    }

    @Test func aBatchUpdateRefusedForUnknownIndexesIsSentAgainWithoutThem() async throws {
        try await withConnector(.brevo, options: Self.users) { (harness) async throws in
            let results = await harness.client.update([
                AppUserUpdate(id: "101", user: user(["attributes.LASTNAME": .string("Hall-Smith")])),
                AppUserUpdate(id: "999", user: user(["attributes.LASTNAME": .string("Ghost")])),
                AppUserUpdate(id: "103", user: user(["attributes.PLAN": .null])),
                AppUserUpdate(id: "998", user: user(["attributes.LASTNAME": .string("Ghost")])),
            ])
            #expect(results[0] == .updated(id: "101"))
            #expect(results[1].failure?.contains("No contact found for indexes 1,3") == true, "\(results[1])")
            #expect(results[2] == .updated(id: "103"))
            #expect(results[3].failure != nil)
            let stored = try await harness.users()
            #expect(stored.first { $0["id"] == .number("101") }?["attributes"]?["LASTNAME"] == "Hall-Smith")
            #expect(stored.first { $0["id"] == .number("103") }?["attributes"]?["PLAN"] == nil)
            #expect(try await harness.count(status: "404") == 1)
            #expect(try await harness.count(status: "204") == 1)
        }
    }

    @Test func upsertTellsCreatedFrom201AndUpdatedFrom204() async throws {
        try await withConnector(.brevo, options: Self.users) { (harness) async throws in
            let results = await harness.client.upsert(
                property: "email",
                [
                    user(["email": .string("Ella.Hall@example.org"), "attributes.FIRSTNAME": .string("Eleanor")]),
                    user(["email": .string("new@example.org"), "attributes.FIRSTNAME": .string("New")]),
                ]
            )
            #expect(results[0] == .updated(id: "ella.hall@example.org"))
            #expect(results[1].isCreated, "\(results)")
            #expect(Int(results[1].id ?? "") != nil)
            let stored = try await harness.users()
            #expect(stored.count == 4)
            #expect(stored.first { $0["id"] == .number("101") }?["attributes"]?["FIRSTNAME"] == "Eleanor")
        }
    }

    @Test func schemaDiscoversTheAttributes() async throws {
        try await withConnector(.brevo, options: Self.users) { (harness) async throws in
            let schema = try await harness.client.schema()
            #expect(schema.property(at: PropertyPath(parsing: "attributes.FIRSTNAME")!) != nil)
            #expect(schema.property(at: PropertyPath(parsing: "attributes.PLAN")!) != nil)
            #expect(schema.property(named: "email") != nil)
        }
    }

    @Test func theSibRateLimitHeadersPauseTheClientBeforeA429() async throws {
        var connector = TestConnectors.connector("brevo")
        connector.rateLimit = RateLimitSpec()
        connector.retry.policy = .never
        var options = MockOptions()
        options.rateLimit = .custom(count: 3, window: .seconds(1))
        try await withConnector(.brevo, connector: connector, options: options) { (harness) async throws in
            for n in 0..<7 {
                let result = await harness.client.create([user(["email": .string("rl\(n)@example.org")])])
                #expect(result[0].isCreated, "\(result)")
            }
            #expect(try await harness.count(status: "429") == 0)
        }
    }

    @Test(arguments: ["429=0.4", "500=0.4", "drop=0.4"])
    func lookupsUpdatesAndUpsertsGetThroughFaults(fault: String) async throws {
        var options = try ConnectorFaultTests.options(fault, seed: 2)
        options.users = Self.users.users
        try await withConnector(.brevo, connector: TestConnectors.quick(TestConnectors.connector("brevo")), options: options) {
            (harness) async throws in
            for round in 0..<4 {
                let found = try await harness.client.lookup(property: "email", values: strings("jorg.klein@mail.example"))
                #expect(found.map(\.count) == [1])
                let updated = await harness.client.update([AppUserUpdate(id: "102", user: user(["attributes.LASTNAME": .string("K \(round)")]))])
                #expect(updated[0].isUpdated, "\(updated)")
                let upserted = await harness.client.upsert(property: "email", [user(["email": .string("u\(round)@example.org")])])
                #expect(upserted[0].isCreated || upserted[0].isUpdated, "\(upserted)")
            }
            #expect(try await harness.users().count == 7)
            let injected = try await harness.count(status: String(fault.prefix { $0 != "=" })) + (try await harness.count(status: "dropped"))
            #expect(injected > 0, "the fault was never injected")
        }
    }

    @Test func aWrongKeyIsAuthenticationFailed() async throws {
        var options = MockOptions()
        options.token = "xkeysib-right"
        try await withConnector(.brevo, options: options) { (harness) async throws in
            await #expect(throws: ApplicationError.self) { try await harness.client.lookup(property: "email", values: strings("a@example.org")) }
            let writes = await harness.client.update([AppUserUpdate(id: "1", user: user(["attributes.FIRSTNAME": .string("x")]))])
            #expect(writes[0].failure?.contains("authentication failed") == true)
            #expect(try await harness.total() == 2)
        }
    }
}
