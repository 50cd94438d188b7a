import Foundation
import OutflowCore

/// The profiles of one mock Klaviyo account, in memory.
///
/// Email (without regard to case), phone number and external id are each unique across profiles,
/// as in Klaviyo: a create or update that would share one is the 409 `duplicate_profile`.
///
/// Filters and the uniqueness check read an index of those identifiers rather than every profile
/// (a scan per write made a 100k-profile soak quadratic); `insert` keeps it in step.
actor KlaviyoStore {
    private var profiles: [String: KlaviyoProfile] = [:]
    private var order: [String] = []
    /// id -> its place in `order`: filtered lists come in creation order.
    private var positions: [String: Int] = [:]
    /// `name:value` of each identifier (``KlaviyoProfile/identifier(_:)``, emails lower-cased) ->
    /// the one profile holding it.
    private var owners: [String: String] = [:]
    private var nextNumber = 1
    private var initialUsers: [JSONValue] = []

    // MARK: Users as `/__mock/` sees them

    func loadInitial(_ users: [JSONValue]) throws(MockLoadError) {
        try load(users)
        initialUsers = users
    }

    /// Adds profiles in the shape of GET one's `data` (or the whole `{"data":...}` document);
    /// all are checked before any is added.
    func load(_ users: [JSONValue]) throws(MockLoadError) {
        var parsed: [KlaviyoProfile] = []
        var ids = Set(profiles.keys)
        var parsedOwners: [String: String] = [:]
        for (index, user) in users.enumerated() {
            let profile = try Self.parseUser(user["data"] ?? user, index: index)
            guard ids.insert(profile.id).inserted else { throw MockLoadError("users[\(index)]: id \(profile.id) is used twice") }
            for name in KlaviyoProfile.identifiers {
                guard let value = profile.identifier(name) else { continue }
                let key = Self.key(name, value)
                if owners[key] != nil || parsedOwners[key] != nil {
                    throw MockLoadError("users[\(index)]: \(name) «\(value)» is used by another profile (Klaviyo keeps it unique)")
                }
                parsedOwners[key] = profile.id
            }
            parsed.append(profile)
        }
        for profile in parsed { insert(profile) }
    }

    func reset() {
        profiles = [:]
        order = []
        positions = [:]
        owners = [:]
        nextNumber = 1
        try? load(initialUsers)
    }

    func allUsers(origin: String) -> [JSONValue] {
        order.compactMap { profiles[$0]?.resource(origin: origin) }
    }

    private static func parseUser(_ user: JSONValue, index: Int) throws(MockLoadError) -> KlaviyoProfile {
        guard let id = user["id"]?.stringValue, !id.isEmpty else {
            throw MockLoadError(#"users[\#(index)]: "id" must be a non-empty string, like "01HZK7Q3M9PX00000000000001""#)
        }
        var attributes = JSONObject()
        let given = user["attributes"]?.objectValue ?? JSONObject()
        for (key, value) in given.members where KlaviyoProfile.writable.contains(key) && value != .null {
            attributes[key] = value
        }
        let now = Date()
        let created = given["created"]?.stringValue.flatMap(KlaviyoProfile.parseTimestamp) ?? now
        let updated = given["updated"]?.stringValue.flatMap(KlaviyoProfile.parseTimestamp) ?? created
        return KlaviyoProfile(id: id, attributes: attributes, created: created, updated: updated)
    }

    /// Stores a new or changed profile, and moves its identifiers in `owners`.
    private func insert(_ profile: KlaviyoProfile) {
        if let old = profiles[profile.id] {
            for name in KlaviyoProfile.identifiers {
                guard let value = old.identifier(name), owners[Self.key(name, value)] == old.id else { continue }
                owners[Self.key(name, value)] = nil
            }
        } else {
            positions[profile.id] = order.count
            order.append(profile.id)
        }
        profiles[profile.id] = profile
        for name in KlaviyoProfile.identifiers {
            if let value = profile.identifier(name) { owners[Self.key(name, value)] = profile.id }
        }
    }

    private static func key(_ name: String, _ value: String) -> String { name + ":" + value }

    // MARK: The API

    func profile(_ id: String) throws(KlaviyoError) -> KlaviyoProfile {
        guard let profile = profiles[id] else { throw .notFound(id) }
        return profile
    }

    /// Profiles matching `filter` (all without one), in creation order.
    func list(_ filter: KlaviyoFilter?) -> [KlaviyoProfile] {
        guard let filter else { return order.compactMap { profiles[$0] } }
        // Every condition is on an indexed field: the first one's values name the only candidates.
        guard let condition = filter.conditions.first else { return order.compactMap { profiles[$0] } }
        let ids = condition.values.compactMap { value in
            condition.field == "id" ? value : owners[Self.key(condition.field, condition.field == "email" ? value.lowercased() : value)]
        }
        return Set(ids).sorted { positions[$0, default: .max] < positions[$1, default: .max] }.compactMap { profiles[$0] }.filter(filter.matches)
    }

    /// `POST /api/profiles`: a new profile, or the 409 naming the profile that holds an identifier.
    func create(_ attributes: JSONObject) throws(KlaviyoError) -> KlaviyoProfile {
        let checked = try Self.validate(attributes)
        let now = Date()
        var profile = KlaviyoProfile(id: KlaviyoProfile.makeId(nextNumber), attributes: JSONObject(), created: now, updated: now)
        Self.apply(checked, to: &profile)
        guard profile.identifier("email") != nil || profile.identifier("phone_number") != nil || profile.identifier("external_id") != nil
            || profile.attributes["anonymous_id"] != nil
        else {
            throw .invalid("One of `email`, `phone_number`, `external_id` or `anonymous_id` is required to create a profile.", pointer: "/data/attributes")
        }
        try checkUnique(profile)
        nextNumber += 1
        while profiles[profile.id] != nil {
            profile = KlaviyoProfile(id: KlaviyoProfile.makeId(nextNumber), attributes: profile.attributes, created: now, updated: now)
            nextNumber += 1
        }
        insert(profile)
        return profile
    }

    /// `PATCH /api/profiles/{id}`: attributes given are set, null clears, absent ones are left;
    /// `location` and `properties` are merged key by key the same way.
    func update(_ id: String, _ attributes: JSONObject) throws(KlaviyoError) -> KlaviyoProfile {
        var profile = try profile(id)
        let checked = try Self.validate(attributes)
        Self.apply(checked, to: &profile)
        try checkUnique(profile)
        profile.updated = Date()
        insert(profile)
        return profile
    }

    private func checkUnique(_ profile: KlaviyoProfile) throws(KlaviyoError) {
        for name in KlaviyoProfile.identifiers {
            guard let value = profile.identifier(name) else { continue }
            if let existing = owners[Self.key(name, value)], existing != profile.id {
                throw .duplicate(existingId: existing)
            }
        }
    }

    private static func apply(_ attributes: JSONObject, to profile: inout KlaviyoProfile) {
        for (key, value) in attributes.members {
            if key == "location" || key == "properties", case .object(let changes) = value {
                var merged = profile.attributes[key]?.objectValue ?? JSONObject()
                for (inner, innerValue) in changes.members { merged[inner] = innerValue == .null ? JSONValue?.none : innerValue }
                profile.attributes[key] = merged.isEmpty ? JSONValue?.none : .object(merged)
            } else {
                profile.attributes[key] = value == .null ? JSONValue?.none : value
            }
        }
    }

    /// Klaviyo's checks on written attributes: known names, strings where strings are due, a
    /// plausible email, objects for `location` and `properties`.
    private static func validate(_ attributes: JSONObject) throws(KlaviyoError) -> JSONObject {
        for (key, value) in attributes.members {
            let pointer = "/data/attributes/\(key)"
            guard KlaviyoProfile.writable.contains(key) else {
                throw .invalid("'\(key)' is not a valid field for the resource 'profile'.", pointer: pointer)
            }
            switch (key, value) {
            case (_, .null): continue
            case ("location", .object(let location)):
                for inner in location.keys where !KlaviyoProfile.locationKeys.contains(inner) {
                    throw .invalid("'\(inner)' is not a valid field for 'location'.", pointer: pointer + "/" + inner)
                }
            case ("properties", .object): continue
            case ("location", _), ("properties", _):
                throw .invalid("'\(key)' must be an object.", pointer: pointer)
            case ("email", .string(let email)):
                guard HubSpotStore.isValidEmail(email) else { throw .invalid("Invalid email address", pointer: pointer) }
            case ("phone_number", .string(let phone)):
                guard phone.hasPrefix("+"), phone.dropFirst().allSatisfy(\.isNumber), phone.count >= 8 else {
                    throw .invalid("Invalid phone number format (Example of a valid phone number format: +12345678901)", pointer: pointer)
                }
            case (_, .string): continue
            default:
                throw .invalid("'\(key)' must be a string, found \(value.typeName).", pointer: pointer)
            }
        }
        return attributes
    }
}
