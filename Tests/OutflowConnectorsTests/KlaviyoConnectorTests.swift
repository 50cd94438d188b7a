import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Klaviyo connector file against the Klaviyo mock: JSON:API bodies, filter lookups with
/// `links.next` paging, 409 `duplicate_profile` resolved as an update, and burst/steady limits.
@Suite("Klaviyo connector")
struct KlaviyoConnectorTests {
    static let users = mockUsers(
        #"""
        {"users":[
          {"type":"profile","id":"01HZK7Q3M9PX0000000000000A","attributes":{"email":"ella.hall@example.org","first_name":"Ella","external_id":"x-1"}},
          {"type":"profile","id":"01HZK7Q3M9PX0000000000000B","attributes":{"email":"jorg.klein@mail.example","first_name":"Jörg","location":{"city":"Köln"}}},
          {"type":"profile","id":"01HZK7Q3M9PX0000000000000C","attributes":{"email":"b@example.org","first_name":"Ella","properties":{"plan":"free","seats":3}}}
        ]}
        """#
    )

    static func string(_ json: JSONValue?) -> String? { if case .string(let s)? = json { s } else { nil } }

    @Test func capabilitiesComeFromTheFile() {
        let capabilities = TestConnectors.connector("klaviyo").capabilities
        #expect(capabilities.canLookup)
        #expect(capabilities.upsertProperties.isEmpty)
        #expect(capabilities.createBatchSize == 1)
        #expect(capabilities.updateBatchSize == 1)
        #expect(capabilities.lookupBatchSize == 100)
        #expect(capabilities.caseInsensitiveProperties == ["email"])
    }

    @Test func lookupByEmailIsOneFilterRequestAndCaseInsensitive() async throws {
        try await withConnector(.klaviyo, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(
                property: "email",
                values: [.string("ELLA.HALL@example.org"), .string("nobody@example.org"), .string("jorg.klein@mail.example")]
            )
            #expect(found.map { $0.map(\.id) } == [["01HZK7Q3M9PX0000000000000A"], [], ["01HZK7Q3M9PX0000000000000B"]])
            #expect(try await harness.stats()["routes"]?["GET /api/profiles"]?["200"] == .number("1"))
        }
    }

    @Test func lookupFollowsLinksNextAcrossPages() async throws {
        // Pages of 2 make three pages out of five profiles; every page is read through links.next.
        var connector = TestConnectors.connector("klaviyo")
        connector.lookups[0].request.query = connector.lookups[0].request.query.map {
            $0.name == "page[size]" ? (name: $0.name, value: Template.literal(.string("2"))) : $0
        }
        try await withConnector(.klaviyo, connector: connector, options: Self.users) { (harness) async throws in
            _ = await harness.client.create([user(["email": .string("d1@example.org")]), user(["email": .string("d2@example.org")])])
            let values = strings("ella.hall@example.org", "jorg.klein@mail.example", "b@example.org", "d1@example.org", "d2@example.org")
            let found = try await harness.client.lookup(property: "email", values: values)
            #expect(found.allSatisfy { $0.count == 1 }, "\(found)")
            #expect(try await harness.stats()["routes"]?["GET /api/profiles"]?["200"] == .number("3"))
        }
    }

    @Test func lookupByExternalIdIsExact() async throws {
        try await withConnector(.klaviyo, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(property: "external_id", values: [.string("x-1"), .string("X-1")])
            // Only email compares without case.
            #expect(found.map { $0.map(\.id) } == [["01HZK7Q3M9PX0000000000000A"], []])
        }
    }

    @Test func createSendsJSONAPIAndReturnsTheNewIds() async throws {
        try await withConnector(.klaviyo) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("ada@example.org"), "first_name": .string("Ada"), "location.city": .string("London"), "properties.plan": .string("pro")]),
                user(["email": .string("alan@example.org"), "first_name": .string("Alan")]),
            ])
            #expect(results.allSatisfy { $0.isCreated }, "\(results)")
            let stored = try await harness.users()
            #expect(stored.count == 2)
            // The two creates are separate requests sent concurrently: the mock may store them in either
            // order, so each result is matched to its profile by email.
            func profile(_ email: String) -> JSONValue? { stored.first { $0["attributes"]?["email"] == .string(email) } }
            let ada = profile("ada@example.org"), alan = profile("alan@example.org")
            #expect(results.map(\.id) == [Self.string(ada?["id"]), Self.string(alan?["id"])])
            #expect(results.allSatisfy { $0.id != nil })
            #expect(ada?["attributes"]?["location"]?["city"] == "London")
            #expect(ada?["attributes"]?["properties"]?["plan"] == "pro")
        }
    }

    @Test func aDuplicateProfileConflictBecomesAnUpdateOfThatProfile() async throws {
        try await withConnector(.klaviyo, options: Self.users) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("new@example.org"), "first_name": .string("New")]),
                user(["email": .string("Ella.Hall@example.org"), "first_name": .string("Eleanor")]),
            ])
            #expect(results[0].isCreated)
            #expect(results[1] == .updated(id: "01HZK7Q3M9PX0000000000000A"))
            let ella = try await harness.users().first { $0["id"] == "01HZK7Q3M9PX0000000000000A" }
            #expect(ella?["attributes"]?["first_name"] == "Eleanor")
            #expect(try await harness.count(status: "409") == 1)
            #expect(try await harness.users().count == 4)
        }
    }

    @Test func updatePatchesByIdMergesPropertiesAndClearsWithNull() async throws {
        try await withConnector(.klaviyo, options: Self.users) { (harness) async throws in
            let results = await harness.client.update([
                AppUserUpdate(id: "01HZK7Q3M9PX0000000000000C", user: user(["properties.plan": .string("pro"), "first_name": .null])),
                AppUserUpdate(id: "01HZK7Q3M9PX0000000000000Z", user: user(["first_name": .string("Ghost")])),
            ])
            #expect(results[0] == .updated(id: "01HZK7Q3M9PX0000000000000C"))
            #expect(results[1].failure?.contains("HTTP 404") == true, "\(results[1])")
            let b = try await harness.users().first { $0["id"] == "01HZK7Q3M9PX0000000000000C" }
            #expect(b?["attributes"]?["properties"]?["plan"] == "pro")
            #expect(b?["attributes"]?["properties"]?["seats"] == .number("3"))
            #expect(b?["attributes"]?["first_name"] == .null)
        }
    }

    @Test func oneBadProfileFailsAloneWithKlaviyosMessage() async throws {
        try await withConnector(.klaviyo) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("ok1@example.org")]),
                user(["email": .string("not-an-email")]),
                user(["email": .string("ok2@example.org")]),
            ])
            #expect(results[0].isCreated)
            #expect(results[1].failure?.contains("klaviyo: HTTP 400") == true, "\(results[1])")
            #expect(results[2].isCreated)
            #expect(try await harness.users().count == 2)
        }
    }

    @Test func schemaHasTheDocumentedPaths() async throws {
        try await withConnector(.klaviyo) { (harness) async throws in
            let schema = try await harness.client.schema()
            for path in ["email", "first_name", "location.city", "properties"] {
                #expect(schema.property(at: PropertyPath(parsing: path)!) != nil, "\(path)")
            }
            try await harness.client.test()
        }
    }

    @Test func aWrongKeyIsAuthenticationFailed() async throws {
        var options = Self.users
        options.token = "pk_right"
        try await withConnector(.klaviyo, options: options) { (harness) async throws in
            await #expect(throws: ApplicationError.self) { try await harness.client.lookup(property: "email", values: strings("a@example.org")) }
            let writes = await harness.client.create([user(["email": .string("a@example.org")])])
            #expect(writes[0].failure?.contains("authentication failed") == true)
            #expect(try await harness.total() == 2)
        }
    }

    @Test func theRateLimitHeadersPauseTheClientBeforeA429() async throws {
        // The mock allows 3 per rolling second and says so in RateLimit-*; a client that declared
        // no limit of its own still waits when RateLimit-Remaining reaches 0, so it is never refused.
        var connector = TestConnectors.connector("klaviyo")
        connector.rateLimit = RateLimitSpec()
        connector.retry.policy = .never
        var options = MockOptions()
        options.rateLimit = .custom(count: 3, window: .seconds(1))
        try await withConnector(.klaviyo, connector: connector, options: options) { (harness) async throws in
            for n in 0..<7 {
                let result = await harness.client.create([user(["email": .string("rl\(n)@example.org")])])
                #expect(result[0].isCreated, "\(result)")
            }
            #expect(try await harness.count(status: "429") == 0)
        }
    }

    @Test func burstAndSteadyWindowsAreBothKept() async throws {
        // Exact, on a manual clock: the file's two windows scaled down to 3 per 100 ms and 5 per 1 s.
        var connector = TestConnectors.connector("klaviyo")
        #expect(connector.rateLimit.groups["default"] == RateLimit(75, per: .seconds(1)))
        #expect(connector.rateLimit.extraWindows["default"] == [RateLimit(700, per: .seconds(60))])
        connector.rateLimit = RateLimitSpec(groups: ["default": RateLimit(3, per: .milliseconds(100))])
        connector.rateLimit.extraWindows = ["default": [RateLimit(5, per: .seconds(1))]]
        var options = MockOptions()
        options.rateLimit = .off
        let server = try await MockServer.start(.klaviyo, options: options)
        let clock = ManualClock()
        let transport = RecordingTransport(inner: HTTPClient(), clock: clock)
        let client = try ConnectorClient(
            connector: connector,
            settings: defaultSettings(.klaviyo, origin: server.origin),
            transport: transport,
            environment: [:],
            clock: clock
        )
        for n in 0..<11 { _ = await client.create([user(["email": .string("w\(n)@example.org")])]) }
        await server.stop()
        let times = transport.times
        for (index, time) in times.enumerated() {
            #expect(times[index...].prefix { $0 < time + 0.1 - 1e-9 }.count <= 3, "\(times)")
            #expect(times[index...].prefix { $0 < time + 1 - 1e-9 }.count <= 5, "\(times)")
        }
        // 11 requests at 5 per second: the 11th goes at 2 s, plus the limiter's safety margin of
        // the 1 s window twice (the 100 ms window's own margins fall inside those waits).
        let margin = RateLimiter.margin(for: .seconds(1))
        #expect(abs((times.last ?? 0) - (2 + 2 * margin)) < 1e-6, "\(times)")
    }

    @Test(arguments: ["500=0.4", "429=0.4", "drop=0.4"])
    func lookupsAndUpdatesGetThroughFaults(fault: String) async throws {
        var options = try ConnectorFaultTests.options(fault, seed: 5)
        options.users = Self.users.users
        try await withConnector(.klaviyo, connector: TestConnectors.quick(TestConnectors.connector("klaviyo")), options: options) {
            (harness) async throws in
            for round in 0..<4 {
                let found = try await harness.client.lookup(property: "email", values: strings("ella.hall@example.org", "b@example.org"))
                #expect(found.map(\.count) == [1, 1])
                let updated = await harness.client.update([
                    AppUserUpdate(id: "01HZK7Q3M9PX0000000000000A", user: user(["first_name": .string("Ella \(round)")]))
                ])
                #expect(updated[0].isUpdated, "\(updated)")
            }
            let injected = try await harness.count(status: String(fault.prefix { $0 != "=" })) + (try await harness.count(status: "dropped"))
            #expect(injected > 0, "the fault was never injected")
        }
    }

    @Test func aCreateWhoseAnswerWasLostIsOutcomeUnknownAndNotRepeated() async throws {
        let connector = TestConnectors.quick(TestConnectors.connector("klaviyo"))
        try await withConnector(.klaviyo, connector: connector, options: try ConnectorFaultTests.options("drop-after-apply=1")) {
            (harness) async throws in
            let results = await harness.client.create([user(["email": .string("lost@example.org")])])
            guard case .outcomeUnknown = results[0] else {
                Issue.record("expected outcomeUnknown, got \(results[0])")
                return
            }
            #expect(try await harness.users().count == 1)
            #expect(try await harness.total() == 1)
        }
    }
}
