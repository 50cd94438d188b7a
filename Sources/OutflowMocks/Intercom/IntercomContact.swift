import Foundation
import OutflowCore

/// One Intercom contact, kept as the JSON object Intercom returns (`type: "contact"`), so loads,
/// answers and `/__mock/users` share one shape.
struct IntercomContact: Sendable {
    var object: JSONObject

    var id: String { object["id"]?.stringValue ?? "" }
    var role: String { object["role"]?.stringValue ?? "user" }
    var isUser: Bool { role == "user" }
    /// Lower-cased: Intercom matches emails without regard to case.
    var email: String? { object["email"]?.stringValue.flatMap { $0.isEmpty ? nil : $0.lowercased() } }
    var externalId: String? { object["external_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }

    /// The fields a create or update may set; the rest are Intercom's to maintain.
    static let writable = [
        "role", "external_id", "email", "phone", "name", "avatar", "signed_up_at", "last_seen_at", "owner_id", "unsubscribed_from_emails",
        "custom_attributes",
    ]

    static func new(id: String, now: Int) -> IntercomContact {
        IntercomContact(object: jsonObject([
            "type": "contact", "id": .string(id), "workspace_id": "ecahpwf5", "external_id": .null, "role": "user", "email": .null,
            "phone": .null, "name": .null, "avatar": .null, "owner_id": .null, "has_hard_bounced": false, "marked_email_as_spam": false,
            "unsubscribed_from_emails": false, "created_at": .number(String(now)), "updated_at": .number(String(now)), "signed_up_at": .null,
            "last_seen_at": .null, "custom_attributes": .object(JSONObject()),
        ]))
    }

    var json: JSONValue { .object(object) }

    /// Intercom's ids: 24 hexadecimal digits.
    static func makeId(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return "65b2" + String(repeating: "0", count: max(0, 20 - hex.count)) + hex
    }
}
