import Testing

@testable import OutflowCore

/// The byte writer (request bodies, payload hashes) writes exactly the text of the String writer:
/// the export state's payload hashes of earlier runs stay valid only if it does.
@Suite struct JSONByteWriterTests {
    static let texts = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, #""plain""#, #""quote \" and backslash \\ and slash /""#,
        #""controls \n \r \t \b \f \u0000 \u001f \u0007""#, #""unicode A Coruña 日本 😀""#, #"[]"#, #"{}"#, #"[1.50,-0,1e400,12345678901234567890]"#,
        #"{"email":"a@b.c","firstname":"Ana","lastname":"López","phone":"+34981913525","country":"ES","city":"A Coruña"}"#,
    ]

    @Test(arguments: texts)
    func bytesAreTheStringWritersText(_ text: String) throws {
        let value = try JSONParser.parse(text)
        var viaString = ""
        JSONWriter.write(value, to: &viaString)
        #expect(JSONByteWriter.bytes(value) == Array(viaString.utf8))
        #expect(JSONWriter.string(value) == viaString)
    }

    @Test func everyControlCharacterIsEscapedAsTheStringWriterDoes() {
        let text = String((0 ..< 0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\"\\x\u{7F}"
        var viaString = ""
        JSONWriter.writeString(text, to: &viaString)
        var bytes: [UInt8] = []
        JSONByteWriter.writeString(text, to: &bytes)
        #expect(bytes == Array(viaString.utf8))
    }
}
