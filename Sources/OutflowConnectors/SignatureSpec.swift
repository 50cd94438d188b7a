import Foundation
import OutflowCore

/// How a connector signs what it sends (DESIGN 9b, webhook): Standard Webhooks
/// (https://www.standardwebhooks.com) `webhook-id`, `webhook-timestamp` and `webhook-signature`.
///
/// ```json
/// "signature": {"type": "standard-webhooks", "secret": "{{ settings.secret }}"}
/// ```
/// The signature is `v1,BASE64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))`, the key being the
/// base64 text after `whsec_` (a secret without that prefix is used as it is). With no secret set,
/// requests carry `webhook-id` and `webhook-timestamp` but no signature. The id is deterministic
/// (``DeliveryID``), so a repeated delivery has the same id and receivers can drop it.
public struct SignatureSpec: Sendable {
    public var secret: Template

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> SignatureSpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let type = fields.string("type", required: true)
        if let type, type != "standard-webhooks" {
            fields.issues.append(Diagnostic(path: fields.memberPath("type"), message: "expected \"standard-webhooks\", found \"\(type)\""))
        }
        let spec = SignatureSpec(secret: fields.template("secret", required: true) ?? .literal(.null))
        fields.rejectUnknown()
        return spec
    }

    /// The three headers for a body sent at `timestamp` (Unix seconds) with delivery id `id`.
    static func headers(secret: String?, id: String, timestamp: Int, body: [UInt8]) -> [(String, String)] {
        var headers = [("webhook-id", id), ("webhook-timestamp", String(timestamp))]
        if let secret, !secret.isEmpty {
            let key: [UInt8]
            if secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))) {
                key = Array(data)
            } else {
                key = Array(secret.utf8)
            }
            let mac = Digest.hmacSHA256(key: key, message: Array("\(id).\(timestamp).".utf8) + body)
            headers.append(("webhook-signature", "v1," + Data(mac).base64EncodedString()))
        }
        return headers
    }
}

/// Deterministic ids of deliveries: the same pipeline, matching values and payloads give the same id,
/// so a delivery sent again after a lost answer is recognisable (at-least-once delivery).
///
/// ```swift
/// let item = DeliveryID.item(pipeline: 7, matchingValue: "a@b.c", payload: bytes)   // "5f0c..."
/// let batch = DeliveryID.batch([item])                                                 // "msg_..."
/// ```
public enum DeliveryID {
    /// One item's id: SHA-256 over the pipeline id, the matching value and the payload's own SHA-256.
    public static func item(pipeline: Int64?, matchingValue: String?, payload: [UInt8]) -> String {
        let material = "\(pipeline.map(String.init) ?? "-")\n\(matchingValue ?? "")\n" + Digest.hex(Digest.sha256(payload))
        return String(Digest.hex(Digest.sha256(Array(material.utf8))).prefix(32))
    }

    /// A batch's `webhook-id`: `msg_` and the SHA-256 of its items' ids.
    public static func batch(_ itemIDs: [String]) -> String {
        "msg_" + String(Digest.hex(Digest.sha256(Array(itemIDs.joined(separator: ",").utf8))).prefix(32))
    }
}
