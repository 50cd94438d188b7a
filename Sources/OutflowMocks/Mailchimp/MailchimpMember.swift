import Crypto
import Foundation
import OutflowCore

/// One member of one Mailchimp list (audience).
struct MailchimpMember: Sendable {
    let listId: String
    var emailAddress: String
    var status: String
    var mergeFields: JSONObject
    var tags: [String]
    let timestampSignup: Date
    var lastChanged: Date

    /// The member's id and the `{subscriber_hash}` of its paths.
    var id: String { Self.subscriberHash(emailAddress) }

    /// Statuses a write may set; `archived` is only ever read.
    static let writableStatuses: Set<String> = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"]

    /// `md5(lower(email))` in lower-case hex, as Mailchimp defines the subscriber hash.
    static func subscriberHash(_ email: String) -> String {
        let digest = Insecure.MD5.hash(data: Data(email.trimmingCharacters(in: .whitespaces).lowercased().utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The shape of `GET /3.0/lists/{list_id}/members/{subscriber_hash}` (the fields the mock keeps).
    var json: JSONValue {
        let tagList = tags.map { name -> JSONValue in
            ["id": .number(String(Self.tagId(name))), "name": .string(name)]
        }
        return .object(jsonObject([
            "id": .string(id),
            "email_address": .string(emailAddress),
            "unique_email_id": .string(String(id.prefix(10))),
            "contact_id": .string(id),
            "full_name": .string([mergeFields["FNAME"]?.stringValue, mergeFields["LNAME"]?.stringValue]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")),
            "email_type": "html",
            "status": .string(status),
            "merge_fields": .object(mergeFields),
            "tags_count": .number(String(tags.count)),
            "tags": .array(tagList),
            "timestamp_signup": .string(Self.timestamp(timestampSignup)),
            "last_changed": .string(Self.timestamp(lastChanged)),
            "list_id": .string(listId),
        ]))
    }

    /// A stable numeric id per tag name (Mailchimp gives each tag of an account a number).
    static func tagId(_ name: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash % 9_000_000) + 1_000_000
    }

    /// Mailchimp's timestamps: ISO 8601, seconds, `+00:00`.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'+00:00'"
        return formatter.string(from: date)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle().parse(text.replacingOccurrences(of: "+00:00", with: "Z"))
    }

    /// The check Mailchimp's "Please provide a valid email address." stands for, approximately:
    /// one `@`, a non-empty local part, a dotted domain with a top-level part of two letters or more.
    static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !email.contains(where: { $0.isWhitespace }) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let top = labels.last else { return false }
        return top.count >= 2 && top.allSatisfy(\.isLetter)
    }
}
