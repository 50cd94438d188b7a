import Foundation
import OutflowCore
import Testing
@testable import OutflowSources

/// The same profiles written as CSV, a JSON array and NDJSON read to the same values.
@Suite struct FormatEquivalenceTests {
    static let csv = """
        id,email,name,age,score,vip,updated_at,address.street,address.city,address.country,tags,meta
        1,ana@example.com,Ana,42,15.5,true,2023-01-02T03:04:05Z,"Calle Mayor, 1",A Coruña,ES,"[""a"",""b""]","{""x"":1,""y"":[true,null]}"
        2,"bo ""the"" man@example.com",,,,false,,,,,[],null
        3,cy@example.com,"",150,-0.25,,2024-02-29T23:59:59.5+02:00,,Paris,FR,,null

        """

    static let json = """
        [
          {"id": 1, "email": "ana@example.com", "name": "Ana", "age": 42, "score": 15.5, "vip": true, "updated_at": "2023-01-02T03:04:05Z",
           "address": {"street": "Calle Mayor, 1", "city": "A Coruña", "country": "ES"}, "tags": ["a", "b"], "meta": {"x": 1, "y": [true, null]}},
          {"id": 2, "email": "bo \\"the\\" man@example.com", "name": null, "age": null, "score": null, "vip": false, "updated_at": null,
           "address": {"street": null, "city": null, "country": null}, "tags": [], "meta": null},
          {"id": 3, "email": "cy@example.com", "name": "", "age": 150, "score": -0.25, "vip": null, "updated_at": "2024-02-29T23:59:59.5+02:00",
           "address": {"street": null, "city": "Paris", "country": "FR"}, "tags": null, "meta": null}
        ]
        """

    @Test func csvJSONAndNDJSONReadTheSameProfiles() throws {
        let directory = try TemporaryDirectory()
        let parsed = try JSONParser.parse(Self.json)
        guard case .array(let items) = parsed else { Issue.record("fixture is not an array"); return }
        let ndjson = items.map { JSONWriter.string($0) }.joined(separator: "\n") + "\n"
        var results: [[ValueObject]] = []
        for (name, text, format) in [
            ("p.csv", Self.csv, SourceFormat.csv), ("p.json", Self.json, .json), ("p.ndjson", ndjson, .ndjson),
        ] {
            let url = try directory.write(name, text)
            let source = ProfileSource(path: name, format: format, schema: Schemas.customers)
            var reader = try ProfileReaders.open(source, url: url, displayPath: name, batchSize: 2)
            let (rows, error) = readAll(&reader, schema: Schemas.customers)
            #expect(error == nil)
            #expect(rows.allSatisfy { $0.error == nil }, "\(name): \(rows)")
            #expect(rows.map(\.record) == [1, 2, 3])
            results.append(rows.map(\.profile))
        }
        #expect(results[0].count == 3)
        // For a json property, JSON's null is the JSON value null, which a CSV cell writes as `null`
        // (an empty cell is the absence of a value, SQL's NULL).
        #expect(results[0] == results[1])
        #expect(results[1] == results[2])
    }

    @Test func factoryReportsUnreadableFilesForEveryFormat() throws {
        let directory = try TemporaryDirectory()
        for format in SourceFormat.allCases {
            let source = ProfileSource(path: "missing", format: format, schema: Schemas.customers)
            #expect(throws: SourceError(file: "missing", message: "cannot open the file: No such file or directory")) {
                _ = try ProfileReaders.open(source, url: directory.url.appendingPathComponent("missing"), displayPath: "missing")
            }
        }
    }
}
