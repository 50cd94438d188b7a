/// A request budget: at most `requests` in any rolling `window` (DESIGN 11: "190 per 10 s").
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public var requests: Int
    public var window: Duration

    public init(_ requests: Int, per window: Duration) {
        precondition(requests > 0, "a rate limit allows at least one request")
        self.requests = requests
        self.window = window
    }

    public var description: String { "\(requests) per \(window)" }
}

/// Paces the requests of one connection: a rolling-window limit per endpoint group, a cap on requests
/// in flight, and pauses the API asks for in its headers.
///
/// ```swift
/// let limiter = RateLimiter(limits: ["default": RateLimit(190, per: .seconds(10)),
///                                    "search": RateLimit(5, per: .seconds(1))], maxConcurrent: 10)
/// let permit = try await limiter.acquire(group: "search")
/// defer { Task { await limiter.release(permit) } }
/// ```
///
/// The window rule is exact, not a token-bucket approximation: the limiter remembers the grant times of
/// the last N requests of a group and never grants the next one before the oldest of them plus the
/// window plus a small margin (``margin(for:)``), so no window of that length, wherever it starts,
/// holds more than N grants. The margin is there because the application counts arrivals, not
/// grants: a request granted on the window's edge that overtakes the one it replaces by a
/// millisecond (the oldest queued a little longer on the way) meets a 429, whose `Retry-After`
/// then costs far more than the margin ever does (measured: 10 such 429s made a 100k HubSpot sync
/// take 1.23x its minimum). The grant time is
/// reserved when `acquire` is called (in call order, so waiting is fair) and the caller sleeps until it.
/// Limits belong to a connection and are shared by its pipelines: share one limiter per connection.
/// An actor, because the state is shared by every task sending through the connection and all access
/// is from async code.
public actor RateLimiter {
    /// Proof of a granted request; give it back with `release` when the response has arrived.
    public struct Permit: Sendable {
        public let group: String
        /// When the request was allowed to go, on the clock's `now()` timeline.
        public let grantedAt: Double
    }

    private struct Group {
        var windows: [Window]
        var pausedUntil = -Double.infinity
        var lastGrant = -Double.infinity
    }

    /// One rolling window of a group (a group may have several: Klaviyo's burst and steady limits).
    private struct Window {
        var limit: RateLimit
        /// The last `limit.requests` grant times, oldest at `oldest` once full.
        var grants: [Double] = []
        var oldest = 0
    }

    private let limits: [String: RateLimit]
    private let defaultLimit: RateLimit?
    private let extraWindows: [String: [RateLimit]]
    private let maxConcurrent: Int?
    private let clock: any HTTPClock
    private let useMargin: Bool
    private var groups: [String: Group] = [:]
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var firstWaiter = 0

    /// - Parameters:
    ///   - limits: the limit of each endpoint group by name.
    ///   - defaultLimit: the limit of groups not named in `limits`; nil leaves them unlimited.
    ///   - extraWindows: more windows of a group, all of which must allow each request (Klaviyo's
    ///     75 per second burst beside its 700 per minute); `default` adds to groups not named in `limits`.
    ///   - maxConcurrent: requests in flight at once over all groups (Mailchimp: 10); nil for no cap.
    ///   - margin: keep ``margin(for:)`` between a window's oldest grant and the next (tests of the
    ///     exact arithmetic turn it off).
    public init(
        limits: [String: RateLimit] = [:],
        defaultLimit: RateLimit? = nil,
        extraWindows: [String: [RateLimit]] = [:],
        maxConcurrent: Int? = nil,
        clock: any HTTPClock = SystemClock(),
        margin: Bool = true
    ) {
        self.useMargin = margin
        self.limits = limits
        self.defaultLimit = defaultLimit
        self.extraWindows = extraWindows
        self.maxConcurrent = maxConcurrent.map { max(1, $0) }
        self.clock = clock
    }

    /// Waits for a free slot under the concurrency cap, then until the group's window and any pause allow
    /// a request. Throws `CancellationError` if the task is cancelled while waiting.
    public func acquire(group name: String) async throws -> Permit {
        if let maxConcurrent {
            if inFlight < maxConcurrent {
                inFlight += 1
            } else {
                // `release` hands its slot straight to the first waiter, so inFlight is not incremented here.
                await withCheckedContinuation { waiters.append($0) }
            }
        }
        // The slot is taken before the window is reserved: a grant time reserved first could be spent
        // waiting for a slot, and delayed requests would then bunch up beyond the window's limit.
        let grantedAt = reserve(name)
        do {
            try await clock.sleep(until: grantedAt)
        } catch {
            releaseSlot()
            throw error
        }
        return Permit(group: name, grantedAt: grantedAt)
    }

    /// Returns the permit's concurrency slot.
    public func release(_ permit: Permit) {
        releaseSlot()
    }

    /// Applies the pacing a response asks for (`Retry-After`, `X-HubSpot-RateLimit-*`, reset headers)
    /// to its group: no request of the group is granted before the wait has passed.
    ///
    /// A success that only says the window is used up (`X-HubSpot-RateLimit-Remaining: 0`) pauses the
    /// group until its own oldest grant leaves the declared window, when that comes sooner than the
    /// whole interval the header names: the rolling window frees then, and waiting the full interval
    /// from the last request made a rate-limited sync take 1.5x its minimum. A 429 or a `Retry-After`
    /// is always obeyed in full.
    public func observe(status: Int, headers: HTTPHeaders, group name: String) {
        guard let wait = RateLimitSignals.wait(status: status, headers: headers, unixTime: clock.unixTime()), wait > 0 else { return }
        var seconds = wait
        if status != 429, headers["Retry-After"] == nil, let frees = ownWindowFrees(name) { seconds = min(wait, frees) }
        pause(group: name, for: seconds)
    }

    /// Seconds until the oldest grant of the group's declared windows leaves its window, or nil when
    /// the group has no grant on record.
    private func ownWindowFrees(_ name: String) -> Double? {
        guard let group = groups[name] else { return nil }
        var latest: Double?
        for window in group.windows where !window.grants.isEmpty {
            let oldest = window.grants.count < window.limit.requests ? window.grants[0] : window.grants[window.oldest]
            let frees = oldest + span(window.limit) - clock.now()
            latest = max(latest ?? frees, frees)
        }
        return latest.map { max(0, $0) }
    }

    /// Grants no request of the group for `seconds` from now.
    public func pause(group name: String, for seconds: Double) {
        var group = groups[name] ?? newGroup(name)
        group.pausedUntil = max(group.pausedUntil, clock.now() + seconds)
        groups[name] = group
    }

    private func reserve(_ name: String) -> Double {
        var group = groups[name] ?? newGroup(name)
        var grant = max(clock.now(), group.pausedUntil, group.lastGrant)
        // The grant is the first time every window allows; it is then recorded in each of them.
        for window in group.windows where window.grants.count == window.limit.requests {
            grant = max(grant, window.grants[window.oldest] + span(window.limit))
        }
        for index in group.windows.indices {
            let requests = group.windows[index].limit.requests
            if group.windows[index].grants.count < requests {
                group.windows[index].grants.append(grant)
            } else {
                group.windows[index].grants[group.windows[index].oldest] = grant
                group.windows[index].oldest = (group.windows[index].oldest + 1) % requests
            }
        }
        group.lastGrant = grant
        groups[name] = group
        return grant
    }

    /// The safety margin added to a window: 1% of it, at least 20 ms and at most 250 ms (100 ms
    /// for HubSpot's 10 s window: 0.5 s over a 1,000-request sync, against 1 s or more per 429).
    public static func margin(for window: Duration) -> Double {
        min(0.25, max(0.02, window.seconds * 0.01))
    }

    /// How long after a grant the window lets its slot be used again.
    private func span(_ limit: RateLimit) -> Double {
        limit.window.seconds + (useMargin ? Self.margin(for: limit.window) : 0)
    }

    private func newGroup(_ name: String) -> Group {
        let named = limits[name] != nil
        let main = limits[name] ?? defaultLimit
        let extra = extraWindows[named || extraWindows[name] != nil ? name : "default"] ?? []
        return Group(windows: (main.map { [$0] } ?? []).map { Window(limit: $0) } + extra.map { Window(limit: $0) })
    }

    private func releaseSlot() {
        guard maxConcurrent != nil else { return }
        if firstWaiter < waiters.count {
            let next = waiters[firstWaiter]
            firstWaiter += 1
            if firstWaiter == waiters.count {
                waiters.removeAll(keepingCapacity: true)
                firstWaiter = 0
            }
            next.resume()
        } else {
            inFlight -= 1
        }
    }
}
