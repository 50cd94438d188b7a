import Foundation
import OutflowServer
import Testing

@Suite("SecretBox: AES-GCM sealing of connection secrets")
struct SecretBoxTests {
    @Test("seal then open gives the plaintext back; each seal differs and hides the plaintext")
    func roundTrip() throws {
        let box = try SecretBox(base64Key: WorkspaceFixtures.key)
        let first = try box.seal("pat-na1-secret")
        let second = try box.seal("pat-na1-secret")
        #expect(first.hasPrefix(SecretBox.prefix))
        #expect(SecretBox.isSealed(first))
        #expect(!first.contains("pat-na1-secret"))
        #expect(first != second)
        #expect(try box.open(first) == "pat-na1-secret")
        #expect(try box.open(second) == "pat-na1-secret")
        #expect(try box.open(try box.seal("")) == "")
    }

    @Test("another key cannot open it, and says which variable is wrong")
    func wrongKey() throws {
        let sealed = try SecretBox(base64Key: WorkspaceFixtures.key).seal("pat-na1-secret")
        let other = try SecretBox(base64Key: Data(repeating: 9, count: 32).base64EncodedString())
        #expect {
            try other.open(sealed)
        } throws: { error in
            "\(error)".contains("OUTFLOW_SECRET_KEY") && !"\(error)".contains("pat-na1-secret")
        }
        #expect(throws: SecretBoxError.self) { try other.open("enc:v1:not-base64!") }
        #expect(throws: SecretBoxError.self) { try other.open("plain text") }
    }

    @Test("a key that is not 32 bytes of base64 is refused", arguments: ["", "not base64 at all", Data(repeating: 1, count: 16).base64EncodedString()])
    func badKey(_ key: String) {
        #expect {
            _ = try SecretBox(base64Key: key)
        } throws: { error in
            "\(error)".contains("32 bytes")
        }
    }

    @Test("fromEnvironment: nil without the variable, a box with it, an error for a bad one")
    func environment() throws {
        #expect(try SecretBox.fromEnvironment([:]) == nil)
        #expect(try SecretBox.fromEnvironment(["OUTFLOW_SECRET_KEY": WorkspaceFixtures.key]) != nil)
        #expect(throws: SecretBoxError.self) { _ = try SecretBox.fromEnvironment(["OUTFLOW_SECRET_KEY": "short"]) }
    }
}
