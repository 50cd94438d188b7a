import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The MailerLite connector file against the MailerLite mock: writes 50 at a time through
/// `/api/batch` with a status per request, an upsert that says created (201) or updated (200).
@Suite("MailerLite connector")
struct MailerLiteConnectorTests {
    static let users = mockUsers(
        #"""
        {"users":[
          {"id":"10000000000000001","email":"ella.hall@example.org","status":"active","fields":{"name":"Ella","last_name":"Hall"}},
          {"id":"10000000000000002","email":"jorg.klein@mail.example","status":"active","fields":{"name":"Jörg","company":"Klein GmbH"}}
        ]}
        """#
    )

    @Test func capabilitiesComeFromTheFile() {
        let capabilities = TestConnectors.connector("mailerlite").capabilities
        #expect(capabilities.upsertProperties == ["email"])
        #expect(capabilities.createBatchSize == 50)
        #expect(capabilities.updateBatchSize == 50)
        #expect(capabilities.upsertBatchSize == 50)
    }

    @Test func lookupIsOneGetPerEmail() async throws {
        try await withConnector(.mailerlite, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(property: "email", values: strings("ELLA.HALL@example.org", "nobody@example.org"))
            #expect(found.map { $0.map(\.id) } == [["10000000000000001"], []])
        }
    }

    @Test func createGoesThroughTheBatchEndpointWithAResultPerUser() async throws {
        try await withConnector(.mailerlite, options: Self.users) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("ada@example.org"), "fields.name": .string("Ada")]),
                user(["email": .string("not-an-email")]),
                user(["email": .string("alan@example.org"), "status": .string("unconfirmed")]),
            ])
            #expect(results[0].isCreated, "\(results)")
            #expect(results[1].failure?.contains("email") == true, "\(results[1])")
            #expect(results[2].isCreated)
            #expect(try await harness.users().count == 4)
            #expect(try await harness.stats()["routes"]?["POST /api/batch"]?["200"] == .number("1"))
        }
    }

    @Test func upsertTellsCreatedFromUpdatedByEachStatus() async throws {
        try await withConnector(.mailerlite, options: Self.users) { (harness) async throws in
            let results = await harness.client.upsert(
                property: "email",
                [
                    user(["email": .string("jorg.klein@mail.example"), "fields.last_name": .string("Klein")]),
                    user(["email": .string("new@example.org")]),
                ]
            )
            #expect(results[0] == .updated(id: "10000000000000002"))
            #expect(results[1].isCreated, "\(results)")
            let jorg = try await harness.users().first { $0["id"] == "10000000000000002" }
            #expect(jorg?["fields"]?["last_name"] == "Klein")
            #expect(jorg?["fields"]?["company"] == "Klein GmbH")
        }
    }

    @Test func updateByIdAndAnUnknownIdFailsAlone() async throws {
        try await withConnector(.mailerlite, options: Self.users) { (harness) async throws in
            let results = await harness.client.update([
                AppUserUpdate(id: "10000000000000001", user: user(["fields.name": .string("Eleanor")])),
                AppUserUpdate(id: "19999999999999999", user: user(["fields.name": .string("Ghost")])),
            ])
            #expect(results[0] == .updated(id: "10000000000000001"))
            #expect(results[1].failure?.contains("Resource not found") == true, "\(results[1])")
        }
    }

    @Test func aHundredAndTwentyUsersAreThreeBatchRequests() async throws {
        try await withConnector(.mailerlite) { (harness) async throws in
            let results = await harness.client.upsert(property: "email", (0..<120).map { user(["email": .string("u\($0)@example.org")]) })
            #expect(results.allSatisfy { $0.isCreated })
            #expect(try await harness.stats()["routes"]?["POST /api/batch"]?["200"] == .number("3"))
            #expect(try await harness.users().count == 120)
        }
    }

    @Test func schemaDiscoversTheFields() async throws {
        try await withConnector(.mailerlite) { (harness) async throws in
            let schema = try await harness.client.schema()
            #expect(schema.property(at: PropertyPath(parsing: "fields.last_name")!) != nil)
            #expect(schema.property(named: "status") != nil)
        }
    }

    @Test func aPacedClientIsNeverRefusedAndAnUnpacedOneWaitsOutRetryAfter() async throws {
        var options = MockOptions()
        options.rateLimit = .custom(count: 3, window: .seconds(1))
        var paced = TestConnectors.connector("mailerlite")
        paced.rateLimit = RateLimitSpec(groups: ["default": RateLimit(2, per: .seconds(1))])
        paced.retry.policy = .never
        try await withConnector(.mailerlite, connector: paced, options: options) { (harness) async throws in
            for n in 0..<5 {
                let result = await harness.client.upsert(property: "email", [user(["email": .string("p\(n)@example.org")])])
                #expect(result[0].isCreated, "\(result)")
            }
            #expect(try await harness.count(status: "429") == 0)
        }
        var unpaced = TestConnectors.connector("mailerlite")
        unpaced.rateLimit = RateLimitSpec()
        try await withConnector(.mailerlite, connector: unpaced, options: options) { (harness) async throws in
            for n in 0..<5 {
                let result = await harness.client.upsert(property: "email", [user(["email": .string("q\(n)@example.org")])])
                #expect(result[0].isCreated, "\(result)")
            }
            #expect(try await harness.count(status: "429") >= 1)
            #expect(try await harness.users().count == 5)
        }
    }

    @Test(arguments: ["429=0.4", "500=0.4", "drop=0.4", "drop-after-apply=0.4"])
    func writesAndLookupsGetThroughFaults(fault: String) async throws {
        var options = try ConnectorFaultTests.options(fault, seed: 6)
        options.users = Self.users.users
        try await withConnector(.mailerlite, connector: TestConnectors.quick(TestConnectors.connector("mailerlite")), options: options) {
            (harness) async throws in
            for round in 0..<4 {
                let found = try await harness.client.lookup(property: "email", values: strings("jorg.klein@mail.example"))
                #expect(found.map(\.count) == [1])
                // The batch endpoint of upserts is idempotent: a lost answer is simply sent again.
                let created = await harness.client.create([user(["email": .string("c\(round)@example.org")])])
                #expect(created[0].id != nil, "\(created)")
            }
            #expect(try await harness.users().count == 6)
            let injected = try await harness.count(status: String(fault.prefix { $0 != "=" })) + (try await harness.count(status: "dropped"))
            #expect(injected > 0, "the fault was never injected")
        }
    }

    @Test func aWrongTokenIsAuthenticationFailed() async throws {
        var options = MockOptions()
        options.token = "right"
        try await withConnector(.mailerlite, options: options) { (harness) async throws in
            await #expect(throws: ApplicationError.self) { try await harness.client.test() }
            let writes = await harness.client.create([user(["email": .string("a@example.org")])])
            #expect(writes[0].failure?.contains("authentication failed") == true)
            #expect(try await harness.total() == 2)
        }
    }
}
