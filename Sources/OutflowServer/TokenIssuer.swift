import Crypto
import Foundation
import OutflowStore

/// Makes API tokens and the hashes that stand for them in the store (`outflow tokens create`).
///
/// A token is 32 random bytes, base64url, prefixed `ofw_` (workspace) or `ofa_` (admin) so a
/// leaked one is recognisable; only its SHA-256 is stored, so the store cannot give it back.
///
/// ```swift
/// let token = try TokenIssuer.create(workspace: "demo", store: store)   // printed once, never stored
/// ```
public enum TokenIssuer {
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Creates a token for `workspace`, or an admin token when it is nil, stores its hash, returns it.
    public static func create(workspace: String?, store: StateStore) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let body = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let token = (workspace == nil ? "ofa_" : "ofw_") + body
        try store.insertToken(APIToken(hash: hash(token), workspace: workspace, admin: workspace == nil))
        return token
    }
}
