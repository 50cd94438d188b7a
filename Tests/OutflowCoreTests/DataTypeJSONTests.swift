import Testing
@testable import OutflowCore

@Suite struct DataTypeJSONTests {
    /// One schema JSON per kind (and constraint), each of which must decode and encode back unchanged.
    static let roundTripCases: [String] = [
        #"{"kind":"string"}"#,
        #"{"kind":"string","maxLength":100,"maxBytes":400,"pattern":"^[a-z]+$","values":["a","b"]}"#,
        #"{"kind":"boolean"}"#,
        #"{"kind":"int","bitSize":16}"#,
        #"{"kind":"int","bitSize":64,"unsigned":true,"minimum":1,"maximum":18446744073709551615}"#,
        #"{"kind":"int","bitSize":32,"minimum":-5,"maximum":5}"#,
        #"{"kind":"float","bitSize":32,"real":true,"minimum":0,"maximum":1.5}"#,
        #"{"kind":"decimal","precision":10,"scale":2,"minimum":-5.5,"maximum":100}"#,
        #"{"kind":"datetime"}"#, #"{"kind":"date"}"#, #"{"kind":"time"}"#, #"{"kind":"year"}"#,
        #"{"kind":"uuid"}"#, #"{"kind":"json"}"#, #"{"kind":"ip"}"#,
        #"{"kind":"array","elementType":{"kind":"string"},"minElements":1,"maxElements":3,"uniqueElements":true}"#,
        #"{"kind":"map","elementType":{"kind":"int","bitSize":8}}"#,
        #"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"},"readOptional":true,"createRequired":true,"updateRequired":true,"nullable":true,"description":"A"},{"name":"b","type":{"kind":"object","properties":[{"name":"c","type":{"kind":"date"}}]}}]}"#,
    ]

    @Test(arguments: roundTripCases)
    func roundTrips(_ text: String) throws {
        var issues: [Diagnostic] = []
        let type = try #require(DataType.decode(try JSONParser.parse(text), path: "t", issues: &issues))
        #expect(issues.isEmpty)
        #expect(JSONWriter.string(type.json) == text)
    }

    static let invalid: [(String, String, String)] = [
        (#"{"kind":"strng"}"#, "t.kind", #"unknown kind "strng"; did you mean "string"?"#),
        (#"{"maxLength":3}"#, "t.kind", "is required"),
        (#"{"kind":"string","maxLenght":3}"#, "t.maxLenght", #"unknown key; did you mean "maxLength"?"#),
        (#"{"kind":"string","maxLength":0}"#, "t.maxLength", "must be a positive integer"),
        (#"{"kind":"string","pattern":"("}"#, "t.pattern", "not a valid regular expression"),
        (#"{"kind":"int","bitSize":12}"#, "t.bitSize", "must be 8, 16, 24, 32 or 64"),
        (#"{"kind":"int","minimum":5,"maximum":1}"#, "t.minimum", "must not exceed maximum"),
        (#"{"kind":"float","bitSize":16}"#, "t.bitSize", "must be 32 or 64"),
        (#"{"kind":"decimal"}"#, "t.precision", "is required"),
        (#"{"kind":"decimal","precision":80}"#, "t.precision", "between 1 and 76"),
        (#"{"kind":"decimal","precision":5,"scale":6}"#, "t.scale", "between 0 and 5"),
        (#"{"kind":"array"}"#, "t.elementType", "is required"),
        (#"{"kind":"array","elementType":{"kind":"x"}}"#, "t.elementType.kind", "unknown kind"),
        (#"{"kind":"object","properties":[{"name":"1a","type":{"kind":"string"}}]}"#, "t.properties[0].name", "not a valid property name"),
        (#"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"}},{"name":"a","type":{"kind":"int"}}]}"#, "t.properties[1].name", "duplicate property name"),
        (#"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"},"nullabel":true}]}"#, "t.properties[0].nullabel", #"did you mean "nullable"?"#),
        (#"[1]"#, "t", "expected an object, found an array"),
    ]

    @Test(arguments: invalid)
    func reportsInvalid(_ text: String, _ path: String, _ fragment: String) throws {
        var issues: [Diagnostic] = []
        _ = DataType.decode(try JSONParser.parse(text), path: "t", issues: &issues)
        #expect(issues.contains { $0.path == path && $0.message.contains(fragment) }, "\(issues)")
    }

    @Test func schemaMustBeAnObject() throws {
        var issues: [Diagnostic] = []
        #expect(ObjectType.decodeSchema(try JSONParser.parse(#"{"kind":"string"}"#), path: "inSchema", issues: &issues) == nil)
        #expect(issues.first?.path == "inSchema.kind")
    }
}
