import Testing
@testable import OutflowCore

@Suite struct JSONParserTests {
    @Test func parsesNested() throws {
        let value = try JSONParser.parse(#"{"a": [1, 2.50, null, "x\u00e9"], "b": {"c": true}}"#)
        #expect(value["a"]?[1] == .number("2.50"))
        #expect(value["a"]?[3] == .string("xé"))
        #expect(value["b"]?["c"] == .bool(true))
    }
}
