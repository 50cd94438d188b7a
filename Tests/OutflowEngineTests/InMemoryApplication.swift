import OutflowConnectors
import OutflowCore

/// An application held in memory, for testing the engine's rules without HTTP: users with ids,
/// lookups by any property (folding case where the capabilities say so), creates, updates and
/// upserts, request counters, and injectable failures.
///
/// ```swift
/// let app = InMemoryApplication(users: [["email": "a@b.c"]])
/// await app.failWrites(of: ["x@y.z"], message: "invalid email")
/// ```
actor InMemoryApplication: ApplicationClient {
    struct User: Sendable, Hashable {
        var id: String
        var properties: ValueObject
    }

    nonisolated let capabilities: ApplicationCapabilities
    private(set) var users: [User] = []
    private var nextID = 1

    private(set) var lookupRequests = 0
    private(set) var createRequests = 0
    private(set) var updateRequests = 0
    private(set) var upsertRequests = 0
    var writeRequests: Int { createRequests + updateRequests + upsertRequests }

    /// Matching values (as text) whose writes the application refuses.
    private var refused: [String: String] = [:]
    /// Matching values whose create takes effect but whose answer is lost, once each.
    private var lostAnswers: Set<String> = []
    /// Every lookup fails with this error.
    private var lookupFailure: ApplicationError?
    /// Every write of every item fails (a whole-batch failure after retries).
    private var writesFail = false
    /// Every write of every item is refused with this error (a credential revoked mid-run).
    private var writeRejection: ApplicationError?
    /// The property writes are checked against `refused` and `lostAnswers` by.
    private let matchingProperty: String

    init(capabilities: ApplicationCapabilities = ApplicationCapabilities(), matchingProperty: String = "email", users: [[String: String]] = []) {
        self.capabilities = capabilities
        self.matchingProperty = matchingProperty
        for properties in users {
            self.users.append(User(id: String(nextID), properties: ValueObject(properties.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) })))
            nextID += 1
        }
    }

    func refuseWrites(of values: [String], message: String = "the application refused this user") {
        for value in values { refused[value] = message }
    }

    func clearRefusals() { refused = [:] }

    func loseCreateAnswers(for values: [String]) { lostAnswers.formUnion(values) }

    func failLookups(with error: ApplicationError?) { lookupFailure = error }

    func failAllWrites(_ flag: Bool) { writesFail = flag }
    func rejectWrites(with error: ApplicationError) { writeRejection = error }

    /// The users whose `property` equals `value` as the application compares.
    func users(where property: String, is value: String) -> [User] {
        users.filter { same($0.properties[property], .string(value), property: property) }
    }

    // MARK: ApplicationClient

    func lookup(property: String, values: [Value]) async throws(ApplicationError) -> [[AppUser]] {
        lookupRequests += 1
        if let lookupFailure { throw lookupFailure }
        return values.map { value in
            users.filter { same($0.properties[property], value, property: property) }.map { AppUser(id: $0.id, matchingValue: $0.properties[property]) }
        }
    }

    func create(_ users: [ValueObject]) async -> [WriteResult] {
        createRequests += 1
        return users.map { user in
            if let refusal = refusal(user) { return refusal }
            let key = user[matchingProperty]?.text ?? ""
            if capabilities.uniqueProperties.contains(matchingProperty), let existing = self.users(matching: user[matchingProperty]).first {
                // A conflict naming the existing user becomes an update of it, as HubSpot's 409 does.
                merge(user, into: existing)
                return .updated(id: existing)
            }
            let id = insert(user)
            if lostAnswers.remove(key) != nil { return .outcomeUnknown(reason: "the connection closed before the answer") }
            return .created(id: id)
        }
    }

    func update(_ items: [AppUserUpdate]) async -> [WriteResult] {
        updateRequests += 1
        return items.map { item in
            if let writeRejection { return .rejected(writeRejection) }
            if writesFail { return .failed(message: "HTTP 500 after 3 retries") }
            guard users.contains(where: { $0.id == item.id }) else { return .failed(message: "no user has the id \(item.id)") }
            if let message = users.first(where: { $0.id == item.id }).flatMap({ refused[$0.properties[matchingProperty]?.text ?? ""] }) {
                return .failed(message: message)
            }
            merge(item.user, into: item.id)
            return .updated(id: item.id)
        }
    }

    func upsert(property: String, _ users: [ValueObject]) async -> [WriteResult] {
        upsertRequests += 1
        return users.map { user in
            if let refusal = refusal(user) { return refusal }
            if let existing = self.users(matching: user[property], property: property).first {
                merge(user, into: existing)
                return .updated(id: existing)
            }
            return .created(id: insert(user))
        }
    }

    func schema() async throws(ApplicationError) -> ObjectType { ObjectType(properties: []) }

    func test() async throws(ApplicationError) {}

    // MARK: Storage

    private func refusal(_ user: ValueObject) -> WriteResult? {
        if let writeRejection { return .rejected(writeRejection) }
        if writesFail { return .failed(message: "HTTP 500 after 3 retries") }
        if let message = refused[user[matchingProperty]?.text ?? ""] { return .failed(message: message) }
        return nil
    }

    private func insert(_ user: ValueObject) -> String {
        let id = String(nextID)
        nextID += 1
        users.append(User(id: id, properties: user))
        return id
    }

    private func merge(_ user: ValueObject, into id: String) {
        guard let index = users.firstIndex(where: { $0.id == id }) else { return }
        for member in user.members { users[index].properties[member.key] = member.value }
    }

    private func users(matching value: Value?, property: String? = nil) -> [String] {
        let property = property ?? matchingProperty
        guard let value else { return [] }
        return users.filter { same($0.properties[property], value, property: property) }.map(\.id)
    }

    private func same(_ held: Value?, _ wanted: Value, property: String) -> Bool {
        guard let held, !held.isNull else { return false }
        if capabilities.caseInsensitiveProperties.contains(property) {
            return held.text.lowercased() == wanted.text.lowercased()
        }
        return held.text == wanted.text
    }
}
