import Foundation
import OutflowCore

/// The lists (audiences) of one mock Mailchimp account and their members, in memory.
///
/// A list exists when it is the default list (`MailchimpStore.defaultListId`) or when some loaded
/// user names it in `list_id`. A member is keyed by its list and subscriber hash, so the same email
/// may be on several lists, as in Mailchimp.
actor MailchimpStore {
    /// The list a fresh mock has, so requests work without a users file.
    static let defaultListId = "a1b2c3d4e5"
    static let batchLimit = 500

    /// Mailchimp's default merge fields of a new audience: (tag, name, type).
    static let defaultMergeFields: [(tag: String, name: String, type: String)] = [
        ("FNAME", "First Name", "text"), ("LNAME", "Last Name", "text"), ("ADDRESS", "Address", "address"),
        ("PHONE", "Phone Number", "phone"), ("BIRTHDAY", "Birthday", "birthday"),
    ]

    private var lists: [String] = []
    /// list id -> merge tags met in loaded users beyond the defaults, in first-seen order.
    private var extraMergeTags: [String: [String]] = [:]
    private var members: [String: MailchimpMember] = [:]
    private var order: [String] = []
    private var initialUsers: [JSONValue] = []

    init() { lists = [Self.defaultListId] }

    private static func key(_ listId: String, _ hash: String) -> String { listId + "/" + hash }

    // MARK: Users as `/__mock/` sees them

    func loadInitial(_ users: [JSONValue]) throws(MockLoadError) {
        try load(users)
        initialUsers = users
    }

    /// Adds users in the shape of GET one, each with its `list_id`; all are checked before any is added.
    func load(_ users: [JSONValue]) throws(MockLoadError) {
        var parsed: [MailchimpMember] = []
        var seen = Set(members.keys)
        for (index, user) in users.enumerated() {
            let member = try Self.parseUser(user, index: index)
            guard seen.insert(Self.key(member.listId, member.id)).inserted else {
                throw MockLoadError("users[\(index)]: «\(member.emailAddress)» is on list \(member.listId) twice (emails are unique per list without regard to case)")
            }
            parsed.append(member)
        }
        for member in parsed {
            if !lists.contains(member.listId) { lists.append(member.listId) }
            let known = Set(Self.defaultMergeFields.map(\.tag))
            for tag in member.mergeFields.keys where !known.contains(tag) && !(extraMergeTags[member.listId] ?? []).contains(tag) {
                extraMergeTags[member.listId, default: []].append(tag)
            }
        }
        for var member in parsed {
            member.mergeFields = filled(member.mergeFields, listId: member.listId)
            insert(member)
        }
    }

    func reset() {
        lists = [Self.defaultListId]
        extraMergeTags = [:]
        members = [:]
        order = []
        try? load(initialUsers)
    }

    func allUsers() -> [JSONValue] {
        order.compactMap { members[$0]?.json }
    }

    private func insert(_ member: MailchimpMember) {
        let key = Self.key(member.listId, member.id)
        if members[key] == nil { order.append(key) }
        members[key] = member
    }

    private static func parseUser(_ user: JSONValue, index: Int) throws(MockLoadError) -> MailchimpMember {
        guard let listId = user["list_id"]?.stringValue, !listId.isEmpty else {
            throw MockLoadError(#"users[\#(index)]: "list_id" must be a non-empty string (Mailchimp's users are per list)"#)
        }
        guard let email = user["email_address"]?.stringValue, MailchimpMember.isValidEmail(email) else {
            throw MockLoadError(#"users[\#(index)]: "email_address" must be a valid email address"#)
        }
        let status = user["status"]?.stringValue ?? "subscribed"
        guard MailchimpMember.writableStatuses.contains(status) || status == "archived" else {
            throw MockLoadError("users[\(index)]: status «\(status)» is not one of subscribed, unsubscribed, cleaned, pending, transactional, archived")
        }
        if let id = user["id"]?.stringValue, id != MailchimpMember.subscriberHash(email) {
            throw MockLoadError("users[\(index)]: id \(id) is not md5(lower(email_address)) = \(MailchimpMember.subscriberHash(email))")
        }
        var mergeFields = JSONObject()
        if let given = user["merge_fields"] {
            guard let object = given.objectValue else { throw MockLoadError("users[\(index)].merge_fields: expected an object, found \(given.typeName)") }
            mergeFields = object
        }
        let tags: [String]
        do throws(MailchimpError) {
            tags = try parseTags(user["tags"])
        } catch {
            throw MockLoadError("users[\(index)].tags: \(error.errors.first?.message ?? error.detail)")
        }
        let now = Date()
        let signup = user["timestamp_signup"]?.stringValue.flatMap(MailchimpMember.parseTimestamp) ?? now
        let changed = user["last_changed"]?.stringValue.flatMap(MailchimpMember.parseTimestamp) ?? signup
        return MailchimpMember(
            listId: listId, emailAddress: email, status: status, mergeFields: mergeFields, tags: tags,
            timestampSignup: signup, lastChanged: changed)
    }

    // MARK: The API

    private func requireList(_ listId: String) throws(MailchimpError) {
        guard lists.contains(listId) else { throw .notFound }
    }

    private func knownMergeTags(_ listId: String) -> [String] {
        Self.defaultMergeFields.map(\.tag) + (extraMergeTags[listId] ?? [])
    }

    /// Every merge tag of the list, with "" where the member has none (GET answers them all).
    private func filled(_ fields: JSONObject, listId: String) -> JSONObject {
        var result = JSONObject()
        for tag in knownMergeTags(listId) { result[tag] = fields[tag] ?? "" }
        return result
    }

    func member(listId: String, hash: String) throws(MailchimpError) -> MailchimpMember {
        try requireList(listId)
        guard let member = members[Self.key(listId, hash.lowercased())] else { throw .notFound }
        return member
    }

    /// `PUT /lists/{list_id}/members/{subscriber_hash}`: adds or updates.
    func put(listId: String, hash: String, body: JSONValue) throws(MailchimpError) -> MailchimpMember {
        try requireList(listId)
        let write = try MemberWrite.parse(body)
        let hash = hash.lowercased()
        if let email = write.email, MailchimpMember.subscriberHash(email) != hash {
            throw .invalidResource(detail: "The subscriber hash in the path does not match md5(lower(email_address)) of \(email).")
        }
        if var existing = members[Self.key(listId, hash)] {
            apply(write, to: &existing)
            insert(existing)
            return existing
        }
        guard let email = write.email else {
            throw .invalidResource([("email_address", "This value should not be blank.")])
        }
        guard let status = write.statusIfNew ?? write.status else {
            throw .invalidResource([("status_if_new", "This value should not be blank.")])
        }
        let member = create(listId: listId, email: email, status: status, write: write)
        insert(member)
        return member
    }

    /// `PATCH /lists/{list_id}/members/{subscriber_hash}`: updates only.
    func patch(listId: String, hash: String, body: JSONValue) throws(MailchimpError) -> MailchimpMember {
        try requireList(listId)
        let write = try MemberWrite.parse(body)
        let oldKey = Self.key(listId, hash.lowercased())
        guard var existing = members[oldKey] else { throw .notFound }
        if let email = write.email, MailchimpMember.subscriberHash(email) != existing.id {
            let newKey = Self.key(listId, MailchimpMember.subscriberHash(email))
            guard members[newKey] == nil else {
                throw MailchimpError(status: .badRequest, title: "Member Exists", detail: "\(email) is already a list member. Use PUT to insert or update list members.")
            }
            existing.emailAddress = email
            members[oldKey] = nil
            order[order.firstIndex(of: oldKey)!] = newKey
        }
        apply(write, to: &existing)
        members[Self.key(listId, existing.id)] = existing
        return existing
    }

    /// `POST /lists/{list_id}`: batch subscribe or unsubscribe.
    func batch(listId: String, body: JSONValue) throws(MailchimpError) -> JSONValue {
        try requireList(listId)
        guard let inputs = body["members"]?.arrayValue else {
            throw .invalidResource([("members", "Required property members was not present.")])
        }
        guard inputs.count <= Self.batchLimit else {
            throw .invalidResource([("members", "Schema describes array, maximum \(Self.batchLimit) items; \(inputs.count) found instead.")])
        }
        let updateExisting: Bool
        switch body["update_existing"] {
        case nil, .null?: updateExisting = false
        case .bool(let flag)?: updateExisting = flag
        case let other?: throw .invalidResource([("update_existing", "Schema describes boolean, \(other.typeName) found instead.")])
        }
        var created: [JSONValue] = []
        var updated: [JSONValue] = []
        var errors: [JSONValue] = []
        func fail(_ email: String, _ message: String, _ code: String) {
            errors.append(.object(jsonObject(["email_address": .string(email), "error": .string(message), "error_code": .string(code)])))
        }
        for input in inputs {
            let email = input["email_address"]?.stringValue ?? ""
            let write: MemberWrite
            do throws(MailchimpError) {
                write = try MemberWrite.parse(input)
            } catch {
                let message = error.errors.first.map { "\($0.field): \($0.message)" } ?? error.detail
                fail(email, message, "ERROR_GENERIC")
                continue
            }
            guard let address = write.email else {
                fail(email, "An email address must contain a single @.", "ERROR_GENERIC")
                continue
            }
            let key = Self.key(listId, MailchimpMember.subscriberHash(address))
            if var existing = members[key] {
                guard updateExisting else {
                    fail(address, "\(address) is already a list member, do you want to update? please provide update_existing:true in the request body", "ERROR_CONTACT_EXISTS")
                    continue
                }
                apply(write, to: &existing)
                insert(existing)
                updated.append(existing.json)
            } else {
                guard let status = write.statusIfNew ?? write.status else {
                    fail(address, "Status is required for a new member: subscribed, unsubscribed, cleaned, pending or transactional.", "ERROR_GENERIC")
                    continue
                }
                let member = create(listId: listId, email: address, status: status, write: write)
                insert(member)
                created.append(member.json)
            }
        }
        return .object(jsonObject([
            "new_members": .array(created),
            "updated_members": .array(updated),
            "errors": .array(errors),
            "total_created": .number(String(created.count)),
            "total_updated": .number(String(updated.count)),
            "error_count": .number(String(errors.count)),
        ]))
    }

    /// `GET /lists/{list_id}/merge-fields`, every field (the route pages them).
    func mergeFields(listId: String) throws(MailchimpError) -> [JSONValue] {
        try requireList(listId)
        var defaults = Self.defaultMergeFields
        for tag in extraMergeTags[listId] ?? [] { defaults.append((tag, tag, "text")) }
        return defaults.enumerated().map { index, field in
            .object(jsonObject([
                "merge_id": .number(String(index + 1)),
                "tag": .string(field.tag),
                "name": .string(field.name),
                "type": .string(field.type),
                "required": false,
                "default_value": "",
                "public": true,
                "display_order": .number(String(index + 2)),
                "options": field.type == "text" ? JSONValue.object(jsonObject(["size": 25])) : JSONValue.object(JSONObject()),
                "help_text": "",
                "list_id": .string(listId),
            ]))
        }
    }

    private func create(listId: String, email: String, status: String, write: MemberWrite) -> MailchimpMember {
        let now = Date()
        var member = MailchimpMember(
            listId: listId, emailAddress: email, status: status, mergeFields: filled(JSONObject(), listId: listId),
            tags: [], timestampSignup: now, lastChanged: now)
        apply(write, to: &member, statusToo: false)
        return member
    }

    /// Applies `status`, known `merge_fields` (unknown tags are ignored) and adds `tags`.
    private func apply(_ write: MemberWrite, to member: inout MailchimpMember, statusToo: Bool = true) {
        if statusToo, let status = write.status { member.status = status }
        let known = Set(knownMergeTags(member.listId))
        for (tag, value) in write.mergeFields.members where known.contains(tag) {
            member.mergeFields[tag] = value == .null ? "" : value
        }
        for tag in write.tags where !member.tags.contains(tag) { member.tags.append(tag) }
        member.lastChanged = Date()
    }
}

/// The member fields a PUT, PATCH or batch item may carry, checked as Mailchimp checks them.
struct MemberWrite {
    var email: String?
    var status: String?
    var statusIfNew: String?
    var mergeFields = JSONObject()
    var tags: [String] = []

    static func parse(_ body: JSONValue) throws(MailchimpError) -> MemberWrite {
        guard body.objectValue != nil else { throw .badJSON("expected an object") }
        var write = MemberWrite()
        if let value = body["email_address"], value != .null {
            guard let email = value.stringValue?.trimmingCharacters(in: .whitespaces), MailchimpMember.isValidEmail(email) else {
                throw .invalidResource(detail: "Please provide a valid email address.")
            }
            write.email = email
        }
        for field in ["status", "status_if_new"] {
            guard let value = body[field], value != .null else { continue }
            guard let status = value.stringValue, MailchimpMember.writableStatuses.contains(status) else {
                throw .invalidResource([(field, "Data presented is not one of the accepted values: subscribed, unsubscribed, cleaned, pending, transactional.")])
            }
            if field == "status" { write.status = status } else { write.statusIfNew = status }
        }
        if let value = body["merge_fields"], value != .null {
            guard let object = value.objectValue else {
                throw .invalidResource([("merge_fields", "Schema describes object, \(value.typeName) found instead.")])
            }
            for (tag, field) in object.members {
                if case .array = field { throw .invalidResource([("merge_fields.\(tag)", "Schema describes string, an array found instead.")]) }
            }
            write.mergeFields = object
        }
        write.tags = try parseTags(body["tags"])
        return write
    }
}

/// Tags as written (`["vip"]`) or as read (`[{"id":1,"name":"vip"}]`).
func parseTags(_ value: JSONValue?) throws(MailchimpError) -> [String] {
    guard let value, value != .null else { return [] }
    guard let items = value.arrayValue else { throw .invalidResource([("tags", "Schema describes array, \(value.typeName) found instead.")]) }
    var tags: [String] = []
    for item in items {
        guard let name = item.stringValue ?? item["name"]?.stringValue, !name.isEmpty else {
            throw .invalidResource([("tags", "Each tag is a non-empty string.")])
        }
        if !tags.contains(name) { tags.append(name) }
    }
    return tags
}
