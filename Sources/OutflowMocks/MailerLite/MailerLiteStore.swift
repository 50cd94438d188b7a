import Foundation
import OutflowCore

/// The subscribers of one mock MailerLite account, in memory, with the account's fields.
///
/// Emails are unique without regard to case and stored lower-case. Fields are the defaults
/// (`name`, `last_name`, `company`, `country`, `city`, `phone`, `state`, `z_i_p`) plus any met in
/// loaded users; a write naming another field leaves it out, as MailerLite ignores unknown fields.
actor MailerLiteStore {
    static let defaultFields: [(key: String, name: String)] = [
        ("name", "Name"), ("last_name", "Last name"), ("company", "Company"), ("country", "Country"), ("city", "City"),
        ("phone", "Phone"), ("state", "State"), ("z_i_p", "ZIP"),
    ]

    private var subscribers: [String: MailerLiteSubscriber] = [:]
    private var order: [String] = []
    /// Lower-case email -> id: an upsert finds its subscriber in constant time (a scan of `order` made
    /// a 100k-profile soak quadratic). Emails never change (`update` refuses it), so inserts keep it right.
    private var idsByEmail: [String: String] = [:]
    private var nextNumber = 99_000_000_000_000_001
    private var extraFields: [String] = []
    private var initialUsers: [JSONValue] = []

    var fieldKeys: [String] { Self.defaultFields.map(\.key) + extraFields }

    // MARK: Users as `/__mock/` sees them

    func loadInitial(_ users: [JSONValue]) throws(MockLoadError) {
        try load(users)
        initialUsers = users
    }

    /// Adds subscribers in the shape of GET one's `data` (or the whole `{"data":...}`); all are
    /// checked before any is added.
    func load(_ users: [JSONValue]) throws(MockLoadError) {
        var parsed: [MailerLiteSubscriber] = []
        var ids = Set(subscribers.keys)
        var emails = Set(subscribers.values.map(\.email))
        for (position, user) in users.enumerated() {
            guard let object = (user["data"] ?? user).objectValue, let id = object["id"]?.stringValue, !id.isEmpty,
                let email = object["email"]?.stringValue, HubSpotStore.isValidEmail(email)
            else {
                throw MockLoadError(#"users[\#(position)]: needs a string "id" and a valid "email""#)
            }
            guard ids.insert(id).inserted else { throw MockLoadError("users[\(position)]: id \(id) is used twice") }
            guard emails.insert(email.lowercased()).inserted else { throw MockLoadError("users[\(position)]: email «\(email)» is used twice") }
            var subscriber = MailerLiteSubscriber.new(id: id, email: email.lowercased(), fieldKeys: [], now: Date())
            for (key, value) in object.members where key != "email" { subscriber.object[key] = value }
            parsed.append(subscriber)
        }
        for subscriber in parsed {
            for key in subscriber.object["fields"]?.objectValue?.keys ?? [] where !fieldKeys.contains(key) { extraFields.append(key) }
            insert(subscriber)
        }
    }

    func reset() {
        subscribers = [:]
        order = []
        idsByEmail = [:]
        nextNumber = 99_000_000_000_000_001
        extraFields = []
        try? load(initialUsers)
    }

    func allUsers() -> [JSONValue] { order.compactMap { subscribers[$0]?.json } }

    private func insert(_ subscriber: MailerLiteSubscriber) {
        if subscribers[subscriber.id] == nil { order.append(subscriber.id) }
        subscribers[subscriber.id] = subscriber
        idsByEmail[subscriber.email] = subscriber.id
    }

    // MARK: The API

    /// `GET /api/fields`' `data`.
    func fields() -> [JSONValue] {
        let names = Dictionary(uniqueKeysWithValues: Self.defaultFields.map { ($0.key, $0.name) })
        return fieldKeys.enumerated().map { position, key in
            .object(jsonObject([
                "id": .number(String(position + 1)), "name": .string(names[key] ?? key), "key": .string(key), "type": "text",
                "is_default": .bool(names[key] != nil), "used_in_automations": false,
            ]))
        }
    }

    /// The subscriber whose id or email is `idOrEmail`.
    func find(_ idOrEmail: String) throws(MailerLiteError) -> MailerLiteSubscriber {
        if let subscriber = subscribers[idOrEmail] { return subscriber }
        guard let id = idsByEmail[idOrEmail.lowercased()], let subscriber = subscribers[id] else { throw .notFound }
        return subscriber
    }

    /// `POST /api/subscribers`: creates (created: true) or updates the subscriber with that email,
    /// without touching what the body leaves out.
    func upsert(_ body: JSONObject) throws(MailerLiteError) -> (subscriber: MailerLiteSubscriber, created: Bool) {
        guard let given = body["email"] else { throw .validation("email", "The email field is required.") }
        guard let email = given.stringValue, HubSpotStore.isValidEmail(email) else {
            throw .validation("email", "The email must be a valid email address.")
        }
        if var existing = try? find(email) {
            try apply(body, to: &existing)
            subscribers[existing.id] = existing
            return (existing, false)
        }
        var number = nextNumber
        while subscribers[String(number)] != nil { number += 1 }
        nextNumber = number + 1
        var subscriber = MailerLiteSubscriber.new(id: String(number), email: email.lowercased(), fieldKeys: fieldKeys, now: Date())
        try apply(body, to: &subscriber)
        insert(subscriber)
        return (subscriber, true)
    }

    /// `PUT /api/subscribers/{id}`.
    func update(_ id: String, _ body: JSONObject) throws(MailerLiteError) -> MailerLiteSubscriber {
        guard var subscriber = subscribers[id] else { throw .notFound }
        if let email = body["email"]?.stringValue, email.lowercased() != subscriber.email {
            throw .validation("email", "The email cannot be changed.")
        }
        try apply(body, to: &subscriber)
        subscribers[id] = subscriber
        return subscriber
    }

    private func apply(_ body: JSONObject, to subscriber: inout MailerLiteSubscriber) throws(MailerLiteError) {
        for (key, value) in body.members {
            switch key {
            case "email":
                continue
            case "fields":
                guard let changes = value.objectValue else { throw .validation("fields", "The fields must be an object.") }
                var fields = subscriber.object["fields"]?.objectValue ?? JSONObject()
                for (name, change) in changes.members where fieldKeys.contains(name) {
                    guard change.objectValue == nil, change.arrayValue == nil else {
                        throw .validation("fields.\(name)", "The fields.\(name) must be a string, a number or null.")
                    }
                    fields[name] = change
                }
                subscriber.object["fields"] = .object(fields)
            case "status":
                guard let status = value.stringValue, MailerLiteSubscriber.statuses.contains(status) else {
                    throw .validation("status", "The selected status is invalid.")
                }
                subscriber.object["status"] = value
            case "groups":
                guard let groups = value.arrayValue else { throw .validation("groups", "The groups must be an array.") }
                subscriber.object["groups"] = .array(groups.map { group in
                    .object(jsonObject(["id": .string(group.stringValue ?? group.intValue.map(String.init) ?? ""), "name": .null]))
                })
            case "subscribed_at", "ip_address", "opted_in_at", "optin_ip", "unsubscribed_at":
                subscriber.object[key] = value
            default:
                continue  // MailerLite ignores parameters it does not know
            }
        }
        subscriber.object["updated_at"] = .string(MailerLiteSubscriber.timestamp(Date()))
    }
}
