import OutflowHTTP
import Synchronization
import Testing

@Suite("RateLimiter")
struct RateLimiterTests {
    /// No window of `window` seconds, wherever it starts, holds more than `limit` of `times` (sorted).
    static func violations(_ times: [Double], limit: Int, window: Double) -> [Int] {
        guard times.count > limit else { return [] }
        return (0..<(times.count - limit)).filter { times[$0 + limit] - times[$0] < window - 1e-9 }
    }

    @Test(
        "never more than N in any rolling window, whatever the arrival pattern",
        arguments: [(190, 10.0), (5, 1.0), (1, 0.5), (100, 10.0), (10, 2.5)]
    )
    func rollingWindowProperty(limit: Int, window: Double) async throws {
        for seed in UInt64(1)...5 {
            var random = SeededGenerator(seed: seed)
            let clock = ManualClock()
            let limiter = RateLimiter(limits: ["default": RateLimit(limit, per: .milliseconds(Int(window * 1000)))], clock: clock)
            var times: [Double] = []
            for _ in 0..<(limit * 12 + 7) {
                // Bursts (no gap), trickles and pauses longer than the window, mixed.
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<6: break
                case 6..<9: clock.advance(by: Double.random(in: 0..<(window / Double(limit)), using: &random))
                default: clock.advance(by: Double.random(in: 0..<(window * 1.5), using: &random))
                }
                let permit = try await limiter.acquire(group: "default")
                #expect(permit.grantedAt == clock.now())
                times.append(clock.now())
                await limiter.release(permit)
            }
            #expect(Self.violations(times, limit: limit, window: window).isEmpty, "seed \(seed)")
        }
    }

    @Test("a burst of R requests is spread over exactly window x (ceil(R/N) - 1), plus the margin per window")
    func tightSchedule() async throws {
        let exact = ManualClock()
        let limiter = RateLimiter(defaultLimit: RateLimit(190, per: .seconds(10)), clock: exact, margin: false)
        for _ in 0..<1000 { await limiter.release(try await limiter.acquire(group: "contacts")) }
        #expect(exact.now() == 50)

        let clock = ManualClock()
        let safe = RateLimiter(defaultLimit: RateLimit(190, per: .seconds(10)), clock: clock)
        var grants: [Double] = []
        for _ in 0..<1000 {
            let permit = try await safe.acquire(group: "contacts")
            grants.append(permit.grantedAt)
            await safe.release(permit)
        }
        let margin = RateLimiter.margin(for: .seconds(10))
        #expect(margin == 0.1)
        #expect(abs(clock.now() - (50 + 5 * margin)) < 1e-9)
        // Request k + 190 never goes before request k plus the window and the margin.
        for k in 0..<(1000 - 190) { #expect(grants[k + 190] - grants[k] >= 10 + margin - 1e-9) }
    }

    @Test("concurrent acquisitions respect the window too")
    func concurrentProperty() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: ["default": RateLimit(7, per: .seconds(1))], clock: clock)
        let grants = try await withThrowingTaskGroup(of: Double.self) { group in
            for _ in 0..<300 {
                group.addTask {
                    let permit = try await limiter.acquire(group: "default")
                    await limiter.release(permit)
                    return permit.grantedAt
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append($1) }
        }
        #expect(Self.violations(grants.sorted(), limit: 7, window: 1).isEmpty)
    }

    @Test("the concurrency cap is never exceeded and every waiter gets its turn")
    func concurrencyCap() async throws {
        let limiter = RateLimiter(maxConcurrent: 3, clock: ManualClock())
        let counts = InFlightCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let permit = try await limiter.acquire(group: "default")
                    counts.enter()
                    for _ in 0..<3 { await Task.yield() }
                    counts.leave()
                    await limiter.release(permit)
                }
            }
            try await group.waitForAll()
        }
        #expect(counts.peak == 3)
    }

    @Test("a pause asked for by headers delays the group, and only that group")
    func pauseFromHeaders() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        await limiter.observe(status: 429, headers: ["Retry-After": "5"], group: "search")
        #expect(try await limiter.acquire(group: "default").grantedAt == 0)
        #expect(try await limiter.acquire(group: "search").grantedAt == 5)
        await limiter.observe(
            status: 200,
            headers: ["X-HubSpot-RateLimit-Remaining": "0", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"],
            group: "default"
        )
        #expect(try await limiter.acquire(group: "default").grantedAt == 15)
    }

    @Test("a cancelled waiter throws and gives its slot back")
    func cancelledWaiter() async throws {
        let limiter = RateLimiter(limits: ["default": RateLimit(1, per: .seconds(3600))], maxConcurrent: 1, clock: SystemClock())
        let first = try await limiter.acquire(group: "default")
        await limiter.release(first)
        let waiting = Task { try await limiter.acquire(group: "default") }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // The slot came back: another group (no window limit) can still get a permit at once.
        let other = try await limiter.acquire(group: "other")
        await limiter.release(other)
    }
}

