/// What an eventually consistent search sees of a store: each write becomes visible only `lag`
/// after it was made (the `search-lag` fault), while reads by id see it at once.
///
/// Stripe documents that its search "is not suitable for read-after-write flows"; Intercom's and
/// HubSpot's searches lag their stores the same way. With a zero lag every write is visible at once.
///
/// ```swift
/// var index = LaggedIndex<Customer>(lag: .seconds(2)) { ["email:" + $0.email] }
/// index.record(id: "cus_1", customer, at: .now)
/// index.visible(at: .now)            // [] for two seconds, then [customer]
/// index.ids(forKey: "email:a@x.org") // {"cus_1"} at once: candidates, checked through `visible`
/// ```
struct LaggedIndex<Value: Sendable>: Sendable {
    let lag: Duration
    /// The lookup keys of a value (`email:ada@example.org`): a search by one of them reads only the
    /// ids holding it instead of every id, which made a 100k-profile soak quadratic.
    private let keys: @Sendable (Value) -> [String]
    /// id -> what search sees now (nil: not yet indexed) and a newer version not yet visible.
    private var entries: [String: Entry] = [:]
    /// key -> the ids whose visible or pending version has it: every id a search by the key can
    /// see, now or once a pending write is promoted. Kept exact as writes are recorded and promoted.
    private var idsByKey: [String: Set<String>] = [:]

    private typealias Entry = (visible: Value?, pending: (value: Value, at: ContinuousClock.Instant)?)

    init(lag: Duration, keys: @escaping @Sendable (Value) -> [String] = { _ in [] }) {
        self.lag = lag
        self.keys = keys
    }

    /// Records a write of `id`; `immediately` makes it visible at once (users loaded by `/__mock/load`).
    mutating func record(id: String, _ value: Value, at now: ContinuousClock.Instant, immediately: Bool = false) {
        let old = entries[id]
        var entry = old ?? (nil, nil)
        if immediately || lag == .zero {
            entry = (value, nil)
        } else {
            entry.pending = (value, now + lag)
        }
        entries[id] = entry
        reindex(id, from: old, to: entry)
    }

    mutating func removeAll() {
        entries = [:]
        idsByKey = [:]
    }

    /// What search sees of `id` at `now`; promotes a pending write whose time has come.
    mutating func visible(id: String, at now: ContinuousClock.Instant) -> Value? {
        guard var entry = entries[id] else { return nil }
        if let pending = entry.pending, pending.at <= now {
            let old = entry
            entry = (pending.value, nil)
            entries[id] = entry
            reindex(id, from: old, to: entry)
        }
        return entry.visible
    }

    /// The ids a search by `key` may see (a superset: check each through ``visible(id:at:)``).
    func ids(forKey key: String) -> Set<String> { idsByKey[key] ?? [] }

    private mutating func reindex(_ id: String, from old: Entry?, to new: Entry) {
        let before = old.map(keySet) ?? []
        let after = keySet(new)
        for key in before.subtracting(after) {
            idsByKey[key]?.remove(id)
            if idsByKey[key]?.isEmpty == true { idsByKey[key] = nil }
        }
        for key in after.subtracting(before) { idsByKey[key, default: []].insert(id) }
    }

    private func keySet(_ entry: Entry) -> Set<String> {
        var set = Set(entry.visible.map(keys) ?? [])
        if let pending = entry.pending { set.formUnion(keys(pending.value)) }
        return set
    }
}
