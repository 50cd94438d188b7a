import Foundation
import Synchronization
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
        // Exact, on a manual clock: the time each request reaches the network, against the declared
        // "4 per 600 ms". A sleep moves the clock at once, so the test waits for nothing.
        var connector = TestConnectors.connector("hubspot")
        connector.rateLimit = RateLimitSpec(groups: ["default": RateLimit(4, per: .milliseconds(600))])
        let server = try await MockServer.start(.hubspot, options: try Self.options("", rateLimit: .off))
        let clock = ManualClock()
        let transport = RecordingTransport(inner: HTTPClient(), clock: clock)
        let client = try ConnectorClient(
            connector: connector, settings: defaultSettings(.hubspot, origin: server.origin), transport: transport, environment: [:], clock: clock)
        for n in 0..<10 {
            _ = await client.create([user(["email": .string("rl\(n)@example.org")])])
        }
        await server.stop()
        let times = transport.times
        #expect(times.count == 10)
        for (index, time) in times.enumerated() {
            let inWindow = times[index...].prefix { $0 < time + 0.6 - 1e-9 }.count
            #expect(inWindow <= 4, "\(inWindow) requests within 600 ms from t=\(time): \(times)")
        }
        // A burst of 10 under 4 per 600 ms takes 600 ms x (ceil(10/4) - 1), plus the limiter's
        // safety margin once per window.
        let margin = RateLimiter.margin(for: .milliseconds(600))
        #expect(abs((times.last ?? 0) - (1.2 + 2 * margin)) < 1e-6, "\(times)")
    }

    @Test func theMockNeverRefusesAPacedClient() async throws {
        // End to end on real clocks: eight callers share a client that declares 3 per 500 ms with
        // one request in flight; the mock enforces 4 per rolling 500 ms and answers 429 beyond.
        //
        // Why a slow or loaded machine cannot make it fail: the client paces departures, the mock
        // counts arrivals, and a request may arrive any time after it left, so with several in
        // flight no margin is safe (a late request and an early one bunch up). With one in flight,
        // request k has arrived before request k+1 is even granted, so arrival k lies between
        // grants k and k+1. Grants k+1 and k+4 are at least 500 ms apart (3 per 500 ms), hence so
        // are arrivals k and k+4: no 500 ms of the mock's window ever holds five. The one slot the
        // mock allows beyond the client's limit is what that proof needs, not slack for timing.
        // Exact pacing is tested on a manual clock above, the mock's window on a frozen clock in
        // OutflowMocksTests.
        //
        // What a broken limiter does: sends back to back and meets 429s; and however loaded the
        // machine, 8 requests at 3 per 500 ms cannot be granted in less than 1 s (the 7th comes
        // 500 ms after the 4th, which comes 500 ms after the 1st), so a limiter that does not wait
        // fails the last expectation even when the load spreads its requests out.
        var connector = TestConnectors.connector("hubspot")
        connector.rateLimit = RateLimitSpec(groups: ["default": RateLimit(3, per: .milliseconds(500))], maxConcurrent: 1)
        connector.retry.policy = .never
        try await withConnector(.hubspot, connector: connector, options: try Self.options("", rateLimit: .custom(count: 4, window: .milliseconds(500)))) {
            (harness) async throws in
            let start = ContinuousClock.now
            await withTaskGroup(of: Void.self) { group in
                for n in 0..<8 {
                    group.addTask { _ = await harness.client.create([user(["email": .string("rl\(n)@example.org")])]) }
                }
            }
            let elapsed = ContinuousClock.now - start
            let refused = try await harness.count(status: "429")
            let stored = try await harness.users().count
            #expect(refused == 0)
            #expect(stored == 8)
            #expect(elapsed >= .seconds(1), "8 requests at 3 per 500 ms went out in \(elapsed)")
        }
    }
}

/// Passes requests to a real client and notes, on the test's clock, when each one went out.
final class RecordingTransport: HTTPTransport {
    let inner: HTTPClient
    let clock: any HTTPClock
    private let log = Mutex<[Double]>([])

    init(inner: HTTPClient, clock: any HTTPClock) {
        self.inner = inner
        self.clock = clock
    }

    var times: [Double] { log.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let now = clock.now()
        log.withLock { $0.append(now) }
        return try await inner.send(request)
    }
}

/// A clock whose time moves only when somebody sleeps: a sleep returns at once with `now` at its deadline.
final class ManualClock: HTTPClock {
    private let state = Mutex<Double>(0)

    func now() -> Double { state.withLock { $0 } }

    func unixTime() -> Double { 1_700_000_000 + now() }

    func sleep(until deadline: Double) async throws {
        try Task.checkCancellation()
        state.withLock { now in now = max(now, deadline) }
        await Task.yield()
    }
}
