import Foundation
import OutflowCore

/// The customers of one mock Stripe account, in memory, with the account's idempotency keys and
/// the search index that lags writes (`search-lag`).
///
/// Stripe does not keep emails unique: several customers may share one, and a lookup by email can
/// return them all. An idempotency key is remembered with the parameters it was first used with
/// and the answer it got, so a retry after a lost answer replays it instead of creating again.
///
/// The list by email and searches by email, name or phone read indexes rather than every customer
/// (a scan per lookup made a 100k-profile soak quadratic); `save` keeps them in step.
actor StripeStore {
    private var customers: [String: StripeCustomer] = [:]
    private var order: [String] = []
    /// id -> its place in `order`: lists and searches come newest first.
    private var positions: [String: Int] = [:]
    /// Email exactly as stored -> the customers with it (`GET /v1/customers?email=` compares exactly).
    private var idsByEmail: [String: Set<String>] = [:]
    private var nextNumber = 9_500_000
    private var index: LaggedIndex<StripeCustomer>
    /// When a lagged write becomes searchable (`MockOptions.clock`).
    private let clock: MockClock
    private var idempotency: [String: (fingerprint: String, status: Int, body: JSONValue)] = [:]
    private var initialUsers: [JSONValue] = []

    init(searchLag: Duration, clock: MockClock) {
        self.clock = clock
        index = LaggedIndex(lag: searchLag, keys: StripeSearchQuery.indexKeys)
    }

    // MARK: Users as `/__mock/` sees them

    func loadInitial(_ users: [JSONValue]) throws(MockLoadError) {
        try load(users)
        initialUsers = users
    }

    /// Adds customers in the shape of GET one; all are checked before any is added. Loaded
    /// customers are searchable at once.
    func load(_ users: [JSONValue]) throws(MockLoadError) {
        var parsed: [StripeCustomer] = []
        var ids = Set(customers.keys)
        for (position, user) in users.enumerated() {
            guard let object = user.objectValue, let id = object["id"]?.stringValue, id.hasPrefix("cus_") else {
                throw MockLoadError(#"users[\#(position)]: "id" must be a customer id such as "cus_NffrFeUfNV2Hib""#)
            }
            guard ids.insert(id).inserted else { throw MockLoadError("users[\(position)]: id \(id) is used twice") }
            var customer = StripeCustomer.new(id: id, created: Int(Date().timeIntervalSince1970), invoicePrefix: "MOCK\(position)")
            for (key, value) in object.members { customer.object[key] = value }
            customer.object["object"] = "customer"
            parsed.append(customer)
        }
        let now = clock.now()
        for customer in parsed {
            save(customer)
            index.record(id: customer.id, customer, at: now, immediately: true)
        }
    }

    func reset() {
        customers = [:]
        order = []
        positions = [:]
        idsByEmail = [:]
        nextNumber = 9_500_000
        index.removeAll()
        idempotency = [:]
        try? load(initialUsers)
    }

    func allUsers() -> [JSONValue] { order.compactMap { customers[$0]?.json } }

    /// Stores a new or changed customer, and moves its email in `idsByEmail`.
    private func save(_ customer: StripeCustomer) {
        if let old = customers[customer.id] {
            if let email = old.email {
                idsByEmail[email]?.remove(old.id)
                if idsByEmail[email]?.isEmpty == true { idsByEmail[email] = nil }
            }
        } else {
            positions[customer.id] = order.count
            order.append(customer.id)
        }
        customers[customer.id] = customer
        if let email = customer.email { idsByEmail[email, default: []].insert(customer.id) }
    }

    /// `ids` newest first.
    private func newestFirst(_ ids: Set<String>) -> [String] {
        ids.sorted { positions[$0, default: -1] > positions[$1, default: -1] }
    }

    // MARK: The API

    /// What a write answered, and whether it is the replay of an earlier answer to the same key.
    struct Outcome: Sendable {
        let status: Int
        let body: JSONValue
        let replayed: Bool
    }

    func customer(_ id: String) throws(StripeError) -> StripeCustomer {
        guard let customer = customers[id] else { throw .missing(id) }
        return customer
    }

    /// `GET /v1/customers?email=`: the store itself, so no lag; newest first, as Stripe lists.
    func list(email: String?) -> [StripeCustomer] {
        guard let email else { return order.reversed().compactMap { customers[$0] } }
        return newestFirst(idsByEmail[email] ?? []).compactMap { customers[$0] }
    }

    /// `GET /v1/customers/search`: what the index sees now, newest first.
    func search(_ query: StripeSearchQuery) -> [StripeCustomer] {
        let now = clock.now()
        guard let keys = query.candidateKeys else { return order.reversed().compactMap { index.visible(id: $0, at: now) }.filter(query.matches) }
        var candidates = Set<String>()
        for key in keys { candidates.formUnion(index.ids(forKey: key)) }
        return newestFirst(candidates).compactMap { index.visible(id: $0, at: now) }.filter(query.matches)
    }

    func create(_ params: JSONObject, key: String?, fingerprint: String) throws(StripeError) -> Outcome {
        try idempotent(key: key, fingerprint: fingerprint) { () throws(StripeError) in
            var number = nextNumber
            while customers[StripeCustomer.makeId(number)] != nil { number += 1 }
            nextNumber = number + 1
            var customer = StripeCustomer.new(
                id: StripeCustomer.makeId(number), created: Int(Date().timeIntervalSince1970), invoicePrefix: String(format: "%08X", number))
            try StripeCustomerParams.apply(params, to: &customer)
            save(customer)
            index.record(id: customer.id, customer, at: clock.now())
            return customer.json
        }
    }

    func update(_ id: String, _ params: JSONObject, key: String?, fingerprint: String) throws(StripeError) -> Outcome {
        try idempotent(key: key, fingerprint: fingerprint) { () throws(StripeError) in
            var customer = try customer(id)
            try StripeCustomerParams.apply(params, to: &customer)
            save(customer)
            index.record(id: id, customer, at: clock.now())
            return customer.json
        }
    }

    /// Runs `work` unless `key` was used before: then replays the stored answer when the
    /// parameters are the same, or refuses them when they differ. Results of requests that
    /// failed validation are not stored, as Stripe documents, so a corrected retry may reuse the key.
    private func idempotent(key: String?, fingerprint: String, _ work: () throws(StripeError) -> JSONValue) throws(StripeError) -> Outcome {
        guard let key else { return Outcome(status: 200, body: try work(), replayed: false) }
        if let stored = idempotency[key] {
            guard stored.fingerprint == fingerprint else { throw .idempotencyMismatch(key) }
            return Outcome(status: stored.status, body: stored.body, replayed: true)
        }
        do throws(StripeError) {
            let body = try work()
            idempotency[key] = (fingerprint, 200, body)
            return Outcome(status: 200, body: body, replayed: false)
        } catch {
            if error.code == "resource_missing" { idempotency[key] = (fingerprint, Int(error.status.code), error.body) }
            throw error
        }
    }
}
