import OutflowHTTP
import Testing

@Suite("RetryingHTTPClient against a local server", .serialized)
struct RetryTests {
    /// Jitter fixed at half the ceiling, so backoffs are 0.25 s, 0.5 s, 1 s... with the default base.
    static func policy(maxAttempts: Int = 5, maxTotalWait: Duration = .seconds(60)) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, maxTotalWait: maxTotalWait, random: { 0.5 })
    }

    static func create(_ origin: String) -> HTTPRequest {
        HTTPRequest(method: .post, url: origin + "/crm/v3/objects/contacts", body: Array(#"{"properties":{}}"#.utf8))
    }

    @Test("a 429 with Retry-After is retried after exactly that wait, and the limiter pauses the group")
    func retryAfterHonoured() async throws {
        try await withServer(script: { _, index in
            index == 0 ? .status(429, headers: [("Retry-After", "7")], body: #"{"status":"error","category":"RATE_LIMITS"}"#) : .status(200)
        }) { server in
            let clock = ManualClock()
            let limiter = RateLimiter(limits: ["default": RateLimit(190, per: .seconds(10))], clock: clock)
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(), limiter: limiter, clock: clock)
            // A create is retried too: a 429 says the request was not processed.
            let response = try await client.send(Self.create(server.origin))
            #expect(response.status == 200)
            #expect(response.attempts == 2)
            #expect(clock.sleeps == [7])
            #expect(server.requests.count == 2)
        }
    }

    @Test("503 twice, then 200: retried with exponential backoff and full jitter")
    func serviceUnavailableThenSuccess() async throws {
        try await withServer(script: { _, index in index < 2 ? .status(503) : .status(200, body: "done") }) { server in
            let clock = ManualClock()
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(), clock: clock)
            let response = try await client.send(HTTPRequest(url: server.origin + "/users"))
            #expect(response.text == "done")
            #expect(response.attempts == 3)
            #expect(clock.sleeps == [0.25, 0.5])
        }
    }

    @Test("the attempts budget ends retries with the last response")
    func attemptsExhausted() async throws {
        try await withServer(script: { _, _ in .status(503) }) { server in
            let clock = ManualClock()
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(maxAttempts: 3), clock: clock)
            let response = try await client.send(HTTPRequest(url: server.origin + "/users"))
            #expect(response.status == 503)
            #expect(response.attempts == 3)
            #expect(server.requests.count == 3)
            #expect(clock.sleeps.count == 2)
        }
    }

    @Test("a requested wait longer than the time budget ends retries at once, without sleeping")
    func waitBudgetExhausted() async throws {
        try await withServer(script: { _, _ in .status(429, headers: [("Retry-After", "100")]) }) { server in
            let clock = ManualClock()
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(maxTotalWait: .seconds(60)), clock: clock)
            let response = try await client.send(HTTPRequest(url: server.origin + "/users"))
            #expect(response.status == 429)
            #expect(response.attempts == 1)
            #expect(clock.sleeps.isEmpty)
        }
    }

    @Test("a create whose connection closed after sending is not repeated: .outcomeUnknown")
    func createNotRepeatedAfterReset() async throws {
        try await withServer(script: { _, _ in ScriptedResponse(action: .closeWithoutResponse) }) { server in
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(), clock: ManualClock())
            let error = await #expect(throws: HTTPError.self) { try await client.send(Self.create(server.origin)) }
            guard case .outcomeUnknown(let url, _) = error else {
                Issue.record("expected outcomeUnknown, got \(String(describing: error))")
                return
            }
            #expect(url == server.origin + "/crm/v3/objects/contacts")
            #expect(server.requests.count == 1)
        }
    }

    @Test("a create that timed out after sending is not repeated: .outcomeUnknown")
    func createNotRepeatedAfterTimeout() async throws {
        try await withServer(script: { _, _ in ScriptedResponse(status: 201, delay: 1) }) { server in
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(), clock: ManualClock())
            var request = Self.create(server.origin)
            request.timeout = .milliseconds(200)
            let error = await #expect(throws: HTTPError.self) { try await client.send(request) }
            guard case .outcomeUnknown = error else {
                Issue.record("expected outcomeUnknown, got \(String(describing: error))")
                return
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test("a create answered 502 is not repeated: .outcomeUnknown")
    func createNotRepeatedAfterBadGateway() async throws {
        try await withServer(script: { _, _ in .status(502) }) { server in
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(), clock: ManualClock())
            let error = await #expect(throws: HTTPError.self) { try await client.send(Self.create(server.origin)) }
            #expect(error == .outcomeUnknown(url: server.origin + "/crm/v3/objects/contacts", reason: "HTTP 502"))
            #expect(server.requests.count == 1)
        }
    }

    @Test("an idempotent PUT whose connection closed is sent again")
    func idempotentRetriedAfterReset() async throws {
        try await withServer(script: { _, index in index == 0 ? ScriptedResponse(action: .closeWithoutResponse) : .status(200) }) { server in
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(), clock: ManualClock())
            let response = try await client.send(HTTPRequest(method: .put, url: server.origin + "/members/abc", body: Array("{}".utf8)))
            #expect(response.status == 200)
            #expect(response.attempts == 2)
            #expect(server.requests.count == 2)
        }
    }

    @Test("a create whose connection was refused is retried, then the last error is thrown")
    func createRetriedWhenRefused() async throws {
        let port = try closedLoopbackPort()
        let clock = ManualClock()
        let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(maxAttempts: 3), clock: clock)
        let error = await #expect(throws: HTTPError.self) { try await client.send(Self.create("http://127.0.0.1:\(port)")) }
        guard case .connectionRefused = error else {
            Issue.record("expected connectionRefused, got \(String(describing: error))")
            return
        }
        #expect(clock.sleeps == [0.25, 0.5])
    }

    @Test("statuses outside the retry list are returned at once")
    func notRetried() async throws {
        try await withServer(script: { _, _ in .status(404) }) { server in
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(), clock: ManualClock())
            let response = try await client.send(HTTPRequest(url: server.origin + "/missing"))
            #expect(response.status == 404)
            #expect(server.requests.count == 1)
        }
    }

    @Test("20 requests under 5 per second take at least ceil(20/5) - 1 = 3 windows (DESIGN 11)")
    func paced() async throws {
        try await withServer { server in
            let clock = ManualClock()
            let limiter = RateLimiter(limits: ["default": RateLimit(5, per: .seconds(1))], clock: clock)
            let client = RetryingHTTPClient(transport: HTTPClient(), policy: Self.policy(), limiter: limiter, clock: clock)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { _ = try await client.send(HTTPRequest(url: server.origin + "/u/\(index)")) }
                }
                try await group.waitForAll()
            }
            #expect(server.requests.count == 20)
            // Concurrent sleepers move the manual clock in an order the scheduler picks, so only the
            // lower bound is exact here; RateLimiterTests checks the tight schedule sequentially.
            #expect(clock.now() >= 3)
        }
    }
}

