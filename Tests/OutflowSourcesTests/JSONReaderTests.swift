import Foundation
import OutflowCore
import Testing
@testable import OutflowSources

func readNDJSON(_ text: String, chunkSize: Int = 1 << 20, batchSize: Int = 1024) throws -> [ReadRow] {
    let directory = try TemporaryDirectory()
    let url = try directory.write("profiles.ndjson", text)
    var reader = try NDJSONReader(url: url, displayPath: "profiles.ndjson", batchSize: batchSize, chunkSize: chunkSize)
    let result = readAll(&reader, schema: Schemas.customers)
    if let error = result.error { throw error }
    return result.rows
}

func readJSONArray(_ text: String, chunkSize: Int = 1 << 20, batchSize: Int = 1024) throws -> (rows: [ReadRow], error: SourceError?) {
    let directory = try TemporaryDirectory()
    let url = try directory.write("profiles.json", text)
    var reader = try JSONArrayReader(url: url, displayPath: "profiles.json", batchSize: batchSize, chunkSize: chunkSize)
    return readAll(&reader, schema: Schemas.customers)
}

@Suite struct NDJSONReaderTests {
    @Test func readsOneProfilePerLineSkippingBlankLines() throws {
        let rows = try readNDJSON(
            """
            {"id": 1, "email": "a@b.c", "address": {"country": "ES", "city": "Vigo"}}

              \t
            {"id": 2, "email": "d@e.f", "age": null}
            """)
        #expect(rows.map(\.record) == [1, 2])
        #expect(rows.map(\.line) == [1, 4])
        #expect(
            rows[0].profile
                == ValueObject([
                    ("id", .int(1)), ("email", .string("a@b.c")),
                    ("address", .object(ValueObject([("city", .string("Vigo")), ("country", .string("ES"))]))),
                ]))
        #expect(rows[1].profile == ValueObject([("id", .int(2)), ("email", .string("d@e.f")), ("age", .null)]))
    }

    @Test func badLinesFailOnlyTheirProfile() throws {
        let rows = try readNDJSON(
            """
            {"id": 1, "email": "a@b.c"}
            {"id": 2, "email": "d@e.f",}
            [1, 2]
            {"id": 3, "emial": "x"}
            {"id": 4, "email": "g@h.i", "age": "old"}
            {"id": 5, "email": null}
            {"id": 6, "email": "ok"}
            """)
        #expect(rows.count == 7)
        #expect(rows[0].error == nil)
        #expect(rows[1].error == "line 2: invalid JSON at column 28: expected a member name in double quotes, found '}'")
        #expect(rows[2].error == "line 3: expected a JSON object for a profile, found an array")
        #expect(rows[3].error == "line 4: unknown property «emial»; did you mean \"email\"?")
        #expect(rows[4].error == "line 5: «age»: expected a JSON value for int(16), found a string «\"old\"»")
        #expect(rows[5].error == "line 6: «email»: null is not allowed")
        #expect(rows[6].error == nil)
    }

    @Test func crlfAndByteOrderMark() throws {
        let lf = try readNDJSON("{\"id\": 1, \"email\": \"a@b.c\"}\n{\"id\": 2, \"email\": \"d\"}\n")
        let directory = try TemporaryDirectory()
        let url = try directory.write("p.ndjson", bytes: [0xEF, 0xBB, 0xBF] + Array("{\"id\": 1, \"email\": \"a@b.c\"}\r\n{\"id\": 2, \"email\": \"d\"}\r\n".utf8))
        var reader = try NDJSONReader(url: url, displayPath: "p.ndjson")
        #expect(readAll(&reader, schema: Schemas.customers).rows == lf)
        #expect(lf.count == 2)
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func linesStraddlingChunksReadTheSame(chunkSize: Int) throws {
        let text = (1 ... 20).map { #"{"id": \#($0), "email": "user\#($0)@example.com", "name": "Łukasz \u00e9 \#($0)", "score": 1.25}"# }
            .joined(separator: "\n") + "\nnot json"
        let expected = try readNDJSON(text)
        #expect(expected.count == 21)
        #expect(try readNDJSON(text, chunkSize: chunkSize, batchSize: 3) == expected)
    }
}

@Suite struct JSONArrayReaderTests {
    @Test func readsAnArrayOfProfiles() throws {
        let (rows, error) = try readJSONArray(
            """
            [
              {"id": 1, "email": "a@b.c", "tags": ["x"]},
              {
                "id": 2,
                "email": "d@e.f"
              },
              42,
              {"id": 3, "email": "g@h.i", "vip": "yes"}
            ]

            """)
        #expect(error == nil)
        #expect(rows.map(\.record) == [1, 2, 3, 4])
        #expect(rows.map(\.line) == [2, 3, 7, 8])
        #expect(rows[0].profile == ValueObject([("id", .int(1)), ("email", .string("a@b.c")), ("tags", .array([.string("x")]))]))
        #expect(rows[1].profile == ValueObject([("id", .int(2)), ("email", .string("d@e.f"))]))
        #expect(rows[2].error == "line 7: expected a JSON object for a profile, found a number")
        #expect(rows[3].error == "line 8: «vip»: expected a JSON value for boolean, found a string «\"yes\"»")
    }

    @Test func emptyArrayHasNoProfiles() throws {
        let (rows, error) = try readJSONArray(" [ ] \n")
        #expect(rows.isEmpty)
        #expect(error == nil)
    }

    @Test func aSyntaxErrorMidArrayIsFatalAfterTheGoodProfiles() throws {
        let (rows, error) = try readJSONArray("[\n{\"id\": 1, \"email\": \"a\"},\n{\"id\": 2, \"email\": \"b\"},\n{\"id\": 3,\n \"email\" \"c\"},\n{\"id\": 4}]")
        #expect(rows.map(\.record) == [1, 2])
        #expect(
            error
                == SourceError(
                    file: "profiles.json", line: 5,
                    message: "invalid JSON: expected ':' after the member name, found '\"'; the profiles before this point were read, the rest of the file is skipped"))
    }

    @Test func structuralErrors() throws {
        #expect(try readJSONArray("[{\"id\": 1, \"email\": \"a\"} {\"id\": 2}]").error?.message == "expected ',' or ']' after a profile, found '{'")
        #expect(try readJSONArray("[{\"id\": 1, \"email\": \"a\"},").error?.message == "the file ends before the array is closed with ']'")
        #expect(try readJSONArray("[{\"id\": 1, \"email\": \"a\"}] x").error?.message == "unexpected 'x' after the end of the array")
        #expect(try readJSONArray("[{\"id\": 1, \"email\": \"a\"}] x").rows.count == 1)
    }

    @Test func openingErrors() throws {
        let directory = try TemporaryDirectory()
        for (text, message) in [
            ("", "profiles.json: the file is empty; a JSON source holds one array of profile objects"),
            ("\n {\"id\": 1}", "profiles.json: line 2: expected a JSON array of profile objects, found '{' (for one object per line, use the ndjson format)"),
        ] {
            let url = try directory.write("profiles.json", text)
            #expect(throws: Never.self) { try FileManager.default.attributesOfItem(atPath: url.path) }
            do {
                _ = try JSONArrayReader(url: url, displayPath: "profiles.json")
                Issue.record("no error for \(text)")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    static let straddling: String = {
        let elements = (1 ... 25).map { i in
            #"{"id": \#(i), "email": "u\#(i)@example.com", "vip": \#(i % 2 == 0 ? "false" : "true"), "name": "\u00e9\u00e8 \ud83d\ude00 \#(i)", "score": 12\#(i), "meta": null}"#
        }
        return "\u{FEFF}[\n" + elements.joined(separator: ",\n") + "\n]\n"
    }()

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func elementsStraddlingChunksReadTheSame(chunkSize: Int) throws {
        let expected = try readJSONArray(Self.straddling)
        #expect(expected.error == nil)
        #expect(expected.rows.count == 25)
        #expect(expected.rows[0].profile["name"] == .string("éè 😀 1"))
        #expect(expected.rows[24].profile["score"] == .float(1225))
        let chunked = try readJSONArray(Self.straddling, chunkSize: chunkSize, batchSize: 4)
        #expect(chunked.error == nil)
        #expect(chunked.rows == expected.rows)
    }
}
