/// What an eventually consistent search sees of a store: each write becomes visible only `lag`
/// after it was made (the `search-lag` fault), while reads by id see it at once.
///
/// Stripe documents that its search "is not suitable for read-after-write flows"; Intercom's and
/// HubSpot's searches lag their stores the same way. With a zero lag every write is visible at once.
///
/// ```swift
/// var index = LaggedIndex<Customer>(lag: .seconds(2))
/// index.record(id: "cus_1", customer, at: .now)
/// index.visible(at: .now)   // [] for two seconds, then [customer]
/// ```
struct LaggedIndex<Value: Sendable>: Sendable {
    let lag: Duration
    /// id -> what search sees now (nil: not yet indexed) and a newer version not yet visible.
    private var entries: [String: (visible: Value?, pending: (value: Value, at: ContinuousClock.Instant)?)] = [:]

    init(lag: Duration) { self.lag = lag }

    /// Records a write of `id`; `immediately` makes it visible at once (users loaded by `/__mock/load`).
    mutating func record(id: String, _ value: Value, at now: ContinuousClock.Instant, immediately: Bool = false) {
        if immediately || lag == .zero {
            entries[id] = (value, nil)
        } else {
            entries[id, default: (nil, nil)].pending = (value, now + lag)
        }
    }

    mutating func removeAll() { entries = [:] }

    /// What search sees of `id` at `now`; promotes a pending write whose time has come.
    mutating func visible(id: String, at now: ContinuousClock.Instant) -> Value? {
        guard var entry = entries[id] else { return nil }
        if let pending = entry.pending, pending.at <= now {
            entry = (pending.value, nil)
            entries[id] = entry
        }
        return entry.visible
    }
}
