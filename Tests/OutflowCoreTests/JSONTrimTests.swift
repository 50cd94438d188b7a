import OutflowCore
import Testing

/// `JSONParser.parse(bytes:trimming:)`: the records keep only the named members; everything else,
/// and every syntax error, is as the full parser has it.
@Suite("JSON trimmed parse")
struct JSONTrimTests {
    static let trim = JSONTrim(records: "results", keep: ["id", "new", "objectWriteTraceId"])

    /// The full parse with the records' other members removed: what the trimmed parse must give.
    static func expected(_ text: String) throws -> JSONValue {
        guard case .object(var top) = try JSONParser.parse(text) else { return try JSONParser.parse(text) }
        if case .array(let records)? = top["results"] {
            top["results"] = .array(
                records.map { record in
                    guard case .object(let members) = record else { return record }
                    return .object(JSONObject(members.members.filter { trim.keep.contains($0.key) }))
                })
        }
        return .object(top)
    }

    @Test(arguments: [
        // HubSpot's batch upsert answer, with nested, escaped, numeric and literal members to skip.
        #"{"status":"COMPLETE","results":[{"id":"101","properties":{"email":"a@x.org","city":"A Coru\u00f1a","n":"say \"hi\"\\"},"createdAt":"2024-01-01T00:00:00.000Z","archived":false,"new":true,"objectWriteTraceId":"item-0","score":-1.5e3,"tags":[[],{},[null,true,{"a":[1,2]}]]},{"id":"102","new":false,"objectWriteTraceId":"item-1","x":null}],"errors":[{"message":"bad","context":{"objectWriteTraceId":["item-2"]},"properties":{"kept":"yes"}}],"startedAt":"t"}"#,
        #"{"results":[]}"#,
        #"{"results":[{}, 5, "text", [1], {"id": 3}]}"#,
        #"{"other":[{"id":1,"properties":{"a":"b"}}],"results":{"id":1,"properties":{}}}"#,
        #"  {"results" : [ { "properties" : { } , "id" : "1" } ] }  "#,
        #"[{"id":1,"properties":{}}]"#,
        #""just a string""#,
    ])
    func keepsOnlyTheNamedMembersOfEachRecord(_ text: String) throws {
        let trimmed = try JSONParser.parse(bytes: Array(text.utf8), trimming: Self.trim)
        #expect(trimmed == (try Self.expected(text)))
    }

    /// Errors inside skipped members are still errors, with the full parser's message.
    @Test(arguments: [
        #"{"results":[{"id":"1","properties":{"a":"b"}]}"#,  // '}' missing
        #"{"results":[{"id":"1","properties":{"a" "b"}}]}"#,  // ':' missing
        #"{"results":[{"id":"1","properties":{"a":"b}}]}"#,  // string never closed
        #"{"results":[{"id":"1","archived":flase}]}"#,  // bad literal
        #"{"results":[{"id":"1","n":-}]}"#,  // bad number
        #"{"results":[{"id":"1","s":"a\u0001b"}]}"#,  // raw control character
        #"{"results":[{"id":"1","a":[1 2]}]}"#,  // ',' missing in an array
        #"{"results":[{"id":"1"}]} x"#,  // trailing text
    ])
    func syntaxErrorsInSkippedMembersAreReported(_ text: String) throws {
        let raw = text.replacingOccurrences(of: #"\u0001"#, with: "\u{1}")
        var full: JSONSyntaxError?
        do { _ = try JSONParser.parse(bytes: Array(raw.utf8)) } catch { full = error }
        var trimmed: JSONSyntaxError?
        do { _ = try JSONParser.parse(bytes: Array(raw.utf8), trimming: Self.trim) } catch { trimmed = error }
        #expect(full != nil)
        #expect(trimmed?.description == full?.description)
    }

    @Test func deepNestingInASkippedMemberIsRefused() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 5) + String(repeating: "]", count: JSONParser.maximumDepth + 5)
        let text = #"{"results":[{"id":"1","deep":"# + deep + "}]}"
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes: Array(text.utf8), trimming: Self.trim) }
    }
}
