import Benchmark
import Foundation
import OutflowCore
import OutflowSources

/// Decode + filter + a six-property mapping (issue 3's figure). Goal: at least 3M profiles/s on one core.
///
/// The mapping has two concatenations, `lower`, `coalesce`, `if` and a nested path, like the
/// mappings of real pipelines.
enum MappingBench {
    static let mapping: [Transformation.MappingEntry] = [
        .init(path: "name", expression: #"first_name " " country"#),
        .init(path: "label", expression: #"country "-" id"#),
        .init(path: "email", expression: "lower(email)"),
        .init(path: "nickname", expression: #"coalesce(first_name, "friend")"#),
        .init(path: "tier", expression: #"if(vip, "gold", "standard")"#),
        .init(path: "updated", expression: "updated_at"),
    ]

    static let outSchemaJSON = """
        {"kind":"object","properties":[
          {"name":"name","type":{"kind":"string","maxLength":200},"nullable":true},
          {"name":"label","type":{"kind":"string"},"nullable":true},
          {"name":"email","type":{"kind":"string","maxLength":254},"nullable":true},
          {"name":"nickname","type":{"kind":"string"},"nullable":true},
          {"name":"tier","type":{"kind":"string"},"nullable":true},
          {"name":"updated","type":{"kind":"datetime"},"nullable":true},
          {"name":"key","type":{"kind":"string"}}]}
        """

    /// Keeps every profile of the generated file, so that all 1M are mapped.
    static let keepAllFilterJSON = #"{"logical":"and","conditions":[{"property":"email","operator":"is not empty"}]}"#

    /// Reads, filters and maps every profile; returns how many users were produced.
    static func run(rows: Int) throws -> Int {
        let path = try BenchData.ensure(rows: rows)
        var issues: [Diagnostic] = []
        guard let schema = ObjectType.decodeSchema(try JSONParser.parse(BenchData.schemaJSON), path: "", issues: &issues),
            let outSchema = ObjectType.decodeSchema(try JSONParser.parse(outSchemaJSON), path: "", issues: &issues),
            let filterModel = Filter.decode(try JSONParser.parse(keepAllFilterJSON), path: "", issues: &issues)
        else { throw ValidationError(issues) }
        let filter = try CompiledFilter(filterModel, schema: schema)
        let compiled = try CompiledMapping(mapping, inSchema: schema, outSchema: outSchema, matchingOut: "key", profileSchema: schema)
        var reader = try ProfileReaders.open(ProfileSource(path: path, format: .csv, schema: schema), url: URL(fileURLWithPath: path), displayPath: path)
        var batch = ProfileBatch(schema: schema)
        var users = 0
        while try reader.next(into: &batch) {
            for row in 0..<batch.count where batch.errors[row] == nil && filter.matches(batch, row: row) {
                if case .success(let user) = compiled.evaluate(batch, row: row, action: .create) {
                    users += user.count
                }
            }
        }
        return users
    }
}