/// Counts tasks inside a section and remembers the most there ever were at once.
final class InFlightCounter: Sendable {
    private let state = Mutex((current: 0, peak: 0))
    func enter() { state.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) } }
    func leave() { state.withLock { $0.current -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}

@Suite("RateLimitSignals")
struct RateLimitSignalsTests {
    static let now = 1_700_000_000.0  // 2023-11-14T22:13:20Z

    @Test(
        "waits read from each API's headers",
        arguments: [
            (200, [(String, String)](), nil),
            (429, [("Retry-After", "7")], 7),
            (503, [("retry-after", " 2.5 ")], 2.5),
            (429, [("Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT")], 30),
            (429, [("Retry-After", "Tue, 14 Nov 2023 22:00:00 GMT")], 0),
            (429, [("Retry-After", "soon")], nil),
            (200, [("X-HubSpot-RateLimit-Remaining", "0"), ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")], 10),
            (200, [("X-HubSpot-RateLimit-Remaining", "12"), ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")], nil),
            (429, [("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")], 10),
            (200, [("X-HubSpot-RateLimit-Secondly-Remaining", "0")], 1),
            (200, [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1700000042")], 42),
            (429, [("X-RateLimit-Reset", "1700000005")], 5),
            (200, [("X-RateLimit-Remaining", "3"), ("X-RateLimit-Reset", "1700000042")], nil),
            (200, [("x-sib-ratelimit-remaining", "0"), ("x-sib-ratelimit-reset", "9")], 9),
            (429, [("x-sib-ratelimit-reset", "4"), ("Retry-After", "2")], 4),
        ] as [(Int, [(String, String)], Double?)]
    )
    func wait(status: Int, headers: [(String, String)], expected: Double?) {
        #expect(RateLimitSignals.wait(status: status, headers: HTTPHeaders(headers), unixTime: Self.now) == expected)
    }
}

@Suite("Redaction")
struct RedactionTests {
    @Test(
        "URLs lose userinfo, fragments and secret query values",
        arguments: [
            ("https://api.hubapi.com/crm/v3/objects/contacts", "https://api.hubapi.com/crm/v3/objects/contacts"),
            ("https://anystring:abc123-us21@us21.api.mailchimp.com/3.0/lists", "https://***@us21.api.mailchimp.com/3.0/lists"),
            ("http://h/x?api_key=s3cr3t&limit=10", "http://h/x?api_key=***&limit=10"),
            ("http://h/x?access_token=t&hapikey=k&signature=s&after=5", "http://h/x?access_token=***&hapikey=***&signature=***&after=5"),
            ("http://h/x#token=abc", "http://h/x"),
            ("http://h?Password=p", "http://h?Password=***"),
        ]
    )
    func url(input: String, expected: String) {
        #expect(Redaction.url(input) == expected)
    }

    @Test("secret header names", arguments: ["Authorization", "proxy-authorization", "Cookie", "X-Api-Key", "api-key", "webhook-signature", "X-Auth-Token"])
    func secretNames(name: String) {
        #expect(Redaction.isSecret(name: name))
    }

    @Test("ordinary header names", arguments: ["Content-Type", "Accept", "revision", "Intercom-Version", "User-Agent"])
    func ordinaryNames(name: String) {
        #expect(!Redaction.isSecret(name: name))
    }
}
