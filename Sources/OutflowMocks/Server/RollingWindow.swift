/// At most `limit` grants in any rolling window of length `window` (DESIGN 11's rule, which the
/// client's `RateLimiter` also follows), so a client that paces correctly is never refused.
///
/// Keeps the times of the last `limit` grants: a request is granted when the oldest of them is at
/// least `window` old. Refused requests are not recorded, so a client hammering through 429s does
/// not push its own window forward.
struct RollingWindow: Sendable {
    /// The name the API gives this limit in its 429 (HubSpot's `policyName`).
    let policy: String
    let limit: Int
    let window: Duration
    private var grants: [ContinuousClock.Instant] = []
    private var head = 0

    init(policy: String, limit: Int, window: Duration) {
        self.policy = policy
        self.limit = limit
        self.window = window
        grants.reserveCapacity(min(limit, 4096))
    }

    /// Requests still allowed now.
    func remaining(at now: ContinuousClock.Instant) -> Int {
        var inWindow = 0
        for time in grants where now - time < window { inWindow += 1 }
        return max(0, limit - inWindow)
    }

    /// How long until the oldest grant still in the window leaves it (zero when none is in it).
    func resetIn(at now: ContinuousClock.Instant) -> Duration {
        var oldest: ContinuousClock.Instant?
        for time in grants where now - time < window {
            if oldest.map({ time < $0 }) ?? true { oldest = time }
        }
        guard let oldest else { return .zero }
        return window - (now - oldest)
    }

    /// How long until one more request would be granted (zero when it would be now).
    func wait(at now: ContinuousClock.Instant) -> Duration {
        guard grants.count == limit else { return .zero }
        let oldest = grants[head]
        let elapsed = now - oldest
        return elapsed >= window ? .zero : window - elapsed
    }

    /// Records a grant at `now`; call only after `wait(at:)` returned zero.
    mutating func record(at now: ContinuousClock.Instant) {
        if grants.count < limit {
            grants.append(now)
        } else {
            grants[head] = now
            head = (head + 1) % limit
        }
    }
}
