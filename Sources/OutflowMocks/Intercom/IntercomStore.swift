import Foundation
import OutflowCore

/// The contacts of one mock Intercom workspace, in memory, with a search index that lags writes
/// (`search-lag`).
///
/// Users (role `user`) are unique by email and by external_id, as in Intercom; leads (role
/// `lead`) are not, so one email may belong to a user and several leads, and a lookup by email
/// can return them all.
///
/// Searches by id, email or external_id and the uniqueness checks read indexes rather than every
/// contact (a scan per write made a 100k-profile soak quadratic); `save` keeps them in step.
actor IntercomStore {
    private var contacts: [String: IntercomContact] = [:]
    private var order: [String] = []
    /// id -> its place in `order`: search results come in creation order.
    private var positions: [String: Int] = [:]
    /// Lower-case email, and external_id -> the user (role `user`) holding it; leads are not here.
    private var userByEmail: [String: String] = [:]
    private var userByExternalId: [String: String] = [:]
    private var nextNumber = 1
    private var index: LaggedIndex<IntercomContact>
    /// When a lagged write becomes searchable (`MockOptions.clock`).
    private let clock: MockClock
    private var initialUsers: [JSONValue] = []

    init(searchLag: Duration, clock: MockClock) {
        self.clock = clock
        index = LaggedIndex(lag: searchLag, keys: IntercomSearch.indexKeys)
    }

    // MARK: Users as `/__mock/` sees them

    func loadInitial(_ users: [JSONValue]) throws(MockLoadError) {
        try load(users)
        initialUsers = users
    }

    /// Adds contacts in the shape of GET one; all are checked before any is added. Loaded contacts
    /// are searchable at once.
    func load(_ users: [JSONValue]) throws(MockLoadError) {
        var parsed: [IntercomContact] = []
        var ids = Set(contacts.keys)
        // The users being loaded, by email and external_id, beside those already stored.
        var parsedUsers: [String: String] = [:]
        for (position, user) in users.enumerated() {
            guard let object = user.objectValue, let id = object["id"]?.stringValue, !id.isEmpty else {
                throw MockLoadError(#"users[\#(position)]: "id" must be a non-empty string such as "65a100000000000000000001""#)
            }
            guard ids.insert(id).inserted else { throw MockLoadError("users[\(position)]: id \(id) is used twice") }
            var contact = IntercomContact.new(id: id, now: Int(Date().timeIntervalSince1970))
            for (key, value) in object.members { contact.object[key] = value }
            contact.object["type"] = "contact"
            guard ["user", "lead"].contains(contact.role) else { throw MockLoadError("users[\(position)]: role must be user or lead") }
            if contact.isUser {
                let keys = [contact.email.map { "email:" + $0 }, contact.externalId.map { "external_id:" + $0 }].compactMap { $0 }
                if let holder = userHolding(contact) ?? keys.lazy.compactMap({ parsedUsers[$0] }).first {
                    throw MockLoadError("users[\(position)]: email or external_id is already held by user \(holder) (users are unique by both)")
                }
                for key in keys { parsedUsers[key] = contact.id }
            }
            parsed.append(contact)
        }
        let now = clock.now()
        for contact in parsed {
            save(contact)
            index.record(id: contact.id, contact, at: now, immediately: true)
        }
    }

    func reset() {
        contacts = [:]
        order = []
        positions = [:]
        userByEmail = [:]
        userByExternalId = [:]
        nextNumber = 1
        index.removeAll()
        try? load(initialUsers)
    }

    func allUsers() -> [JSONValue] { order.compactMap { contacts[$0]?.json } }

    /// Stores a new or changed contact, and moves its email and external_id in the user indexes.
    private func save(_ contact: IntercomContact) {
        if let old = contacts[contact.id] {
            if old.isUser {
                if let email = old.email, userByEmail[email] == old.id { userByEmail[email] = nil }
                if let external = old.externalId, userByExternalId[external] == old.id { userByExternalId[external] = nil }
            }
        } else {
            positions[contact.id] = order.count
            order.append(contact.id)
        }
        contacts[contact.id] = contact
        if contact.isUser {
            if let email = contact.email { userByEmail[email] = contact.id }
            if let external = contact.externalId { userByExternalId[external] = contact.id }
        }
    }

    /// The id of another stored user with `contact`'s email or external_id, when `contact` is a user.
    private func userHolding(_ contact: IntercomContact) -> String? {
        guard contact.isUser else { return nil }
        let holders = [contact.email.flatMap { userByEmail[$0] }, contact.externalId.flatMap { userByExternalId[$0] }]
        return holders.lazy.compactMap { $0 }.first { $0 != contact.id }
    }

    // MARK: The API

    func contact(_ id: String) throws(IntercomError) -> IntercomContact {
        guard let contact = contacts[id] else { throw .notFound }
        return contact
    }

    /// What search sees now, in creation order.
    func search(_ search: IntercomSearch) -> [IntercomContact] {
        let now = clock.now()
        guard let keys = search.candidateKeys else { return order.compactMap { index.visible(id: $0, at: now) }.filter(search.matches) }
        var candidates = Set<String>()
        for key in keys { candidates.formUnion(index.ids(forKey: key)) }
        return candidates.sorted { positions[$0, default: .max] < positions[$1, default: .max] }
            .compactMap { index.visible(id: $0, at: now) }.filter(search.matches)
    }

    func create(_ body: JSONObject) throws(IntercomError) -> IntercomContact {
        let now = Int(Date().timeIntervalSince1970)
        var number = nextNumber
        while contacts[IntercomContact.makeId(number)] != nil { number += 1 }
        var contact = IntercomContact.new(id: IntercomContact.makeId(number), now: now)
        try Self.apply(body, to: &contact)
        guard contact.email != nil || contact.externalId != nil || contact.role == "lead" else {
            throw .missing("role or email or external_id is required to create a contact")
        }
        if contact.isUser, contact.object["signed_up_at"] == .null { contact.object["signed_up_at"] = .number(String(now)) }
        if let holder = userHolding(contact) { throw .conflict(existingId: holder) }
        nextNumber = number + 1
        save(contact)
        index.record(id: contact.id, contact, at: clock.now())
        return contact
    }

    /// `PUT /contacts/{id}`: the fields given are set (null clears), the others are left;
    /// `custom_attributes` merge key by key.
    func update(_ id: String, _ body: JSONObject) throws(IntercomError) -> IntercomContact {
        var contact = try contact(id)
        try Self.apply(body, to: &contact)
        if let holder = userHolding(contact) { throw .conflict(existingId: holder) }
        contact.object["updated_at"] = .number(String(Int(Date().timeIntervalSince1970)))
        save(contact)
        index.record(id: id, contact, at: clock.now())
        return contact
    }

    private static func apply(_ body: JSONObject, to contact: inout IntercomContact) throws(IntercomError) {
        for (key, value) in body.members {
            guard IntercomContact.writable.contains(key) else { throw .invalid("\(key) is not a valid attribute for a contact") }
            switch (key, value) {
            case ("role", .string(let role)):
                guard role == "user" || role == "lead" else { throw .invalid("role must be one of user, lead") }
                contact.object["role"] = value
            case ("role", _):
                throw .invalid("role must be one of user, lead")
            case ("email", .string(let email)) where !email.isEmpty:
                guard HubSpotStore.isValidEmail(email) else { throw .invalid("email \(email) is invalid") }
                contact.object["email"] = value
            case ("custom_attributes", .object(let changes)):
                var merged = contact.object["custom_attributes"]?.objectValue ?? JSONObject()
                for (name, change) in changes.members {
                    guard change.objectValue == nil, change.arrayValue == nil else {
                        throw .invalid("custom attribute \(name) must be a string, number, boolean or null")
                    }
                    merged[name] = change
                }
                contact.object["custom_attributes"] = .object(merged)
            case ("custom_attributes", _):
                throw .invalid("custom_attributes must be an object")
            case ("signed_up_at", _), ("last_seen_at", _):
                guard value == .null || value.intValue != nil else { throw .invalid("\(key) must be a Unix timestamp") }
                contact.object[key] = value
            case ("unsubscribed_from_emails", _):
                guard case .bool = value else { throw .invalid("unsubscribed_from_emails must be a boolean") }
                contact.object[key] = value
            default:
                contact.object[key] = value == "" ? .null : value
            }
        }
    }
}
