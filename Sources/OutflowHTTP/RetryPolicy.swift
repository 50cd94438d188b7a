/// When to send a request again and how long to wait first (DESIGN 9b `retry`).
///
/// ```swift
/// var policy = RetryPolicy()          // 5 attempts, at most 60 s of waiting in all
/// policy.maxAttempts = 3
/// policy.random = { 0.5 }             // deterministic jitter in tests
/// ```
///
/// Retried: the statuses in `retryableStatuses` (408, 423, 429, 477 and every 5xx), connection
/// failures and timeouts. Waits: a wait the response asks for (`Retry-After`, rate-limit reset headers)
/// wins; otherwise exponential backoff with full jitter, a uniform draw in [0, min(maxDelay, baseDelay x
/// 2^(retry-1))], which spreads the retries of many clients instead of synchronising them. The budget
/// is both a number of attempts and a total time spent waiting; a wait that would overrun it ends the
/// retries at once rather than sleeping for nothing.
///
/// A request that is not idempotent (a create) is sent again only when the server cannot have acted on
/// it: the connection failed before sending (refused, DNS, connect timeout), or the answer says it was
/// not processed (`notProcessedStatuses`: 408, 423, 429, 503). Otherwise (a timeout or reset after
/// sending, a 500, 502 or 504) the result is `HTTPError.outcomeUnknown` so the engine looks first.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var maxTotalWait: Duration
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var retryableStatuses: Set<Int>
    /// Statuses after which even a create may be repeated: the server refused the request unprocessed.
    public var notProcessedStatuses: Set<Int>
    /// A response header by which the API says whether a retry may help (Stripe's
    /// `Stripe-Should-Retry`): `false` stops the retries whatever the status, `true` retries a
    /// status that is not in `retryableStatuses`. Nil: no such header.
    public var shouldRetryHeader: String?
    /// A uniform draw in [0, 1) for the jitter; replace it to make waits predictable in tests.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 5,
        maxTotalWait: Duration = .seconds(60),
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        retryableStatuses: Set<Int> = Set([408, 423, 429, 477]).union(500...599),
        notProcessedStatuses: Set<Int> = [408, 423, 429, 503],
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = maxAttempts
        self.maxTotalWait = maxTotalWait
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.retryableStatuses = retryableStatuses
        self.notProcessedStatuses = notProcessedStatuses
        self.random = random
    }

    /// One attempt only.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// What to do after an attempt.
    public enum Decision: Sendable, Equatable {
        /// Send again after this many seconds.
        case retry(after: Double)
        /// Hand the outcome to the caller as it is.
        case stop
        /// Do not repeat: the request may have taken effect (only for requests that are not idempotent).
        case outcomeUnknown(reason: String)
    }

    /// The decision after attempt number `attempt` (1-based) ended in `outcome`, having waited
    /// `waited` seconds so far; `requestedWait` is what the response's headers asked for, if anything.
    public func decide(
        _ outcome: Result<HTTPResponse, HTTPError>,
        isIdempotent: Bool,
        attempt: Int,
        waited: Double,
        requestedWait: Double? = nil
    ) -> Decision {
        switch outcome {
        case .success(let response):
            var retryable = retryableStatuses.contains(response.status)
            if let name = shouldRetryHeader, let advice = response.headers[name]?.lowercased() {
                if advice == "false" { return .stop }
                if advice == "true", response.status >= 400, response.status != 401, response.status != 403 { retryable = true }
            }
            guard retryable else { return .stop }
            if !isIdempotent, !notProcessedStatuses.contains(response.status) {
                return .outcomeUnknown(reason: "HTTP \(response.status)")
            }
        case .failure(let error):
            switch error {
            case .dns, .connectionRefused, .connectionReset, .timeout:
                if !isIdempotent, error.mayHaveReachedServer { return .outcomeUnknown(reason: error.description) }
            case .invalidURL, .invalidHeader, .hostNotAllowed, .tls, .cancelled, .outcomeUnknown, .transport:
                return .stop
            }
        }
        guard attempt < maxAttempts else { return .stop }
        let wait = requestedWait ?? backoff(retry: attempt)
        guard waited + wait <= maxTotalWait.seconds else { return .stop }
        return .retry(after: wait)
    }

    /// The jittered backoff before retry number `retry` (1 for the first retry).
    /// Whether `decide` may retry an answer with `status`: a retryable status, or any when a header
    /// may advise a retry (`shouldRetryHeader`).
    public func mayRetry(status: Int) -> Bool {
        shouldRetryHeader != nil || retryableStatuses.contains(status)
    }

    public func backoff(retry: Int) -> Double {
        let ceiling = min(maxDelay.seconds, baseDelay.seconds * Double(1 << min(max(retry - 1, 0), 30)))
        return ceiling * min(max(random(), 0), 1)
    }
}
