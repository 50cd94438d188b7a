import Foundation
import OutflowCore

/// The contacts of one mock HubSpot account, in memory.
///
/// Emails are unique without regard to case and stored lower-case, as HubSpot does. Writes that
/// HubSpot applies all-or-nothing run on a snapshot that is thrown away when any input fails, so a
/// failed batch leaves no trace.
actor HubSpotStore {
    private var contacts: [Int: HubSpotContact] = [:]
    private var order: [Int] = []
    private var idsByEmail: [String: Int] = [:]
    private var nextId = 1001
    private var customProperties: [String] = []
    private var initialUsers: [JSONValue] = []
    private let searchLag: Duration
    /// When a lagged write becomes searchable (`MockOptions.clock`).
    private let clock: MockClock
    /// What an all-or-nothing batch changed, to undo it when one input fails. An undo log rather than
    /// a copy of the dictionaries: copying them made every batch cost O(contacts), so the mock slowed
    /// down as it filled (23 batches/s at 100k contacts).
    private var journal: UndoJournal?

    init(searchLag: Duration, clock: MockClock) {
        self.clock = clock
        self.searchLag = searchLag
    }

    // MARK: Users as `/__mock/` sees them

    func loadInitial(_ users: [JSONValue]) throws(MockLoadError) {
        try load(users)
        initialUsers = users
    }

    /// Adds users in the shape of GET one; all are checked before any is added.
    func load(_ users: [JSONValue]) throws(MockLoadError) {
        var parsed: [HubSpotContact] = []
        var seenIds = Set(contacts.keys)
        var seenEmails = Set(idsByEmail.keys)
        for (index, user) in users.enumerated() {
            let contact = try Self.parseUser(user, index: index)
            guard seenIds.insert(contact.id).inserted else { throw MockLoadError("users[\(index)]: id \(contact.id) is used twice") }
            if let email = contact.email, !seenEmails.insert(email).inserted {
                throw MockLoadError("users[\(index)]: email «\(email)» is used twice (emails are unique without regard to case)")
            }
            parsed.append(contact)
        }
        let known = Set(HubSpotProperties.builtIn.map(\.name))
        for contact in parsed {
            insert(contact)
            for name in contact.properties.keys.sorted() where !known.contains(name) && !customProperties.contains(name) {
                customProperties.append(name)
            }
        }
    }

    func reset() {
        contacts = [:]
        order = []
        idsByEmail = [:]
        nextId = 1001
        customProperties = []
        try? load(initialUsers)
    }

    func allUsers() -> [JSONValue] {
        order.compactMap { contacts[$0]?.json(properties: nil) }
    }

    private static func parseUser(_ user: JSONValue, index: Int) throws(MockLoadError) -> HubSpotContact {
        guard let idText = user["id"]?.stringValue ?? user["id"].flatMap({ $0.intValue.map(String.init) }), let id = Int(idText), id > 0 else {
            throw MockLoadError(#"users[\#(index)]: "id" must be a positive number in a string, like "101""#)
        }
        var properties: [String: String] = [:]
        for (key, value) in user["properties"]?.objectValue?.members ?? [] {
            switch value {
            case .string(let text): properties[key] = text
            case .number(let text): properties[key] = text
            case .bool(let flag): properties[key] = flag ? "true" : "false"
            case .null: continue
            default: throw MockLoadError("users[\(index)].properties.\(key): expected a string, found \(value.typeName)")
            }
        }
        if let email = properties["email"] { properties["email"] = email.lowercased() }
        let now = Date()
        let createdAt = (user["createdAt"]?.stringValue).flatMap(HubSpotContact.parseTimestamp) ?? now
        let updatedAt = (user["updatedAt"]?.stringValue).flatMap(HubSpotContact.parseTimestamp) ?? createdAt
        properties["hs_object_id"] = String(id)
        properties["createdate"] = properties["createdate"] ?? HubSpotContact.timestamp(createdAt)
        properties["lastmodifieddate"] = properties["lastmodifieddate"] ?? HubSpotContact.timestamp(updatedAt)
        // Loaded users are already indexed: search lag concerns writes made through the API.
        return HubSpotContact(id: id, properties: properties, createdAt: createdAt, updatedAt: updatedAt, indexed: properties)
    }

    private func insert(_ contact: HubSpotContact) {
        remember(contact: contact.id)
        if contacts[contact.id] == nil { order.append(contact.id) }
        contacts[contact.id] = contact
        if let email = contact.email { setOwner(of: email, to: contact.id) }
        nextId = max(nextId, contact.id + 1)
    }

    // MARK: Schema and reads

    func schema() -> [HubSpotProperty] {
        HubSpotProperties.builtIn + customProperties.map(HubSpotProperties.custom)
    }

    /// The contact whose `idProperty` (default: the record id) equals `id`.
    func contact(_ id: String, idProperty: String?) -> HubSpotContact? {
        switch idProperty ?? "hs_object_id" {
        case "hs_object_id": return Int(id).flatMap { contacts[$0] }
        case "email": return idsByEmail[id.lowercased()].flatMap { contacts[$0] }
        case let property: return order.lazy.compactMap { self.contacts[$0] }.first { $0.properties[property] == id }
        }
    }

    /// What search sees now: indexed contacts with the properties as indexed, in creation order.
    func searchSnapshot() -> [(contact: HubSpotContact, indexed: [String: String])] {
        let now = clock.now()
        var result: [(HubSpotContact, [String: String])] = []
        for id in order {
            guard var contact = contacts[id] else { continue }
            if let pending = contact.pendingIndex, pending.visibleAt <= now {
                contact.indexed = pending.properties
                contact.pendingIndex = nil
                contacts[id] = contact
            }
            if let indexed = contact.indexed { result.append((contact, indexed)) }
        }
        return result
    }

    // MARK: Writes

    /// Runs `body` for each input; when `atomic` and any input fails, undoes every change.
    func write(_ inputs: [HubSpotWriteInput], kind: HubSpotWriteKind, atomic: Bool) -> [HubSpotWriteOutcome] {
        journal = atomic ? UndoJournal(orderCount: order.count, nextId: nextId) : nil
        defer { journal = nil }
        var outcomes: [HubSpotWriteOutcome] = []
        // By name, once per batch rather than per input (building it was a twentieth of the mock's CPU).
        let schema = Dictionary(self.schema().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for input in inputs {
            do throws(HubSpotError) {
                outcomes.append(try apply(input, kind: kind, schema: schema))
            } catch {
                outcomes.append(.failure(error, input: input))
            }
        }
        if let journal, outcomes.contains(where: \.isFailure) {
            for (id, previous) in journal.contacts { contacts[id] = previous }
            for (email, previous) in journal.emails { idsByEmail[email] = previous }
            order.removeSubrange(journal.orderCount...)
            nextId = journal.nextId
        }
        return outcomes
    }

    private func apply(_ input: HubSpotWriteInput, kind: HubSpotWriteKind, schema: [String: HubSpotProperty]) throws(HubSpotError)
        -> HubSpotWriteOutcome
    {
        try validate(input.properties, schema)
        switch kind {
        case .create:
            return try create(input)
        case .update:
            guard let id = input.id else { throw HubSpotError.validation("Missing \"id\" in update input") }
            guard let existing = contact(id, idProperty: input.idProperty) else { throw HubSpotError.notFound(ids: [id]) }
            return try update(existing, input)
        case .upsert:
            guard let id = input.id, let idProperty = input.idProperty else {
                throw HubSpotError.validation("Upsert inputs need both \"id\" and \"idProperty\"")
            }
            guard idProperty == "email" || schema[idProperty]?.hasUniqueValue == true else {
                throw HubSpotError.validation("Property \(idProperty) is not a unique property and cannot be used as idProperty")
            }
            if let existing = contact(id, idProperty: idProperty) { return try update(existing, input) }
            var creating = input
            if creating.properties[idProperty] == nil { creating.properties[idProperty] = id }
            return try create(creating)
        }
    }

    private func create(_ input: HubSpotWriteInput) throws(HubSpotError) -> HubSpotWriteOutcome {
        var properties: [String: String] = [:]
        for (key, value) in input.properties { if let value, !value.isEmpty { properties[key] = value } }
        if let email = properties["email"] {
            let lowered = email.lowercased()
            if let existing = idsByEmail[lowered] { throw HubSpotError.conflict(existingId: existing) }
            properties["email"] = lowered
        }
        let id = nextId
        let now = Date()
        properties["hs_object_id"] = String(id)
        let stamp = HubSpotContact.timestamp(now)
        properties["createdate"] = stamp
        properties["lastmodifieddate"] = stamp
        var contact = HubSpotContact(id: id, properties: properties, createdAt: now, updatedAt: now)
        index(&contact)
        insert(contact)
        return .success(contact, written: Array(input.properties.keys), new: true, input: input)
    }

    private func update(_ existing: HubSpotContact, _ input: HubSpotWriteInput) throws(HubSpotError) -> HubSpotWriteOutcome {
        var contact = existing
        for (key, value) in input.properties {
            guard let value, !value.isEmpty else {
                contact.properties[key] = nil
                continue
            }
            if key == "email" {
                let lowered = value.lowercased()
                if let owner = idsByEmail[lowered], owner != contact.id { throw HubSpotError.conflict(existingId: owner) }
                if let old = contact.email { setOwner(of: old, to: nil) }
                setOwner(of: lowered, to: contact.id)
                contact.properties[key] = lowered
            } else {
                contact.properties[key] = value
            }
        }
        if contact.email == nil, let old = existing.email { setOwner(of: old, to: nil) }
        contact.updatedAt = Date()
        contact.properties["lastmodifieddate"] = HubSpotContact.timestamp(contact.updatedAt)
        index(&contact)
        remember(contact: contact.id)
        contacts[contact.id] = contact
        return .success(contact, written: Array(input.properties.keys), new: false, input: input)
    }

    /// Notes a contact's state before its first change in an all-or-nothing batch.
    private func remember(contact id: Int) {
        journal?.remember(contact: id, contacts[id])
    }

    private func setOwner(of email: String, to id: Int?) {
        journal?.remember(email: email, idsByEmail[email])
        idsByEmail[email] = id
    }

    /// Makes a write visible to search now, or after `search-lag`.
    private func index(_ contact: inout HubSpotContact) {
        if searchLag == .zero {
            contact.indexed = contact.properties
        } else {
            contact.pendingIndex = (contact.properties, clock.now() + searchLag)
        }
    }

    /// HubSpot refuses a whole input when any of its values is invalid, and lists every problem.
    private func validate(_ properties: [String: String?], _ schema: [String: HubSpotProperty]) throws(HubSpotError) {
        var problems: [PropertyProblem] = []
        for name in properties.keys.sorted() {
            guard let property = schema[name] else {
                problems.append(PropertyProblem(name: name, code: "PROPERTY_DOESNT_EXIST", message: "Property \"\(name)\" does not exist"))
                continue
            }
            if property.readOnlyValue {
                problems.append(
                    PropertyProblem(name: name, code: "READ_ONLY_VALUE", message: "\"\(name)\" is a read only property; its value cannot be set."))
                continue
            }
            guard let value = properties[name] ?? nil, !value.isEmpty else { continue }
            if name == "email", !Self.isValidEmail(value) {
                problems.append(PropertyProblem(name: name, code: "INVALID_EMAIL", message: "Email address \(value) is invalid"))
            } else if property.type == "enumeration", !property.options.contains(value) {
                let allowed = property.options.joined(separator: ", ")
                problems.append(
                    PropertyProblem(name: name, code: "INVALID_OPTION", message: "\(value) was not one of the allowed options: [\(allowed)]"))
            }
        }
        if !problems.isEmpty { throw HubSpotError.invalidProperties(problems) }
    }

    /// One `@` with text before it, a domain with a dot neither first nor last, and no space,
    /// comma or semicolon; checked on the UTF-8 bytes (all the characters involved are ASCII).
    static func isValidEmail(_ text: String) -> Bool {
        var at: Int?
        var count = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "@"):
                if at != nil { return false }
                at = count
            case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: ";"):
                return false
            default: break
            }
            count += 1
        }
        guard let at, at > 0 else { return false }
        let domain = text.utf8.dropFirst(at + 1)
        return domain.contains(UInt8(ascii: ".")) && domain.first != UInt8(ascii: ".") && domain.last != UInt8(ascii: ".")
    }
}

enum HubSpotWriteKind: Sendable { case create, update, upsert }

/// The state an all-or-nothing batch found before it changed it: per contact and per email, the
/// value before the first change (`.some(nil)`: there was none), plus the sizes to cut back to.
struct UndoJournal: Sendable {
    var contacts: [Int: HubSpotContact?] = [:]
    var emails: [String: Int?] = [:]
    var orderCount: Int
    var nextId: Int

    /// Keeps only the first state seen: that is the one to restore.
    mutating func remember(contact id: Int, _ previous: HubSpotContact?) {
        if contacts.index(forKey: id) == nil { contacts[id] = .some(previous) }
    }

    mutating func remember(email: String, _ previous: Int?) {
        if emails.index(forKey: email) == nil { emails[email] = .some(previous) }
    }
}

/// One element of a batch's `inputs`.
struct HubSpotWriteInput: Sendable {
    var id: String?
    var idProperty: String?
    /// nil or "" clears a value on update.
    var properties: [String: String?]
    var objectWriteTraceId: String?
}

enum HubSpotWriteOutcome: Sendable {
    case success(HubSpotContact, written: [String], new: Bool, input: HubSpotWriteInput)
    case failure(HubSpotError, input: HubSpotWriteInput)

    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
