import Hummingbird
import OutflowCore

/// The mutable state every mock shares, behind one actor: rate-limit windows, the seeded fault
/// generator and the request statistics of `GET /__mock/stats`.
actor MockRuntime {
    private let rules: [RateLimitRule]
    private var windows: [RollingWindow]
    private let faults: FaultSpec
    private let clock: MockClock
    private let seed: UInt64
    private var generator: SeededGenerator
    /// route -> status (or "dropped") -> count, in first-seen order for a stable listing.
    private var counts: [String: [String: Int]] = [:]
    private var routeOrder: [String] = []

    enum Admission {
        case granted(RateLimitStatus?)
        case refused(RateLimitRule, retryAfter: Duration, RateLimitStatus?)
    }

    init(rules: [RateLimitRule], faults: FaultSpec, seed: UInt64, clock: MockClock) {
        self.rules = rules
        self.clock = clock
        self.windows = rules.map { RollingWindow(policy: $0.policy, limit: $0.limit, window: $0.window) }
        self.faults = faults
        self.seed = seed
        self.generator = SeededGenerator(seed: seed)
    }

    /// Grants the request in every window that applies, or refuses it without recording anything.
    /// The status reported is the first (main) rule's.
    func admit(method: HTTPRequest.Method, path: String) -> Admission {
        let now = clock.now()
        let applicable = rules.indices.filter { rules[$0].matches(method, path) }
        for index in applicable {
            let wait = windows[index].wait(at: now)
            if wait > .zero { return .refused(rules[index], retryAfter: wait, status(at: now)) }
        }
        for index in applicable { windows[index].record(at: now) }
        return .granted(status(at: now))
    }

    private func status(at now: ContinuousClock.Instant) -> RateLimitStatus? {
        guard let main = windows.first else { return nil }
        return RateLimitStatus(limit: main.limit, remaining: main.remaining(at: now), window: main.window, resetIn: main.resetIn(at: now))
    }

    /// The main rule, for injected 429s.
    var mainRule: RateLimitRule? { rules.first }

    /// One draw per API request decides its fault, so a seeded run is reproducible.
    func drawFault() -> FaultSpec.Fault? {
        guard !faults.probabilities.isEmpty else { return nil }
        return faults.fault(forDraw: generator.nextUnit())
    }

    func record(route: String, outcome: String) {
        if counts[route] == nil {
            counts[route] = [:]
            routeOrder.append(route)
        }
        counts[route]![outcome, default: 0] += 1
    }

    /// `{"total": N, "routes": {"POST /crm/v3/...": {"201": 3, "dropped": 1}}}`
    func statsJSON() -> JSONValue {
        var routes = JSONObject()
        var total = 0
        for route in routeOrder {
            var byStatus = JSONObject()
            for (outcome, count) in counts[route]!.sorted(by: { $0.key < $1.key }) {
                byStatus[outcome] = .number(String(count))
                total += count
            }
            routes[route] = .object(byStatus)
        }
        return ["total": .number(String(total)), "routes": .object(routes)]
    }

    /// Clears statistics and windows and restarts the fault sequence from the seed.
    func reset() {
        windows = rules.map { RollingWindow(policy: $0.policy, limit: $0.limit, window: $0.window) }
        generator = SeededGenerator(seed: seed)
        counts = [:]
        routeOrder = []
    }
}
