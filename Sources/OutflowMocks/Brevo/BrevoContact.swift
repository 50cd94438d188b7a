import Foundation
import OutflowCore

/// One Brevo contact: its numeric id, email (stored lower-case, as Brevo does), flags, attributes
/// (upper-case names) and list memberships.
struct BrevoContact: Sendable {
    let id: Int
    var email: String?
    var extId: String?
    var emailBlacklisted = false
    var smsBlacklisted = false
    var attributes = JSONObject()
    var listIds: [Int] = []
    let createdAt: Date
    var modifiedAt: Date

    /// The shape of `GET /v3/contacts/{identifier}`.
    var json: JSONValue {
        var object = jsonObject(["email": email.map { .string($0) } ?? .null, "id": .number(String(id))])
        if let extId { object["ext_id"] = .string(extId) }
        object["emailBlacklisted"] = .bool(emailBlacklisted)
        object["smsBlacklisted"] = .bool(smsBlacklisted)
        object["createdAt"] = .string(Self.timestamp(createdAt))
        object["modifiedAt"] = .string(Self.timestamp(modifiedAt))
        object["attributes"] = .object(attributes)
        object["listIds"] = .array(listIds.map { .number(String($0)) })
        object["statistics"] = .object(JSONObject())
        return .object(object)
    }

    /// Brevo's timestamps: `2024-01-02T03:04:05.000+00:00`.
    static func timestamp(_ date: Date) -> String {
        let text = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return String(text.dropLast()) + "+00:00"
    }

    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
