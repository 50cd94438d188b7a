/// Sends requests through a rate limiter with retries: what connectors use to talk to an application.
///
/// ```swift
/// let client = HTTPClient()
/// let limiter = RateLimiter(limits: ["default": RateLimit(190, per: .seconds(10))])
/// let api = RetryingHTTPClient(transport: client, limiter: limiter)
/// let response = try await api.send(request, group: "default")
/// ```
///
/// Every attempt takes a permit from the limiter (so retries count against the limit too), and every
/// response is shown to the limiter so a 429's `Retry-After` pauses the whole group, not only the
/// request that met it. When the retries run out on a status, the last response is returned (its
/// `attempts` tells how many were made); on a transport failure the last error is thrown. A create that
/// may have taken effect ends in `HTTPError.outcomeUnknown` (see `RetryPolicy`).
public struct RetryingHTTPClient: HTTPTransport {
    public let transport: any HTTPTransport
    public let policy: RetryPolicy
    public let limiter: RateLimiter?
    public let clock: any HTTPClock

    public init(
        transport: any HTTPTransport,
        policy: RetryPolicy = RetryPolicy(),
        limiter: RateLimiter? = nil,
        clock: any HTTPClock = SystemClock()
    ) {
        self.transport = transport
        self.policy = policy
        self.limiter = limiter
        self.clock = clock
    }

    /// The wrapped transport's: the retries' waits and the limiter cost no thread switch there either.
    public var preferredTaskExecutor: (any TaskExecutor)? { transport.preferredTaskExecutor }

    /// Sends `request` in the default endpoint group.
    nonisolated(nonsending) public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        try await send(request, group: "default")
    }

    nonisolated(nonsending) public func send(_ request: HTTPRequest, group: String) async throws(HTTPError) -> HTTPResponse {
        var waited = 0.0
        var attempt = 0
        while true {
            attempt += 1
            let outcome = await attemptOnce(request, group: group)
            // Most answers are final (2xx, 4xx): returned without consulting the policy any further.
            if case .success(var response) = outcome, !policy.mayRetry(status: response.status) {
                response.attempts = attempt
                return response
            }
            var requestedWait: Double?
            // The wait an answer asks for only sets the delay of a retry, so it is read only from an answer
            // the policy may retry (the limiter reads every answer's on its own, in `attemptOnce`).
            if case .success(let response) = outcome, policy.mayRetry(status: response.status) {
                requestedWait = RateLimitSignals.wait(status: response.status, headers: response.headers, unixTime: clock.unixTime())
            }
            switch policy.decide(outcome, isIdempotent: request.isIdempotent, attempt: attempt, waited: waited, requestedWait: requestedWait) {
            case .stop:
                switch outcome {
                case .success(var response):
                    response.attempts = attempt
                    return response
                case .failure(let error):
                    throw error
                }
            case .outcomeUnknown(let reason):
                throw .outcomeUnknown(url: Redaction.url(request.url), reason: reason)
            case .retry(let wait):
                waited += wait
                do {
                    try await clock.sleep(until: clock.now() + wait)
                } catch {
                    throw .cancelled(url: Redaction.url(request.url))
                }
            }
        }
    }

    // `nonisolated(nonsending)` here and on `sendOnce`: they run where `send` runs, so entering them and
    // coming back from their awaits needs no executor check (the runtime reads the task's executor
    // preference under a lock for each), a cost that showed in the client's profile (issue 5).
    nonisolated(nonsending) private func attemptOnce(_ request: HTTPRequest, group: String) async -> Result<HTTPResponse, HTTPError> {
        guard let limiter else { return await sendOnce(request) }
        let permit: RateLimiter.Permit
        do {
            permit = try await limiter.acquire(group: group)
        } catch {
            return .failure(.cancelled(url: Redaction.url(request.url)))
        }
        let outcome = await sendOnce(request)
        if case .success(let response) = outcome {
            await limiter.observe(status: response.status, headers: response.headers, group: group)
        }
        await limiter.release(permit)
        return outcome
    }

    /// One send through the transport, its error as a value. A method rather than a closure, which
    /// would capture a copy of the request (four reference counts per request).
    nonisolated(nonsending) private func sendOnce(_ request: HTTPRequest) async -> Result<HTTPResponse, HTTPError> {
        do {
            return .success(try await transport.send(request))
        } catch {
            return .failure(error)
        }
    }
}
