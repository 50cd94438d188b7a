import Foundation
import OutflowCore

/// One contact as the mock stores it: every property value as a string (HubSpot's own
/// representation), plus what search currently sees of it.
struct HubSpotContact: Sendable {
    let id: Int
    var properties: [String: String]
    let createdAt: Date
    var updatedAt: Date
    /// The properties search sees; nil until the contact is indexed (`search-lag`).
    var indexed: [String: String]?
    /// A write not yet visible to search, and when it becomes so.
    var pendingIndex: (properties: [String: String], visibleAt: ContinuousClock.Instant)?

    var email: String? { properties["email"] }

    /// The contact in the shape of HubSpot's get-one, with the properties `names` (nil: all stored).
    /// Asked-for properties the contact lacks come back as null, as HubSpot sends them.
    func json(properties names: [String]?, from source: [String: String]? = nil, extra: JSONObject = JSONObject()) -> JSONValue {
        let values = source ?? properties
        // The keys are distinct (a set, or a dictionary's), so the members are appended as they are,
        // not through the subscript's search for an existing key (a seventh of the mock's CPU).
        let keys = names.map { Set($0).union(HubSpotProperties.always).sorted() } ?? values.keys.sorted()
        let object = JSONObject(keys.map { key in (key: key, value: values[key].map { .string($0) } ?? .null) })
        var result = jsonObject([
            "id": .string(String(id)),
            "properties": .object(object),
            "createdAt": .string(Self.timestamp(createdAt)),
            "updatedAt": .string(Self.timestamp(updatedAt)),
            "archived": false,
        ])
        for (key, value) in extra.members { result[key] = value }
        return .object(result)
    }

    /// HubSpot's timestamps: UTC, milliseconds, `Z`.
    static func timestamp(_ date: Date) -> String { HubSpotTimestamp.format(date) }

    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
