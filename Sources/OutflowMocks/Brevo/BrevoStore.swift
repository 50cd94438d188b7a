import Foundation
import OutflowCore

/// The contacts of one mock Brevo account, in memory, with the account's contact attributes.
///
/// Emails are unique without regard to case, as in Brevo. Attributes must exist in the account:
/// the defaults (`FIRSTNAME`, `LASTNAME`, `SMS`) plus any attribute met in loaded users.
///
/// A contact is found by email, ext_id or SMS through indexes rather than a scan of every contact
/// (a scan per upsert made a 100k-profile soak quadratic); `save` keeps them in step.
actor BrevoStore {
    static let defaultAttributes = ["FIRSTNAME", "LASTNAME", "SMS"]
    static let batchLimit = 100

    private var contacts: [Int: BrevoContact] = [:]
    private var order: [Int] = []
    /// id -> its place in `order`: of several contacts sharing an ext_id or SMS, the first created is found.
    private var positions: [Int: Int] = [:]
    /// `email:`, `ext_id:` and `phone:` keys -> the contacts holding the value (one per email).
    private var idsByKey: [String: Set<Int>] = [:]
    private var nextId = 1001
    private var extraAttributes: [String] = []
    private var initialUsers: [JSONValue] = []

    // MARK: Users as `/__mock/` sees them

    func loadInitial(_ users: [JSONValue]) throws(MockLoadError) {
        try load(users)
        initialUsers = users
    }

    /// Adds contacts in the shape of GET one; all are checked before any is added.
    func load(_ users: [JSONValue]) throws(MockLoadError) {
        var parsed: [BrevoContact] = []
        var ids = Set(contacts.keys)
        var emails = Set(contacts.values.compactMap(\.email))
        for (position, user) in users.enumerated() {
            guard let id = user["id"]?.intValue, id > 0 else { throw MockLoadError(#"users[\#(position)]: "id" must be a positive number"#) }
            guard ids.insert(id).inserted else { throw MockLoadError("users[\(position)]: id \(id) is used twice") }
            let email = user["email"]?.stringValue?.lowercased()
            if let email, !emails.insert(email).inserted { throw MockLoadError("users[\(position)]: email «\(email)» is used twice") }
            let created = user["createdAt"]?.stringValue.flatMap(BrevoContact.parseTimestamp) ?? Date()
            var contact = BrevoContact(id: id, email: email, createdAt: created, modifiedAt: user["modifiedAt"]?.stringValue.flatMap(BrevoContact.parseTimestamp) ?? created)
            contact.extId = user["ext_id"]?.stringValue
            contact.emailBlacklisted = user["emailBlacklisted"] == true
            contact.smsBlacklisted = user["smsBlacklisted"] == true
            contact.attributes = user["attributes"]?.objectValue ?? JSONObject()
            contact.listIds = user["listIds"]?.arrayValue?.compactMap(\.intValue) ?? []
            parsed.append(contact)
        }
        for contact in parsed {
            save(contact)
            for name in contact.attributes.keys where !Self.defaultAttributes.contains(name) && !extraAttributes.contains(name) {
                extraAttributes.append(name)
            }
        }
    }

    func reset() {
        contacts = [:]
        order = []
        positions = [:]
        idsByKey = [:]
        nextId = 1001
        extraAttributes = []
        try? load(initialUsers)
    }

    func allUsers() -> [JSONValue] { order.compactMap { contacts[$0]?.json } }

    /// Stores a new or changed contact, and moves its email, ext_id and SMS in `idsByKey`.
    private func save(_ contact: BrevoContact) {
        if let old = contacts[contact.id] {
            for key in Self.keys(old) {
                idsByKey[key]?.remove(old.id)
                if idsByKey[key]?.isEmpty == true { idsByKey[key] = nil }
            }
        } else {
            positions[contact.id] = order.count
            order.append(contact.id)
        }
        contacts[contact.id] = contact
        for key in Self.keys(contact) { idsByKey[key, default: []].insert(contact.id) }
        nextId = max(nextId, contact.id + 1)
    }

    private static func keys(_ contact: BrevoContact) -> [String] {
        [contact.email.map { "email:" + $0 }, contact.extId.map { "ext_id:" + $0 }, contact.attributes["SMS"]?.stringValue.map { "phone:" + $0 }]
            .compactMap { $0 }
    }

    /// The first created contact holding `key`.
    private func first(_ key: String) -> BrevoContact? {
        (idsByKey[key] ?? []).min { positions[$0, default: .max] < positions[$1, default: .max] }.flatMap { contacts[$0] }
    }

    // MARK: The API

    /// `GET /v3/contacts/attributes`.
    func attributes() -> [JSONValue] {
        (Self.defaultAttributes + extraAttributes).map { name in
            .object(jsonObject(["name": .string(name), "category": "normal", "type": "text"]))
        }
    }

    /// The contact `identifier` names: by `identifierType` (`email_id`, `contact_id`, `ext_id`,
    /// `phone_id`), or, without one, an id when it is all digits and an email otherwise.
    func find(_ identifier: String, type: String?) throws(BrevoError) -> BrevoContact {
        let kind = type ?? (identifier.allSatisfy(\.isNumber) ? "contact_id" : "email_id")
        let found: BrevoContact?
        switch kind {
        case "email_id": found = first("email:" + identifier.lowercased())
        case "contact_id": found = Int(identifier).flatMap { contacts[$0] }
        case "ext_id": found = first("ext_id:" + identifier)
        case "phone_id": found = first("phone:" + identifier)
        default: throw .invalid("identifierType \(kind) is not one of email_id, contact_id, ext_id, phone_id")
        }
        guard let found else { throw .contactNotFound }
        return found
    }

    /// `POST /v3/contacts`: the new id, or nil when `updateEnabled` turned it into an update of
    /// the existing contact (Brevo answers 204 then).
    func create(_ body: JSONObject) throws(BrevoError) -> Int? {
        let email = try body["email"].map { value throws(BrevoError) in try Self.email(value) }
        if let email, let existing = try? find(email, type: "email_id") {
            guard body["updateEnabled"] == true else { throw .duplicate }
            var contact = existing
            try apply(body, to: &contact, skipping: ["email", "updateEnabled"])
            save(contact)
            return nil
        }
        let now = Date()
        var contact = BrevoContact(id: nextId, email: email, createdAt: now, modifiedAt: now)
        try apply(body, to: &contact, skipping: ["email", "updateEnabled"])
        guard contact.email != nil || contact.extId != nil || contact.attributes["SMS"] != nil else {
            throw .missing("email, ext_id or the SMS attribute is required to create a contact")
        }
        save(contact)
        return contact.id
    }

    /// `PUT /v3/contacts/{identifier}`.
    func update(_ identifier: String, type: String?, _ body: JSONObject) throws(BrevoError) {
        var contact = try find(identifier, type: type)
        try apply(body, to: &contact, skipping: [])
        save(contact)
    }

    /// `POST /v3/contacts/batch`: every contact is found first; when some are not, nothing is
    /// written and the 404 names their positions.
    func batch(_ items: [JSONValue]) throws(BrevoError) {
        guard !items.isEmpty else { throw .missing("contacts is required") }
        guard items.count <= Self.batchLimit else { throw .invalid("contacts can hold at most \(Self.batchLimit) contacts (got \(items.count))") }
        var targets: [(BrevoContact, JSONObject)] = []
        var missing: [Int] = []
        for (position, item) in items.enumerated() {
            guard let object = item.objectValue else { throw .invalid("contacts[\(position)] must be an object") }
            let identifiers: [(String, String)] = [("email", "email_id"), ("id", "contact_id"), ("sms", "phone_id")].compactMap { key, type in
                guard let value = object[key] else { return nil }
                return (value.stringValue ?? value.intValue.map(String.init) ?? "", type)
            }
            guard identifiers.count == 1, let (identifier, type) = identifiers.first else {
                throw .invalid("contacts[\(position)] must be identified by exactly one of email, id or sms")
            }
            do throws(BrevoError) {
                let contact = try find(identifier, type: type)
                var rest = object
                for key in ["email", "id", "sms"] { rest[key] = nil }
                targets.append((contact, rest))
            } catch {
                missing.append(position)
            }
        }
        guard missing.isEmpty else { throw .batchNotFound(indexes: missing) }
        var updated = contacts
        for (contact, body) in targets {
            var copy = updated[contact.id] ?? contact
            try apply(body, to: &copy, skipping: [])
            updated[copy.id] = copy
        }
        // Found against the store as it was before the batch; saved once all applied.
        for (contact, _) in targets { if let changed = updated[contact.id] { save(changed) } }
    }

    private static func email(_ value: JSONValue) throws(BrevoError) -> String {
        guard let text = value.stringValue, HubSpotStore.isValidEmail(text) else { throw .invalid("Invalid email address") }
        return text.lowercased()
    }

    /// Applies a write body; `attributes` must name attributes the account has, `EMAIL` in them
    /// changes the email (refused when another contact has it), null or "" clears a value.
    private func apply(_ body: JSONObject, to contact: inout BrevoContact, skipping: Set<String>) throws(BrevoError) {
        let known = Self.defaultAttributes + extraAttributes + ["EMAIL"]
        for (key, value) in body.members where !skipping.contains(key) {
            switch key {
            case "attributes":
                guard let attributes = value.objectValue else { throw .invalid("attributes must be an object") }
                for (name, attribute) in attributes.members {
                    guard known.contains(name) else { throw .invalid("Attribute \(name) does not exist") }
                    if name == "EMAIL" {
                        let email = try Self.email(attribute)
                        if let owner = try? find(email, type: "email_id"), owner.id != contact.id { throw .duplicate }
                        contact.email = email
                    } else if attribute == .null || attribute == "" {
                        contact.attributes[name] = nil
                    } else {
                        contact.attributes[name] = attribute
                    }
                }
            case "ext_id":
                contact.extId = value.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            case "emailBlacklisted", "smsBlacklisted":
                guard case .bool(let flag) = value else { throw .invalid("\(key) must be a boolean") }
                if key == "emailBlacklisted" { contact.emailBlacklisted = flag } else { contact.smsBlacklisted = flag }
            case "listIds", "unlinkListIds":
                guard let ids = value.arrayValue?.compactMap(\.intValue) else { throw .invalid("\(key) must be a list of list ids") }
                if key == "listIds" {
                    for id in ids where !contact.listIds.contains(id) { contact.listIds.append(id) }
                } else {
                    contact.listIds.removeAll(where: ids.contains)
                }
            case "email":
                contact.email = try Self.email(value)
            default:
                throw .invalid("\(key) is not a valid parameter")
            }
        }
        contact.modifiedAt = Date()
    }
}
