import Foundation
import OutflowCore

/// One Klaviyo profile: its id and its attributes as Klaviyo returns them (`location` and
/// `properties` nested), plus creation and update times.
struct KlaviyoProfile: Sendable {
    let id: String
    /// The writable attributes that are set, `location` and `properties` as objects.
    var attributes: JSONObject
    let created: Date
    var updated: Date

    /// The top-level attributes a client may write; anything else is refused as Klaviyo does.
    static let writable = [
        "email", "phone_number", "external_id", "anonymous_id", "first_name", "last_name", "organization", "locale", "title", "image",
        "location", "properties",
    ]
    static let locationKeys = ["address1", "address2", "city", "country", "latitude", "longitude", "region", "zip", "timezone", "ip"]
    /// The identifiers Klaviyo keeps unique across profiles; a second profile with one is a 409.
    static let identifiers = ["email", "phone_number", "external_id"]

    var email: String? { attributes["email"]?.stringValue }

    /// The value of identifier `name` as compared for uniqueness (emails without regard to case).
    func identifier(_ name: String) -> String? {
        guard let value = attributes[name]?.stringValue, !value.isEmpty else { return nil }
        return name == "email" ? value.lowercased() : value
    }

    /// The JSON:API resource object of GET one's `data`, with every standard attribute (null when unset).
    func resource(origin: String) -> JSONValue {
        var attrs = JSONObject()
        for name in ["email", "phone_number", "external_id", "anonymous_id", "first_name", "last_name", "organization", "locale", "title", "image"] {
            attrs[name] = attributes[name] ?? .null
        }
        attrs["created"] = .string(Self.timestamp(created))
        attrs["updated"] = .string(Self.timestamp(updated))
        attrs["last_event_date"] = .null
        var location = JSONObject()
        let given = attributes["location"]?.objectValue ?? JSONObject()
        for key in Self.locationKeys { location[key] = given[key] ?? .null }
        attrs["location"] = .object(location)
        attrs["properties"] = attributes["properties"] ?? .object(JSONObject())
        return .object(jsonObject([
            "type": "profile", "id": .string(id), "attributes": .object(attrs),
            "links": ["self": .string("\(origin)/api/profiles/\(id)/")],
        ]))
    }

    /// Klaviyo's timestamps: `2024-01-02T03:04:05+00:00`.
    static func timestamp(_ date: Date) -> String {
        String(date.formatted(Date.ISO8601FormatStyle()).dropLast()) + "+00:00"
    }

    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// A new id in Klaviyo's form: 26 characters of Crockford base32, like a ULID.
    static func makeId(_ number: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var digits: [Character] = []
        var rest = number
        for _ in 0..<16 {
            digits.append(alphabet[rest % 32])
            rest /= 32
        }
        return "01HZK7Q3M9PX" + String(digits.reversed()).dropFirst(2)
    }
}
