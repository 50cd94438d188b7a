import Foundation
import OutflowCore

/// One MailerLite subscriber, kept as the object inside `{"data": ...}` of GET one, so loads,
/// answers and `/__mock/users` share one shape.
struct MailerLiteSubscriber: Sendable {
    var object: JSONObject

    var id: String { object["id"]?.stringValue ?? "" }
    /// Lower-cased: MailerLite identifies subscribers by email without regard to case.
    var email: String { object["email"]?.stringValue?.lowercased() ?? "" }

    static let statuses = ["active", "unsubscribed", "unconfirmed", "bounced", "junk"]

    static func new(id: String, email: String, fieldKeys: [String], now: Date) -> MailerLiteSubscriber {
        let stamp = JSONValue.string(timestamp(now))
        return MailerLiteSubscriber(object: jsonObject([
            "id": .string(id), "email": .string(email), "status": "active", "source": "api", "sent": 0, "opens_count": 0,
            "clicks_count": 0, "open_rate": 0, "click_rate": 0, "ip_address": .null, "subscribed_at": stamp, "unsubscribed_at": .null,
            "created_at": stamp, "updated_at": stamp, "fields": .object(JSONObject(fieldKeys.map { (key: $0, value: JSONValue.null) })),
            "groups": [], "opted_in_at": .null, "optin_ip": .null,
        ]))
    }

    var json: JSONValue { .object(object) }

    /// MailerLite's timestamps: `2024-01-02 03:04:05`, UTC.
    static func timestamp(_ date: Date) -> String {
        let text = date.formatted(Date.ISO8601FormatStyle())
        return String(text.dropLast()).replacingOccurrences(of: "T", with: " ")
    }
}
