import Testing
@testable import OutflowCore

/// The output rules of DESIGN section 7: null handling, required properties per action, output
/// paths, and the diagnostics `outflow validate` prints.
@Suite struct MappingOutputTests {
    /// (expression, output type, nullable, createRequired, updateRequired, action, expected)
    static let nullRows: [(String, String, Bool, Bool, Bool, MappingAction, String)] = [
        ("nothing", #"{"kind":"string"}"#, true, false, false, .create, "null"),
        ("nothing", #"{"kind":"string"}"#, false, false, false, .create, "absent"),
        // A property the profile does not have is left out even when nullable: writing null would
        // erase what the application holds.
        ("missing", #"{"kind":"string"}"#, true, false, false, .create, "absent"),
        ("missing", #"{"kind":"string"}"#, false, false, false, .create, "absent"),
        ("nothing", #"{"kind":"json"}"#, false, false, false, .create, "null"),
        ("missing", #"{"kind":"json"}"#, true, false, false, .create, "absent"),
        ("null", #"{"kind":"int"}"#, true, false, false, .create, "null"),
        ("null", #"{"kind":"int"}"#, false, false, false, .create, "absent"),
        ("traits.nul", #"{"kind":"string"}"#, true, false, false, .create, "null"),
        ("traits.nul", #"{"kind":"string"}"#, false, false, false, .create, "absent"),
        ("traits.nul", #"{"kind":"json"}"#, false, false, false, .create, "null"),
        ("traits.zz", #"{"kind":"int"}"#, false, false, false, .create, "absent"),
        ("empty", #"{"kind":"int"}"#, true, false, false, .create, "null"),
        ("empty", #"{"kind":"date"}"#, true, false, false, .create, "null"),
        ("empty", #"{"kind":"boolean"}"#, true, false, false, .create, "null"),
        ("empty", #"{"kind":"int"}"#, false, false, false, .create, "error: «» is not an int(64) value while mapping to «out»"),
        ("empty", #"{"kind":"string"}"#, true, false, false, .create, #""""#),
        ("empty", #"{"kind":"json"}"#, true, false, false, .create, #""""#),
        ("lower(empty)", #"{"kind":"int"}"#, true, false, false, .create, "null"),
        (#""""#, #"{"kind":"int"}"#, true, false, false, .create, "invalid: «» is not an int(64) value"),
        (#""""#, #"{"kind":"string"}"#, true, false, false, .create, #""""#),
        ("empty", #"{"kind":"string","values":["a","b"]}"#, true, false, false, .create, "null"),
        ("empty", #"{"kind":"string","values":["a","b"]}"#, false, false, false, .create, "error: «» is not one of the allowed values"),
        ("empty", #"{"kind":"string","values":["","a"]}"#, true, false, false, .create, #""""#),
        ("empty", #"{"kind":"string","pattern":"^[0-9]+$"}"#, true, false, false, .create, "null"),
        ("empty", #"{"kind":"string","pattern":"^[0-9]*$"}"#, true, false, false, .create, #""""#),
        ("empty", #"{"kind":"string","pattern":"^[0-9]+$"}"#, false, false, false, .create, "error: «» does not match the pattern"),
        (#"json_parse('""')"#, #"{"kind":"int"}"#, true, false, false, .create, "null"),
        // createRequired and updateRequired, by action
        ("nothing", #"{"kind":"string"}"#, false, true, false, .create, "error: «out» is required to create a user, but the mapping gives it no value"),
        ("nothing", #"{"kind":"string"}"#, false, true, false, .update, "absent"),
        ("nothing", #"{"kind":"string"}"#, false, true, false, .either, "absent"),
        ("nothing", #"{"kind":"string"}"#, false, false, true, .update, "error: «out» is required to update a user, but the mapping gives it no value"),
        ("nothing", #"{"kind":"string"}"#, false, false, true, .create, "absent"),
        ("nothing", #"{"kind":"string"}"#, false, false, true, .either, "absent"),
        ("nothing", #"{"kind":"string"}"#, false, true, true, .either, "absent"),
        ("nothing", #"{"kind":"string"}"#, false, true, true, .update, "error: required to update"),
        ("nothing", #"{"kind":"string"}"#, true, true, false, .create, "null"),
        ("missing", #"{"kind":"string"}"#, false, true, false, .create, "error: «out» is required to create a user"),
        ("traits.nul", #"{"kind":"string"}"#, false, false, true, .update, "error: required to update"),
        ("first_name", #"{"kind":"string"}"#, false, true, true, .create, #""Ada""#),
        ("first_name", #"{"kind":"string"}"#, false, true, true, .update, #""Ada""#),
        (#"if(false, "x")"#, #"{"kind":"string"}"#, false, true, false, .create, "error: required to create"),
        ("nothing", #"{"kind":"json"}"#, false, true, true, .create, "null"),
    ]

    @Test(arguments: nullRows)
    func nullRules(
        _ expression: String, _ type: String, _ nullable: Bool, _ createRequired: Bool, _ updateRequired: Bool,
        _ action: MappingAction, _ expected: String
    ) {
        let out = Property(
            name: "out", type: MappingHarness.type(type), createRequired: createRequired, updateRequired: updateRequired, nullable: nullable)
        let outcome = MappingHarness.run(expression, out: out, action: action)
        #expect(MappingHarness.matches(outcome, expected), "\(expression) -> \(type): \(outcome)")
    }

    @Test func messageNamesValueRuleAndProperty() {
        let out = Property(name: "email", type: .string(StringType(maxLength: 255)), nullable: true)
        let long = String(repeating: "x", count: 256)
        let outcome = MappingHarness.run("'\(long)'", out: Property(name: "email", type: .string(StringType()), nullable: true))
        #expect(outcome == "\"\(long)\"")
        let inSchema = MappingHarness.schema(#"[{"name":"name","type":{"kind":"string"}}]"#)
        let profile = ValueObject([("name", .string("x"))])
        let short = Property(name: "email", type: .string(StringType(maxLength: 0)), nullable: true)
        #expect(MappingHarness.run("name", out: short, inSchema: inSchema, profile: profile) == "error: «x» exceeds the 0-char limit while mapping to «email»")
        let longProfile = ValueObject([("name", .string(long))])
        #expect(
            MappingHarness.run("name", out: out, inSchema: inSchema, profile: longProfile)
                == "error: «\(String(repeating: "x", count: 60))…» exceeds the 255-char limit while mapping to «email»")
    }

    /// outSchema of the unmapped-required rows: `b` required to create, `c` to update, `contact`
    /// holding a leaf required to create.
    static let requiredOutSchema = MappingHarness.schema(
        """
        [{"name":"a","type":{"kind":"string"},"nullable":true},
         {"name":"b","type":{"kind":"string"},"createRequired":true,"nullable":true},
         {"name":"c","type":{"kind":"string"},"updateRequired":true},
         {"name":"contact","type":{"kind":"object","properties":[
            {"name":"first","type":{"kind":"string"}},
            {"name":"email","type":{"kind":"string"},"createRequired":true}]}},
         {"name":"meta","type":{"kind":"object","properties":[{"name":"x","type":{"kind":"string"}}]},"updateRequired":true}]
        """)

    /// Unmapped required properties count as not produced: (mapping, matching.out, action, expected
    /// user JSON or `error: <fragment>`).
    static let unmappedRequiredRows: [([(String, String)], String?, MappingAction, String)] = [
        ([("a", "first_name"), ("contact.email", "email"), ("c", "last_name")], nil, .create,
         "error: «b» is required to create a user, but the mapping does not map it"),
        ([("a", "first_name"), ("contact.email", "email"), ("c", "last_name"), ("meta.x", "email")], nil, .update,
         #"{"a":"Ada","c":"Lovelace","contact":{"email":"ada@example.com"},"meta":{"x":"ada@example.com"}}"#),
        ([("a", "first_name")], nil, .either, #"{"a":"Ada"}"#),
        ([("b", "first_name"), ("contact.email", "email")], nil, .create, #"{"b":"Ada","contact":{"email":"ada@example.com"}}"#),
        ([("b", "first_name"), ("contact.email", "email")], nil, .update,
         "error: «c» is required to update a user, but the mapping does not map it"),
        ([("b", "first_name"), ("c", "last_name"), ("contact.email", "email")], nil, .update,
         "error: «meta» is required to update a user, but the mapping does not map it"),
        // A nullable required property mapped to null is written as null; unmapped, it is missing.
        ([("b", "nothing"), ("contact.email", "email")], nil, .create, #"{"b":null,"contact":{"email":"ada@example.com"}}"#),
        // A leaf required under a parent object, whether the parent is partly mapped or not at all.
        ([("b", "first_name"), ("contact.first", "first_name")], nil, .create,
         "error: «contact.email» is required to create a user, but the mapping does not map it"),
        ([("b", "first_name")], nil, .create, "error: «contact.email» is required to create a user"),
        ([("b", "first_name")], nil, .update, "error: «c» is required to update a user"),
        // The engine writes matching.out on create, so it is not required of the mapping.
        ([("a", "first_name"), ("contact.email", "email")], "b", .create, #"{"a":"Ada","contact":{"email":"ada@example.com"}}"#),
        ([("b", "first_name")], "contact.email", .create, #"{"b":"Ada"}"#),
        // A required object whose mapped members all give nothing is not produced either.
        ([("b", "first_name"), ("c", "last_name"), ("contact.email", "email"), ("meta.x", "nothing")], nil, .update,
         "error: «meta» is required to update a user, but the mapping gives it no value"),
    ]

    @Test(arguments: unmappedRequiredRows)
    func unmappedRequiredProperties(_ mapping: [(String, String)], _ matchingOut: String?, _ action: MappingAction, _ expected: String) throws {
        let compiled = try CompiledMapping(
            mapping.map { Transformation.MappingEntry(path: $0.0, expression: $0.1) }, inSchema: MappingHarness.inSchema,
            outSchema: Self.requiredOutSchema, matchingOut: matchingOut)
        let outcome: String
        switch compiled.evaluate(MappingHarness.profile, action: action) {
        case .success(let user): outcome = JSONWriter.string(Value.object(user).json)
        case .failure(let error): outcome = "error: " + error.message
        }
        #expect(MappingHarness.matches(outcome, expected), "\(mapping) \(action): \(outcome)")
    }

    static let outSchema = MappingHarness.schema(
        """
        [{"name":"name","type":{"kind":"string"},"nullable":true},
         {"name":"email","type":{"kind":"string"}},
         {"name":"contact","type":{"kind":"object","properties":[
            {"name":"first","type":{"kind":"string"}},
            {"name":"email","type":{"kind":"string"}},
            {"name":"age","type":{"kind":"int","bitSize":8}}]}},
         {"name":"traits","type":{"kind":"json"}}]
        """)

    static func compile(_ mapping: [(String, String)], matchingOut: String? = nil, path: String = "") throws(ValidationError) -> CompiledMapping {
        try CompiledMapping(
            mapping.map { Transformation.MappingEntry(path: $0.0, expression: $0.1) }, inSchema: MappingHarness.inSchema, outSchema: outSchema,
            matchingOut: matchingOut, path: path)
    }

    @Test func outputFollowsOutSchemaOrderWithNestedObjects() throws {
        let mapping = try Self.compile([("contact.email", "email"), ("contact.first", "first_name"), ("name", "last_name"), ("traits", "traits.nested")])
        let user = try mapping.evaluate(MappingHarness.batch(MappingHarness.profile, MappingHarness.inSchema), row: 0, action: .create).get()
        #expect(
            JSONWriter.string(Value.object(user).json)
                == #"{"name":"Lovelace","contact":{"first":"Ada","email":"ada@example.com"},"traits":{"deep":true}}"#)
    }

    @Test func emptyNestedObjectsAreLeftOut() throws {
        let mapping = try Self.compile([("contact.first", "nothing"), ("contact.email", "missing"), ("name", "first_name")])
        let user = try mapping.evaluate(MappingHarness.profile, action: .create).get()
        #expect(JSONWriter.string(Value.object(user).json) == #"{"name":"Ada"}"#)
    }

    @Test func oneFailingPropertyFailsTheProfileAndNamesIt() throws {
        let mapping = try Self.compile([("name", "first_name"), ("contact.age", "age"), ("contact.first", "first_name")])
        let profile = MappingHarness.decodeProfile(#"{"first_name":"Ada","age":300}"#, MappingHarness.inSchema)
        let result = mapping.evaluate(profile, action: .create)
        #expect(throws: MappingError(property: "contact.age", message: "«300» is out of range for int(8) (-128 to 127) while mapping to «contact.age»")) {
            try result.get()
        }
        // The next profile is unaffected.
        #expect((try? mapping.evaluate(MappingHarness.profile, action: .create).get())?["contact"] != nil)
    }

    @Test func readsBatchesWhoseSchemaIsASupersetInAnotherOrder() throws {
        let inSchema = MappingHarness.schema(#"[{"name":"b","type":{"kind":"string"}},{"name":"a","type":{"kind":"int"}}]"#)
        let profileSchema = MappingHarness.schema(
            #"[{"name":"z","type":{"kind":"boolean"}},{"name":"a","type":{"kind":"int"}},{"name":"y","type":{"kind":"json"}},{"name":"b","type":{"kind":"string"}}]"#)
        let outSchema = MappingHarness.schema(#"[{"name":"out","type":{"kind":"string"}}]"#)
        let mapping = try CompiledMapping(
            [.init(path: "out", expression: #"b "-" a"#)], inSchema: inSchema, outSchema: outSchema, matchingOut: nil, profileSchema: profileSchema)
        var batch = ProfileBatch(schema: profileSchema)
        for (index, name) in ["x", "y"].enumerated() {
            let row = batch.appendRow(record: index + 1, line: index + 2)
            batch[row, 0] = .boolean(true)
            batch[row, 1] = .int(Int64(index))
            batch[row, 3] = .string(name)
        }
        #expect(try mapping.evaluate(batch, row: 0, action: .update).get()["out"] == .string("x-0"))
        #expect(try mapping.evaluate(batch, row: 1, action: .update).get()["out"] == .string("y-1"))
        let narrow = MappingHarness.batch(ValueObject([("b", .string("q"))]), inSchema)
        #expect(throws: MappingError.self) { try mapping.evaluate(narrow, row: 0, action: .update).get() }
    }

    /// (mapping, matching.out, expected diagnostics as "path: message", one per line)
    static let pathRows: [([(String, String)], String?, String)] = [
        ([("name", "first_name"), ("contact", "address"), ("contact.email", "email")], nil,
         #"transformation.mapping["contact.email"]: output paths "contact" and "contact.email" overlap: one may not be a prefix of another"#),
        ([("contact.email", "email"), ("contact", "address")], nil,
         #"transformation.mapping.contact: output paths "contact" and "contact.email" overlap: one may not be a prefix of another"#),
        ([("email", "email"), ("name", "first_name")], "email",
         #"transformation.mapping.email: the matching property "email" cannot be written by the mapping"#),
        ([("contact", "address")], "contact.email",
         #"transformation.mapping.contact: the matching property "contact.email" cannot be written by the mapping"#),
        ([("contact.email", "email")], "contact.email",
         #"transformation.mapping["contact.email"]: the matching property "contact.email" cannot be written by the mapping"#),
        ([("mobilephone", "email")], nil, #"transformation.mapping.mobilephone: property "mobilephone" is not in outSchema"#),
        ([("nme", "email")], nil, #"transformation.mapping.nme: property "nme" is not in outSchema; did you mean "name"?"#),
        ([("contact.phone", "email")], nil, #"transformation.mapping["contact.phone"]: property "contact.phone" is not in outSchema"#),
        ([("traits.plan", "email")], nil, #"transformation.mapping["traits.plan"]: property "traits.plan" is not in outSchema"#),
        ([("a..b", "email")], nil, #"transformation.mapping["a..b"]: "a..b" is not a valid output path"#),
        ([("name", "upper(last_name")], nil,
         #"transformation.mapping.name: syntax error in expression "upper(last_name" at column 16: expected ',' or ')', found the end of the expression"#),
        ([("name", "first_nam")], nil, #"transformation.mapping.name: property "first_nam" is not in inSchema; did you mean "first_name"?"#),
        ([("name", "tags")], nil, #"transformation.mapping.name: the expression is array(string), which cannot be converted to string, the type of "name""#),
        ([("contact.age", "300")], nil, #"transformation.mapping["contact.age"]: «300» is out of range for int(8) (-128 to 127)"#),
        ([("name", "first_name"), ("email", "first-name"), ("contact.first", "uper(x)")], nil,
         """
        transformation.mapping.email: syntax error in expression "first-name" at column 6: unexpected '-' (did you mean '_'?)
        transformation.mapping["contact.first"]: syntax error in expression "uper(x)" at column 1: unknown function "uper"; did you mean "upper"?
        """),
        ([("mobilephone", "phone")], nil,
         """
        transformation.mapping.mobilephone: property "mobilephone" is not in outSchema
        transformation.mapping.mobilephone: property "phone" is not in inSchema
        """),
        ([("name", "first_name"), ("contact.first", "first_name")], nil, ""),
        ([("contact.first", "first_name"), ("contact.email", "email"), ("email", "email")], "name", ""),
    ]

    @Test(arguments: pathRows)
    func outputPathRules(_ mapping: [(String, String)], _ matchingOut: String?, _ expected: String) {
        do {
            _ = try Self.compile(mapping, matchingOut: matchingOut)
            #expect(expected.isEmpty, "compiled, expected \(expected)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func diagnosticsArePrefixedWithThePipelinePath() {
        #expect(throws: ValidationError([Diagnostic(path: "pipelines[3].transformation.mapping.name", message: #"property "first_nam" is not in inSchema; did you mean "first_name"?"#)])) {
            try Self.compile([("name", "first_nam")], path: "pipelines[3]")
        }
    }

    @Test func pipelineValidatorReportsMappingErrors() {
        let inSchema = MappingHarness.schema(
            #"[{"name":"email","type":{"kind":"string"},"nullable":true},{"name":"first_name","type":{"kind":"string"}},{"name":"last_name","type":{"kind":"string"}},{"name":"phone","type":{"kind":"string"}}]"#)
        let outSchema = MappingHarness.schema(
            #"[{"name":"email","type":{"kind":"string"}},{"name":"firstname","type":{"kind":"string"}},{"name":"lastname","type":{"kind":"string"}}]"#)
        let mapping: [Transformation.MappingEntry] = [
            .init(path: "email", expression: "email"), .init(path: "firstname", expression: "first_nam"),
            .init(path: "lastname", expression: "upper(last_name"), .init(path: "mobilephone", expression: "phone"),
        ]
        let pipeline = Pipeline(
            name: "p", connection: 1, matching: Matching(in: "email", out: "email"), exportMode: .createOnly,
            transformation: Transformation(mapping: mapping), inSchema: inSchema, outSchema: outSchema)
        let issues = PipelineValidator.validate(pipeline, path: "pipelines[3]", profileSchema: inSchema, connections: [Connection(id: 1, name: "c", connector: "hubspot")])
        #expect(
            issues.map(\.description) == [
                #"pipelines[3].transformation.mapping.email: the matching property "email" cannot be written by the mapping"#,
                #"pipelines[3].transformation.mapping.firstname: property "first_nam" is not in inSchema; did you mean "first_name"?"#,
                #"pipelines[3].transformation.mapping.lastname: syntax error in expression "upper(last_name" at column 16: expected ',' or ')', found the end of the expression"#,
                #"pipelines[3].transformation.mapping.mobilephone: property "mobilephone" is not in outSchema"#,
            ])
    }
}
