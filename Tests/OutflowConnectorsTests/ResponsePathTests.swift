import OutflowConnectors
import OutflowCore
import Testing

/// Paths into answers, parsed once when the connector file is read.
@Suite struct ResponsePathTests {
    static let answer: JSONValue = [
        "results": [["id": "1", "properties": ["email": "a@b.c", "address": ["city": "Vigo"]]], ["id": "2"]],
        "context": ["objectWriteTraceId": ["7", "8"]], "matrix": [[1, 2], [3, 4]], "flag": true,
    ]

    @Test(arguments: [
        ("results[0].id", JSONValue?.some("1")), ("results[1].id", "2"), ("results[2].id", nil), ("context.objectWriteTraceId[1]", "8"),
        ("matrix[1][0]", .number("3")), ("flag", true), ("missing.deeper", nil), ("results[0].properties.address.city", "Vigo"),
        ("", answer), ("results[x]", nil),
    ])
    func pathsReadTheirValue(_ path: String, _ expected: JSONValue?) {
        #expect(ResponsePath(path).read(Self.answer) == expected)
    }

    @Test func propertyPlaceholdersAreFilledPerRead() throws {
        let record = try #require(Self.answer["results"]?[0])
        let path = ResponsePath("properties.{property}")
        #expect(path.read(record, property: "email") == "a@b.c")
        #expect(path.read(record, property: "address.city") == "Vigo")
        #expect(path.read(record, property: "phone") == nil)
        #expect(ResponsePath("context.objectWriteTraceId").string(Self.answer) == "7")
    }
}