@Suite("RetryPolicy decisions")
struct RetryPolicyTests {
    static let policy = RetryPolicy(random: { 1 })
    static let url = "https://api.example.com/x"

    @Test("retryable statuses, for idempotent requests", arguments: [408, 423, 429, 477, 500, 502, 503, 504, 599])
    func retryableStatus(status: Int) {
        let decision = Self.policy.decide(.success(HTTPResponse(status: status)), isIdempotent: true, attempt: 1, waited: 0)
        #expect(decision == .retry(after: 0.5))
    }

    @Test("statuses that are answers, not retried", arguments: [200, 201, 207, 400, 401, 403, 404, 409, 422])
    func finalStatus(status: Int) {
        #expect(Self.policy.decide(.success(HTTPResponse(status: status)), isIdempotent: false, attempt: 1, waited: 0) == .stop)
    }

    /// `RetryingHTTPClient` reads an answer's requested wait only when `mayRetry` says the policy may
    /// retry it; that is sound only if `decide` stops at once for every other status.
    @Test("mayRetry is true for every status decide may retry, with and without a retry-advice header")
    func mayRetryCoversDecide() {
        var advised = Self.policy
        advised.shouldRetryHeader = "Stripe-Should-Retry"
        for policy in [Self.policy, advised] {
            for status in 100..<600 {
                var headers = HTTPHeaders()
                if policy.shouldRetryHeader != nil { headers["Stripe-Should-Retry"] = "true" }
                for idempotent in [true, false] {
                    let decision = policy.decide(
                        .success(HTTPResponse(status: status, headers: headers)), isIdempotent: idempotent, attempt: 1, waited: 0, requestedWait: 1)
                    if decision != .stop { #expect(policy.mayRetry(status: status), "status \(status)") }
                }
            }
        }
        #expect(Self.policy.mayRetry(status: 429))
        #expect(!Self.policy.mayRetry(status: 200))
        #expect(!Self.policy.mayRetry(status: 404))
        #expect(advised.mayRetry(status: 400))
    }

    @Test(
        "a create: retried only when the server cannot have acted on it",
        arguments: [
            (Result<HTTPResponse, HTTPError>.success(HTTPResponse(status: 429)), true),
            (.success(HTTPResponse(status: 503)), true),
            (.success(HTTPResponse(status: 408)), true),
            (.success(HTTPResponse(status: 500)), false),
            (.success(HTTPResponse(status: 504)), false),
            (.failure(.connectionRefused(url: url, detail: "")), true),
            (.failure(.dns(url: url, detail: "")), true),
            (.failure(.timeout(url: url, requestSent: false, detail: "")), true),
            (.failure(.timeout(url: url, requestSent: true, detail: "")), false),
            (.failure(.connectionReset(url: url, requestSent: true, detail: "")), false),
        ]
    )
    func createRule(outcome: Result<HTTPResponse, HTTPError>, retried: Bool) {
        let decision = Self.policy.decide(outcome, isIdempotent: false, attempt: 1, waited: 0)
        if retried {
            #expect(decision == .retry(after: 0.5))
        } else if case .outcomeUnknown = decision {
        } else {
            Issue.record("expected outcomeUnknown, got \(decision)")
        }
    }

    @Test("never retried: TLS, invalid header, host not allowed, invalid URL, cancelled")
    func neverRetried() {
        for error in [HTTPError.tls(url: Self.url, detail: ""), .invalidHeader(url: Self.url, name: "X"), .hostNotAllowed(host: "x", url: Self.url), .invalidURL(url: Self.url, detail: ""), .cancelled(url: Self.url)] {
            #expect(Self.policy.decide(.failure(error), isIdempotent: true, attempt: 1, waited: 0) == .stop)
        }
    }

    @Test("backoff doubles up to maxDelay; a header's wait wins over it")
    func backoff() {
        #expect((1...8).map { Self.policy.backoff(retry: $0) } == [0.5, 1, 2, 4, 8, 16, 30, 30])
        let decision = Self.policy.decide(.success(HTTPResponse(status: 429)), isIdempotent: true, attempt: 1, waited: 0, requestedWait: 12)
        #expect(decision == .retry(after: 12))
        #expect(Self.policy.decide(.success(HTTPResponse(status: 429)), isIdempotent: true, attempt: 5, waited: 0) == .stop)
        #expect(Self.policy.decide(.success(HTTPResponse(status: 429)), isIdempotent: true, attempt: 1, waited: 59.8) == .stop)
    }
}
