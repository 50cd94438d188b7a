@preconcurrency import Crypto
import Foundation

/// Seals connection secrets for the store with AES-256-GCM under the key in `OUTFLOW_SECRET_KEY`
/// (32 bytes, base64), so a copy of the state store alone does not give away a credential.
///
/// A sealed value is the text `enc:v1:` + base64(nonce | ciphertext | tag); it replaces the
/// secret in the stored workspace document and in its revisions.
///
/// ```swift
/// let box = try SecretBox(base64Key: environment["OUTFLOW_SECRET_KEY"]!)
/// let sealed = try box.seal("pat-na1-...")      // "enc:v1:..."
/// let plain = try box.open(sealed)              // "pat-na1-..."
/// ```
public struct SecretBox: @unchecked Sendable {
    public static let prefix = "enc:v1:"
    public static let environmentVariable = "OUTFLOW_SECRET_KEY"
    /// Immutable after init (swift-crypto's key type is not marked Sendable).
    private let key: SymmetricKey

    public init(base64Key: String) throws(SecretBoxError) {
        guard let data = Data(base64Encoded: base64Key.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw SecretBoxError("\(Self.environmentVariable) must be 32 bytes in base64 (for example: openssl rand -base64 32)")
        }
        key = SymmetricKey(data: data)
    }

    /// The box of `OUTFLOW_SECRET_KEY`, nil when it is not set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretBoxError) -> SecretBox? {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        return try SecretBox(base64Key: text)
    }

    public static func isSealed(_ text: String) -> Bool { text.hasPrefix(prefix) }

    public func seal(_ plaintext: String) throws(SecretBoxError) -> String {
        do {
            let box = try AES.GCM.seal(Data(plaintext.utf8), using: key)
            guard let combined = box.combined else { throw SecretBoxError("cannot seal a secret") }
            return Self.prefix + combined.base64EncodedString()
        } catch let error as SecretBoxError {
            throw error
        } catch {
            throw SecretBoxError("cannot seal a secret: \(error)")
        }
    }

    public func open(_ sealed: String) throws(SecretBoxError) -> String {
        guard Self.isSealed(sealed), let data = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))) else {
            throw SecretBoxError("a stored secret is not in the sealed form")
        }
        do {
            let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key)
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw SecretBoxError("a stored secret cannot be opened: \(Self.environmentVariable) is not the key it was sealed with")
        }
    }
}

public struct SecretBoxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
