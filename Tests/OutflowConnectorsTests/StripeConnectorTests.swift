import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Stripe connector file against the Stripe mock: form-encoded bodies with brackets, search
/// lookups joined with OR, and creates made safe to retry by a deterministic Idempotency-Key.
@Suite("Stripe connector")
struct StripeConnectorTests {
    static let users = mockUsers(
        #"""
        {"users":[
          {"id":"cus_000000000000A1","object":"customer","email":"ella.hall@example.org","name":"Ella Hall","metadata":{"plan":"free","seats":"3"}},
          {"id":"cus_000000000000B2","object":"customer","email":"jorg.klein@mail.example","name":"Jörg Klein","metadata":{}},
          {"id":"cus_000000000000C3","object":"customer","email":"Ella.Hall@example.org","name":"Ella H.","metadata":{}},
          {"id":"cus_000000000000D4","object":"customer","email":"sean.o'brien@example.org","name":"Seán","metadata":{}}
        ]}
        """#
    )

    static func string(_ json: JSONValue?) -> String? { if case .string(let s)? = json { s } else { nil } }

    @Test func capabilitiesComeFromTheFile() {
        let capabilities = TestConnectors.connector("stripe").capabilities
        #expect(capabilities.lookupBatchSize == 10)
        #expect(capabilities.createBatchSize == 1)
        #expect(capabilities.upsertProperties.isEmpty)
        #expect(capabilities.uniqueProperties.isEmpty)
        #expect(capabilities.caseInsensitiveProperties == ["email"])
    }

    @Test func lookupIsOneSearchWithORAndFindsDuplicates() async throws {
        try await withConnector(.stripe, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(
                property: "email",
                values: strings("ella.hall@example.org", "nobody@example.org", "JORG.KLEIN@mail.example", "sean.o'brien@example.org")
            )
            #expect(found.map { Set($0.map(\.id)) } == [["cus_000000000000A1", "cus_000000000000C3"], [], ["cus_000000000000B2"], ["cus_000000000000D4"]])
            #expect(try await harness.stats()["routes"]?["GET /v1/customers/search"]?["200"] == .number("1"))
        }
    }

    @Test func lookupPagesThroughNextPage() async throws {
        var connector = TestConnectors.connector("stripe")
        connector.lookups[0].request.query = connector.lookups[0].request.query.map {
            $0.name == "limit" ? (name: $0.name, value: Template.literal(.string("1"))) : $0
        }
        try await withConnector(.stripe, connector: connector, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(property: "email", values: strings("ella.hall@example.org", "jorg.klein@mail.example"))
            #expect(found.map(\.count) == [2, 1])
            #expect(try await harness.stats()["routes"]?["GET /v1/customers/search"]?["200"] == .number("3"))
        }
    }

    @Test func createIsFormEncodedWithBracketedMetadata() async throws {
        try await withConnector(.stripe) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("ada@example.org"), "name": .string("Ada"), "metadata.plan": .string("pro"), "address.city": .string("London")]),
                user(["email": .string("not an email")]),
            ])
            #expect(results[0].isCreated, "\(results)")
            #expect(results[0].id?.hasPrefix("cus_") == true)
            #expect(results[1].failure?.contains("stripe: HTTP 400") == true, "\(results[1])")
            let stored = try await harness.users()
            #expect(stored.count == 1)
            #expect(stored[0]["metadata"]?["plan"] == "pro")
            #expect(stored[0]["address"]?["city"] == "London")
        }
    }

    @Test func updateMergesMetadataAndNullUnsets() async throws {
        try await withConnector(.stripe, options: Self.users) { (harness) async throws in
            let results = await harness.client.update([
                AppUserUpdate(id: "cus_000000000000A1", user: user(["metadata.plan": .string("pro"), "name": .null])),
                AppUserUpdate(id: "cus_missing", user: user(["name": .string("x")])),
            ])
            #expect(results[0] == .updated(id: "cus_000000000000A1"))
            #expect(results[1].failure?.contains("No such customer") == true, "\(results[1])")
            let ella = try await harness.users().first { $0["id"] == "cus_000000000000A1" }
            #expect(ella?["metadata"]?["plan"] == "pro")
            #expect(ella?["metadata"]?["seats"] == "3")
            #expect(ella?["name"] == .null)
        }
    }

    @Test func theSameUserOfTheSamePipelineHasTheSameIdempotencyKey() async throws {
        try await withConnector(.stripe) { (harness) async throws in
            let ada = user(["email": .string("ada@example.org"), "name": .string("Ada")])
            let context = WriteContext(pipelineID: 7, matchingProperty: "email")
            let first = await harness.client.create([ada], context: context)
            let again = await harness.client.create([ada], context: context)
            #expect(first[0].isCreated)
            #expect(again[0] == first[0])
            #expect(try await harness.users().count == 1)
            // Another pipeline, or another payload, is another create.
            _ = await harness.client.create([ada], context: WriteContext(pipelineID: 8, matchingProperty: "email"))
            #expect(try await harness.users().count == 2)
        }
    }

    @Test func aLostCreateIsRetriedWithItsKeyAndCreatesExactlyOneCustomer() async throws {
        // Half of all requests are applied and then their connection is dropped. Search lags
        // writes, so a lookup could not tell whether a create happened; the key makes the retry safe.
        var options = try ConnectorFaultTests.options("drop-after-apply=0.5,search-lag=10s", seed: 3)
        options.rateLimit = .off
        // The mock's time stands still, so the lag never ends however slowly the machine runs the
        // test (on a loaded machine 10 s of real time had passed before the last lookup).
        options.clock = .manual(MockClock.Manual())
        try await withConnector(.stripe, connector: TestConnectors.quick(TestConnectors.connector("stripe")), options: options) {
            (harness) async throws in
            var ids: [String] = []
            for n in 0..<8 {
                let results = await harness.client.create(
                    [user(["email": .string("c\(n)@example.org"), "metadata.n": .string(String(n))])],
                    context: WriteContext(pipelineID: 1, matchingProperty: "email")
                )
                #expect(results[0].isCreated, "\(results)")
                ids += results.compactMap(\.id)
            }
            let stored = try await harness.users()
            #expect(stored.count == 8)
            #expect(Set(ids) == Set(stored.compactMap { Self.string($0["id"]) }))
            #expect(try await harness.count(status: "dropped") > 0, "no answer was lost, so the test proves nothing")
            // And search does not see them yet: a lookup alone could not have resolved the lost answers.
            let found = try await harness.client.lookup(property: "email", values: strings("c0@example.org"))
            #expect(found == [[]])
        }
    }

    @Test(arguments: ["429=0.4", "500=0.4", "drop=0.4"])
    func lookupsUpdatesAndCreatesGetThroughFaults(fault: String) async throws {
        var options = try ConnectorFaultTests.options(fault, seed: 9)
        options.users = Self.users.users
        try await withConnector(.stripe, connector: TestConnectors.quick(TestConnectors.connector("stripe")), options: options) {
            (harness) async throws in
            for round in 0..<4 {
                let found = try await harness.client.lookup(property: "email", values: strings("jorg.klein@mail.example"))
                #expect(found.map(\.count) == [1])
                let updated = await harness.client.update([AppUserUpdate(id: "cus_000000000000B2", user: user(["name": .string("J \(round)")]))])
                #expect(updated[0].isUpdated, "\(updated)")
                let created = await harness.client.create([user(["email": .string("f\(round)@example.org")])])
                #expect(created[0].isCreated, "\(created)")
            }
            #expect(try await harness.users().count == 8)
            let injected = try await harness.count(status: String(fault.prefix { $0 != "=" })) + (try await harness.count(status: "dropped"))
            #expect(injected > 0, "the fault was never injected")
        }
    }

    @Test func aWrongKeyIsAuthenticationFailed() async throws {
        var options = MockOptions()
        options.token = "sk_test_right"
        try await withConnector(.stripe, options: options) { (harness) async throws in
            await #expect(throws: ApplicationError.self) { try await harness.client.test() }
            let writes = await harness.client.create([user(["email": .string("a@example.org")])])
            #expect(writes[0].failure?.contains("authentication failed") == true)
            #expect(try await harness.total() == 2)
        }
    }

    @Test func shouldRetryFalseStopsTheRetries() {
        var policy = TestConnectors.connector("stripe").retry.policy
        #expect(policy.shouldRetryHeader == "Stripe-Should-Retry")
        policy.random = { 0 }
        let refused = HTTPResponse(status: 500, headers: ["Stripe-Should-Retry": "false"], body: [])
        #expect(policy.decide(.success(refused), isIdempotent: true, attempt: 1, waited: 0) == .stop)
        let locked = HTTPResponse(status: 409, headers: ["Stripe-Should-Retry": "true"], body: [])
        #expect(policy.decide(.success(locked), isIdempotent: true, attempt: 1, waited: 0) == .retry(after: 0))
    }
}
