import Testing
@testable import OutflowCore

/// Builds schemas and profiles from JSON text and runs one-expression mappings, reporting the
/// outcome as text so table rows can state it: the output's JSON, `absent`, `error: <message>`
/// (the profile failed) or `invalid: <message>` (the mapping did not compile).
enum MappingHarness {
    static func type(_ json: String) -> DataType {
        var issues: [Diagnostic] = []
        let parsed = (try? JSONParser.parse(json)) ?? .null
        guard let type = DataType.decode(parsed, path: "", issues: &issues), issues.isEmpty else {
            Issue.record("bad type in a test row: \(json) \(issues)")
            return .json
        }
        return type
    }

    static func schema(_ json: String) -> ObjectType {
        guard case .object(let object) = type(#"{"kind":"object","properties":"# + json + "}") else { return ObjectType(properties: []) }
        return object
    }

    /// The profile schema of the expression tables: one property per kind, and a few extra values.
    static let inSchema = schema(
        """
        [{"name":"first_name","type":{"kind":"string","maxLength":100},"nullable":true},
         {"name":"last_name","type":{"kind":"string"},"nullable":true},
         {"name":"email","type":{"kind":"string"},"nullable":true},
         {"name":"age","type":{"kind":"int","bitSize":16},"nullable":true},
         {"name":"neg","type":{"kind":"int","bitSize":32},"nullable":true},
         {"name":"flag8","type":{"kind":"int","bitSize":8},"nullable":true},
         {"name":"big","type":{"kind":"int","bitSize":64},"nullable":true},
         {"name":"score","type":{"kind":"float"},"nullable":true},
         {"name":"balance","type":{"kind":"decimal","precision":10,"scale":2},"nullable":true},
         {"name":"vip","type":{"kind":"boolean"},"nullable":true},
         {"name":"born","type":{"kind":"date"},"nullable":true},
         {"name":"seen","type":{"kind":"datetime"},"nullable":true},
         {"name":"wake","type":{"kind":"time"},"nullable":true},
         {"name":"since","type":{"kind":"year"},"nullable":true},
         {"name":"id","type":{"kind":"uuid"},"nullable":true},
         {"name":"ip","type":{"kind":"ip"},"nullable":true},
         {"name":"traits","type":{"kind":"json"},"nullable":true},
         {"name":"tags","type":{"kind":"array","elementType":{"kind":"string"}},"nullable":true},
         {"name":"address","type":{"kind":"object","properties":[
            {"name":"street","type":{"kind":"string"}},
            {"name":"city","type":{"kind":"string"},"nullable":true},
            {"name":"country","type":{"kind":"string"}},
            {"name":"geo","type":{"kind":"object","properties":[{"name":"lat","type":{"kind":"float"}},{"name":"lon","type":{"kind":"float"}}]}}]},
          "nullable":true},
         {"name":"attrs","type":{"kind":"map","elementType":{"kind":"string"}},"nullable":true},
         {"name":"empty","type":{"kind":"string"},"nullable":true},
         {"name":"nothing","type":{"kind":"string"},"nullable":true},
         {"name":"missing","type":{"kind":"string"},"readOptional":true,"nullable":true},
         {"name":"greek","type":{"kind":"string"},"nullable":true},
         {"name":"emoji","type":{"kind":"string"},"nullable":true},
         {"name":"spaced","type":{"kind":"string"},"nullable":true},
         {"name":"mixed","type":{"kind":"string"},"nullable":true}]
        """)

    static let profileJSON = """
        {"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","age":36,"neg":-1,"flag8":1,
         "big":9007199254740993,"score":34.5,"balance":"1234.50","vip":true,"born":"1815-12-10",
         "seen":"2024-03-05T10:11:12Z","wake":"07:30:00","since":2020,"id":"6F9619FF-8B86-D011-B42D-00CF4FC964FF",
         "ip":"192.168.0.1",
         "traits":{"plan":"pro","n":6,"nested":{"deep":true},"list":[1,2,3],"nul":null,"str":"x","odd key":"odd"},
         "tags":["a","b"],"address":{"street":"12 Rue","city":null,"country":"FR","geo":{"lat":48.85,"lon":2.35}},
         "attrs":{"k":"v"},"empty":"","nothing":null,"greek":"αβγ","emoji":"😀x","spaced":"  hi there  ",
         "mixed":"hello WORLD foo-bar"}
        """

    static let profile: ValueObject = decodeProfile(profileJSON, inSchema)

    static func decodeProfile(_ json: String, _ schema: ObjectType) -> ValueObject {
        do {
            guard case .object(let object) = try JSONParser.parse(json) else { return ValueObject() }
            return try JSONDecoding.decodeObject(object, schema)
        } catch {
            Issue.record("bad profile in a test: \(error)")
            return ValueObject()
        }
    }

    /// A batch of one row holding `profile`, laid out by `schema`.
    static func batch(_ profile: ValueObject, _ schema: ObjectType) -> ProfileBatch {
        var batch = ProfileBatch(schema: schema)
        let row = batch.appendRow(record: 1, line: 2)
        for (slot, property) in schema.properties.enumerated() {
            batch[row, slot] = profile[property.name]
        }
        return batch
    }

    /// Maps `expression` to the property `out` and reports the outcome as text.
    static func run(
        _ expression: String, out: Property, inSchema: ObjectType = inSchema, profile: ValueObject = profile,
        action: MappingAction = .create
    ) -> String {
        let outSchema = ObjectType(properties: [out])
        let mapping: CompiledMapping
        do {
            mapping = try CompiledMapping([.init(path: out.name, expression: expression)], inSchema: inSchema, outSchema: outSchema, matchingOut: nil)
        } catch {
            return "invalid: " + error.diagnostics.map(\.message).joined(separator: "; ")
        }
        switch mapping.evaluate(batch(profile, inSchema), row: 0, action: action) {
        case .success(let user):
            guard let value = user[out.name] else { return "absent" }
            return JSONWriter.string(value.json)
        case .failure(let error):
            return "error: " + error.message
        }
    }

    /// Checks an outcome against a row's expectation: exact text, or `error:`/`invalid:` followed
    /// by a fragment the message must contain.
    static func matches(_ outcome: String, _ expected: String) -> Bool {
        for prefix in ["error: ", "invalid: "] where expected.hasPrefix(prefix) {
            return outcome.hasPrefix(prefix) && outcome.contains(expected.dropFirst(prefix.count))
        }
        return outcome == expected
    }
}
