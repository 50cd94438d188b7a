import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// Connectors under the mocks' injected faults: retries, lost answers, refused credentials and rate limits.
@Suite("Connectors under faults")
struct ConnectorFaultTests {
    static func options(_ spec: String, seed: UInt64 = 11, rateLimit: RateLimitSetting = .off) throws -> MockOptions {
        var options = MockOptions()
        options.faults = try FaultSpec.parse(spec)
        options.seed = seed
        options.rateLimit = rateLimit
        return options
    }

    @Test(arguments: ["500=0.4", "503=0.4", "drop=0.4", "429=0.4"])
    func idempotentWritesAndLookupsSucceedThroughRetries(fault: String) async throws {
        let connector = TestConnectors.quick(TestConnectors.connector("hubspot"))
        try await withConnector(
            .hubspot,
            connector: connector,
            options: try Self.options(fault, rateLimit: .custom(count: 1000, window: .milliseconds(100)))
        ) { (harness) async throws in
            for round in 0..<6 {
                let users = (0..<3).map { user(["email": .string("r\(round)u\($0)@example.org")]) }
                let results = await harness.client.upsert(property: "email", users)
                #expect(results.allSatisfy { $0.isCreated }, "\(results)")
                let found = try await harness.client.lookup(property: "email", values: users.map { $0["email"] ?? .null })
                #expect(found.allSatisfy { $0.count == 1 })
            }
            let injected = try await harness.count(status: String(fault.prefix(while: { $0 != "=" }))) + (try await harness.count(status: "dropped"))
            let stats = try await harness.stats()
            #expect(injected > 0, "the fault was never injected, so the test proves nothing: \(stats)")
        }
    }

    @Test func aCreateWhoseAnswerWasLostIsOutcomeUnknown() async throws {
        let connector = TestConnectors.quick(TestConnectors.connector("hubspot"))
        try await withConnector(.hubspot, connector: connector, options: try Self.options("drop-after-apply=1")) { (harness) async throws in
            let results = await harness.client.create([user(["email": .string("a@example.org")]), user(["email": .string("b@example.org")])])
            for result in results {
                guard case .outcomeUnknown = result else {
                    Issue.record("expected outcomeUnknown, got \(result)")
                    continue
                }
            }
            // The write happened, and it was not repeated.
            let stored = try await harness.users().count
            let requests = try await harness.total()
            #expect(stored == 2)
            #expect(requests == 1)
        }
    }

    @Test func aCreateRefusedUnprocessedIsRetried() async throws {
        let connector = TestConnectors.quick(TestConnectors.connector("mailchimp"))
        try await withConnector(.mailchimp, connector: connector, options: try Self.options("503=0.5", seed: 3)) { (harness) async throws in
            let results = await harness.client.create((0..<6).map { user(["email_address": .string("m\($0)@example.org")]) })
            #expect(results.allSatisfy { $0.isCreated }, "\(results)")
            let stored = try await harness.users().count
            let refused = try await harness.count(status: "503")
            #expect(stored == 6)
            #expect(refused > 0, "no 503 was injected, so the test proves nothing")
        }
    }

    @Test(arguments: [MockKind.hubspot, .mailchimp])
    func refusedCredentialsFailClearlyWithoutARetryStorm(kind: MockKind) async throws {
        var options = MockOptions()
        options.token = "the-right-one"
        try await withConnector(kind, options: options) { (harness) async throws in
            do throws(ApplicationError) {
                _ = try await harness.client.lookup(property: kind == .hubspot ? "email" : "email_address", values: [.string("a@example.org")])
                Issue.record("expected authentication failed")
            } catch {
                guard case .authenticationFailed(_, let status, _) = error else {
                    Issue.record("\(error)")
                    return
                }
                #expect(status == 401)
                #expect(error.description.contains("authentication failed"))
                #expect(error.isSystemic)
            }
            let writes = await harness.client.create([user([(kind == .hubspot ? "email" : "email_address"): .string("a@example.org")])])
            #expect(writes[0].failure?.contains("authentication failed") == true)
            // One request for the lookup, one for the create: nothing was retried.
            let requests = try await harness.total()
            #expect(requests == 2)
        }
    }

    @Test func theClientNeverExceedsTheDeclaredRateLimit() async throws {
        var connector = TestConnectors.connector("hubspot")
        // The client's declared limit is a little stricter than the mock's, so network jitter between
        // the grant and the arrival cannot make a correctly paced request look early to the mock.
        connector.rateLimit = RateLimitSpec(groups: ["default": RateLimit(4, per: .milliseconds(600))])
        connector.retry.policy = .never
        try await withConnector(
            .hubspot,
            connector: connector,
            options: try Self.options("", rateLimit: .custom(count: 4, window: .milliseconds(500)))
        ) {
            (harness) async throws in
            let started = ContinuousClock.now
            await withTaskGroup(of: Void.self) { group in
                for n in 0..<10 {
                    group.addTask { _ = await harness.client.create([user(["email": .string("rl\(n)@example.org")])]) }
                }
            }
            let elapsed = ContinuousClock.now - started
            // The mock refuses anything over 4 per rolling 500 ms with a 429; none was needed.
            #expect(try await harness.count(status: "429") == 0)
            #expect(try await harness.users().count == 10)
            // 10 requests at 4 per 500 ms take at least two windows (a loose lower bound only).
            #expect(elapsed >= .milliseconds(900))
        }
    }
}
