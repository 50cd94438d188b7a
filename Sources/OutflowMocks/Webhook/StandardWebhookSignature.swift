import Crypto
import Foundation

/// Standard Webhooks signatures (https://www.standardwebhooks.com, spec/standard-webhooks.md):
/// `webhook-signature: v1,BASE64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}"))`,
/// several space-separated signatures allowed (key rotation), the key being the base64 text after
/// `whsec_` in the secret. A timestamp more than 5 minutes off is refused, against replays.
///
/// ```swift
/// let signer = StandardWebhookSignature(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
/// let header = signer.sign(id: "msg_1", timestamp: 1_700_000_000, body: bytes)   // "v1,..."
/// ```
public struct StandardWebhookSignature: Sendable {
    public static let tolerance: TimeInterval = 300
    /// Raw key bytes; `SymmetricKey` itself is not Sendable.
    private let key: [UInt8]

    public init(secret: String) {
        if secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))) {
            key = Array(data)
        } else {
            key = Array(secret.utf8)
        }
    }

    /// The `webhook-signature` value for a delivery.
    public func sign(id: String, timestamp: Int, body: [UInt8]) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Why a delivery fails verification, in words for the receiver's log.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missingHeader(String)
        case invalidTimestamp(String)
        case timestampOutOfTolerance(Int)
        case noMatchingSignature

        public var description: String {
            switch self {
            case .missingHeader(let name): return "missing \(name) header"
            case .invalidTimestamp(let text): return "webhook-timestamp «\(text)» is not a Unix time in seconds"
            case .timestampOutOfTolerance(let seconds): return "webhook-timestamp is \(seconds) s away from now (at most 300 s allowed)"
            case .noMatchingSignature: return "no signature in webhook-signature matches the body"
            }
        }
    }

    /// Checks the three headers against `body`.
    public func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8], now: Date = Date()) throws(Failure) {
        guard let id, !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard let timestampText = timestamp else { throw .missingHeader("webhook-timestamp") }
        guard let signature else { throw .missingHeader("webhook-signature") }
        guard let seconds = Int(timestampText) else { throw .invalidTimestamp(timestampText) }
        let skew = Int(now.timeIntervalSince1970) - seconds
        guard abs(skew) <= Int(Self.tolerance) else { throw .timestampOutOfTolerance(skew) }
        let expected = sign(id: id, timestamp: seconds, body: body)
        let candidates = signature.split(separator: " ").map(String.init)
        guard candidates.contains(where: { Self.constantTimeEquals($0, expected) }) else { throw .noMatchingSignature }
    }

    private static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
