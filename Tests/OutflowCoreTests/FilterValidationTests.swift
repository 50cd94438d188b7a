import Testing

@testable import OutflowCore

/// One validation row: a condition on `FilterValidationTests.schema` and the problem it must raise
/// (the member of `filter.conditions[0]` it is reported at, and fragments of the message), or none.
struct ProblemRow: Sendable, CustomTestStringConvertible {
    var property: String
    var op: FilterOperator
    var values: [String]?
    /// `property`, `operator`, `values` or `values[1]`; nil when the condition is valid.
    var member: String?
    var fragments: [String]

    var testDescription: String {
        "\(property) \(op.rawValue) \(values.map { "\($0)" } ?? "nil") -> \(member.map { "\($0): \(fragments)" } ?? "valid")"
    }
}

private func problem(_ property: String, _ op: FilterOperator, _ values: [String]?, at member: String, _ fragments: String...) -> ProblemRow {
    ProblemRow(property: property, op: op, values: values, member: member, fragments: fragments)
}

private func valid(_ property: String, _ op: FilterOperator, _ values: [String]?) -> ProblemRow {
    ProblemRow(property: property, op: op, values: values, member: nil, fragments: [])
}

private let uuid1 = "123e4567-e89b-12d3-a456-426614174000"
private let uuid2 = "123e4567-e89b-12d3-a456-426614174001"

@Suite struct FilterValidationTests {
    static let schemaJSON = #"""
        [{"name":"email","type":{"kind":"string"},"nullable":true},
         {"name":"age","type":{"kind":"int"},"nullable":true},
         {"name":"count","type":{"kind":"int","unsigned":true}},
         {"name":"vip","type":{"kind":"boolean"}},
         {"name":"plan","type":{"kind":"string","values":["free","pro"]}},
         {"name":"tier","type":{"kind":"string","values":["","gold"]}},
         {"name":"score","type":{"kind":"float"}},
         {"name":"balance","type":{"kind":"decimal","precision":10,"scale":2}},
         {"name":"signup","type":{"kind":"datetime"}},
         {"name":"birthday","type":{"kind":"date"}},
         {"name":"opens","type":{"kind":"time"}},
         {"name":"since","type":{"kind":"year"}},
         {"name":"id","type":{"kind":"uuid"}},
         {"name":"ip","type":{"kind":"ip"}},
         {"name":"traits","type":{"kind":"json"}},
         {"name":"tags","type":{"kind":"array","elementType":{"kind":"string"}}},
         {"name":"scores","type":{"kind":"array","elementType":{"kind":"int"}}},
         {"name":"flags","type":{"kind":"array","elementType":{"kind":"boolean"}}},
         {"name":"attrs","type":{"kind":"map","elementType":{"kind":"int"}}},
         {"name":"address","type":{"kind":"object","properties":[
            {"name":"country","type":{"kind":"string"}},
            {"name":"geo","type":{"kind":"object","properties":[{"name":"lat","type":{"kind":"float"}}]}}]}}]
        """#

    static func schema() throws -> ObjectType { try FilterFixture.schema(properties: schemaJSON) }

    static let problemRows: [ProblemRow] = [
        // Operators that do not apply to the property's kind.
        problem(
            "vip", .isGreaterThan, ["1"], at: "operator", #"operator "is greater than" does not apply to boolean property "vip""#,
            "it applies to string, int, float, decimal and json"),
        problem("vip", .is, ["true"], at: "operator", #"operator "is" does not apply to boolean property "vip""#),
        problem("id", .isOneOf, [uuid1], at: "operator", #"operator "is one of" does not apply to uuid property "id""#),
        problem("ip", .isBetween, ["10.0.0.1", "10.0.0.2"], at: "operator", #"operator "is between" does not apply to ip property "ip""#),
        problem("signup", .isGreaterThan, ["2024-01-01"], at: "operator", #"does not apply to datetime property "signup""#),
        problem("since", .isLessThan, ["2000"], at: "operator", #"operator "is less than" does not apply to year property "since""#),
        problem("email", .isBefore, ["2024-01-01"], at: "operator", #"operator "is before" does not apply to string property "email""#),
        problem("age", .contains, ["1"], at: "operator", #"operator "contains" does not apply to int(64) property "age""#),
        problem("tags", .startsWith, ["a"], at: "operator", #"does not apply to array(string) property "tags""#),
        problem("flags", .contains, ["true"], at: "operator", #"array(boolean) property "flags""#, "its elements are boolean"),
        problem("address", .is, ["x"], at: "operator", #"does not apply to object property "address""#),
        problem("score", .isEmpty, nil, at: "operator", #"operator "is empty" does not apply to float(64) property "score""#),
        problem("attrs", .contains, ["1"], at: "operator", #"does not apply to map(int(64)) property "attrs""#),
        problem("plan", .startsWith, ["f"], at: "operator", #"string property "plan""#, "which has allowed values"),
        problem("plan", .isGreaterThan, ["free"], at: "operator", "which has allowed values"),
        problem("plan", .isBetween, ["free", "pro"], at: "operator", "which has allowed values"),
        problem("plan", .isEmpty, nil, at: "operator", #"operator "is empty" does not apply to string property "plan""#, "exclude the empty string"),
        problem("vip", .isNull, nil, at: "operator", #"operator "is null" applies only to nullable or json properties"#, #""vip" is not nullable"#),
        problem("address.country", .isNotNull, nil, at: "operator", #"string property "address.country" is not nullable"#),
        // Wrong number of values.
        problem("email", .is, nil, at: "values", #"operator "is" takes exactly one value, found none"#),
        problem("email", .is, ["a", "b"], at: "values", #"operator "is" takes exactly one value, found 2"#),
        problem("age", .isBetween, ["1"], at: "values", #"operator "is between" takes two values (low and high), found 1"#),
        problem("age", .isNotBetween, ["1", "2", "3"], at: "values", "takes two values (low and high), found 3"),
        problem("age", .isOneOf, [], at: "values", #"operator "is one of" takes one or more values, found none"#),
        problem("age", .isNotOneOf, nil, at: "values", "takes one or more values, found none"),
        problem("vip", .isTrue, ["x"], at: "values", #"operator "is true" takes no values, found 1"#),
        problem("email", .exists, ["x", "y"], at: "values", #"operator "exists" takes no values, found 2"#),
        // Values that do not parse by the property's kind.
        problem("age", .is, ["abc"], at: "values[0]", #"value «abc» is not a valid int for property "age""#),
        problem("age", .is, ["1.5"], at: "values[0]", "«1.5» is not a valid int"),
        problem("age", .is, ["99999999999999999999"], at: "values[0]", "«99999999999999999999» is not a valid int"),
        problem("count", .is, ["-1"], at: "values[0]", #"value «-1» is not a valid unsigned int for property "count""#),
        problem("count", .is, ["18446744073709551616"], at: "values[0]", "is not a valid unsigned int"),
        problem("score", .is, ["abc"], at: "values[0]", #"value «abc» is not a valid float for property "score""#),
        problem("score", .is, ["nan"], at: "values[0]", "«nan» is not a valid float"),
        problem("balance", .is, ["1,5"], at: "values[0]", #"value «1,5» is not a valid decimal for property "balance""#),
        problem("signup", .isAfter, ["2024-13-01T00:00:00Z"], at: "values[0]", "is not a valid datetime (ISO 8601"),
        problem("signup", .isAfter, ["yesterday"], at: "values[0]", #"value «yesterday» is not a valid datetime"#, #"property "signup""#),
        problem("birthday", .is, ["2024-02-30"], at: "values[0]", "«2024-02-30» is not a valid date (YYYY-MM-DD)"),
        problem("birthday", .is, ["2024/01/01"], at: "values[0]", "is not a valid date"),
        problem("opens", .isBefore, ["25:00"], at: "values[0]", "«25:00» is not a valid time (hh:mm:ss)"),
        problem("since", .is, ["0"], at: "values[0]", "«0» is not a valid year (1 to 9999)"),
        problem("since", .is, ["10000"], at: "values[0]", "is not a valid year"),
        problem("since", .isBefore, ["MMXX"], at: "values[0]", "«MMXX» is not a valid year"),
        problem("id", .is, ["xyz"], at: "values[0]", #"value «xyz» is not a valid uuid for property "id""#),
        problem("ip", .is, ["300.1.1.1"], at: "values[0]", "«300.1.1.1» is not a valid IP address"),
        problem("scores", .contains, ["x"], at: "values[0]", #"value «x» is not a valid int for property "scores""#),
        problem("traits.signup", .isBefore, ["soon"], at: "values[0]", #"value «soon» is not a valid datetime"#, #"property "traits.signup""#),
        problem("traits", .isAfter, ["2024"], at: "values[0]", "«2024» is not a valid datetime"),
        problem("plan", .is, ["gold"], at: "values[0]", #"value «gold» is not one of the allowed values of property "plan" ("free", "pro")"#),
        problem("plan", .isNotOneOf, ["free", "basic"], at: "values[1]", "«basic» is not one of the allowed values"),
        problem("age", .isOneOf, ["1", "x", "3"], at: "values[1]", "«x» is not a valid int"),
        problem("age", .isBetween, ["1", "ten"], at: "values[1]", "«ten» is not a valid int"),
        problem("email", .is, [String(repeating: "x", count: 61)], at: "values[0]", "is longer than 60 characters"),
        problem("email", .is, ["a\u{0}b"], at: "values[0]", "contains the NUL character"),
        // Properties that are not in the schema.
        problem("emial", .is, ["x"], at: "property", #"property "emial" is not in the schema; did you mean "email"?"#),
        problem("address.contry", .is, ["US"], at: "property", #"property "address.contry" is not in the schema; did you mean "address.country"?"#),
        problem("zzzzzzzz", .exists, nil, at: "property", #"property "zzzzzzzz" is not in the schema"#),
        problem("email.domain", .is, ["x"], at: "property", #""email" is string, not an object or json"#),
        problem("address.geo.lat.x", .exists, nil, at: "property", #""address.geo.lat" is float(64), not an object or json"#),
        problem("a..b", .exists, nil, at: "property", #"property path "a..b" is not valid"#),
        problem("traits.", .exists, nil, at: "property", "is not valid"),
        problem(#"traits["open"#, .exists, nil, at: "property", "is not valid"),
        problem(#"address["country"]"#, .is, ["US"], at: "property", "is not in the schema"),
        // `is between` whose low value is above its high value.
        problem("age", .isBetween, ["10", "1"], at: "values", "the low value «10» is greater than the high value «1»"),
        problem("age", .isNotBetween, ["0", "-1"], at: "values", "the low value «0» is greater than the high value «-1»"),
        problem("traits", .isBetween, ["10", "9"], at: "values", "the low value «10» is greater than the high value «9»"),
        problem("traits", .isBetween, ["b", "a"], at: "values", "the low value «b» is greater than the high value «a»"),
        problem("signup", .isBetween, ["2024-02-01", "2024-01-01"], at: "values", "the low value «2024-02-01» is greater"),
        problem("balance", .isBetween, ["2.5", "2.49"], at: "values", "the low value «2.5» is greater than the high value «2.49»"),
        problem("email", .isNotBetween, ["b", "a"], at: "values", "the low value «b» is greater"),
        problem("opens", .isBetween, ["17:00", "09:00"], at: "values", "the low value «17:00» is greater"),
        problem("since", .isBetween, ["2024", "2000"], at: "values", "the low value «2024» is greater"),
        // Valid conditions.
        valid("age", .isBetween, ["5", "5"]),
        valid("balance", .isBetween, ["2.5", "2.50"]),
        valid("traits", .isBetween, ["9", "10"]),
        valid("traits.plan", .is, ["pro"]),
        valid(#"traits["odd key"]"#, .is, ["x"]),
        valid(#"traits["say \"hi\""].x"#, .is, ["x"]),
        valid("traits.a.b", .exists, nil),
        valid("traits", .isNull, nil),
        valid("traits.plan", .isNotNull, nil),
        valid("traits.signup", .isOnOrAfter, ["2024-01-01"]),
        valid("attrs", .isEmpty, nil),
        valid("address", .isNotEmpty, nil),
        valid("address", .exists, nil),
        valid("tier", .isEmpty, nil),
        valid("tags", .contains, ["a"]),
        valid("count", .is, ["18446744073709551615"]),
        valid("age", .is, ["-9223372036854775808"]),
        valid("email", .contains, [String(repeating: "x", count: 60)]),
        valid("since", .isBefore, ["2000"]),
        valid("vip", .isTrue, nil),
        valid("vip", .isFalse, []),
        valid("traits", .isTrue, nil),
        valid("email", .isNull, nil),
        valid("address.country", .is, ["US"]),
        valid("address.geo.lat", .isGreaterThan, ["1"]),
        valid("plan", .isOneOf, ["free", "pro"]),
        valid("opens", .isBetween, ["09:00", "17:00"]),
        valid("email", .exists, nil),
        valid("age", .doesNotExist, []),
        valid("ip", .isNot, ["::1"]),
        valid("id", .is, [uuid2]),
    ]

    @Test(arguments: problemRows)
    func reportsProblem(_ row: ProblemRow) throws {
        let filter = Filter(logical: .and, conditions: [.init(property: row.property, operator: row.op, values: row.values)])
        let issues = FilterValidator.validate(filter, schema: try Self.schema(), path: "filter")
        guard let member = row.member else {
            #expect(issues.isEmpty)
            return
        }
        #expect(issues.count == 1, "\(issues)")
        let issue = try #require(issues.first)
        #expect(issue.path == "filter.conditions[0]." + member)
        for fragment in row.fragments {
            #expect(issue.message.contains(fragment), "\(issue.message)")
        }
    }

    /// Every problem of a filter is reported at once, each at the index of its condition.
    @Test func reportsEveryProblemWithItsConditionIndex() throws {
        let filter = Filter(
            logical: .or,
            conditions: [
                .init(property: "emial", operator: .is, values: ["x"]),
                .init(property: "email", operator: .is, values: ["x"]),
                .init(property: "vip", operator: .isGreaterThan, values: ["1"]),
                .init(property: "age", operator: .isOneOf, values: ["1", "abc", "x"]),
                .init(property: "age", operator: .isBetween, values: ["1"]),
            ])
        let issues = FilterValidator.validate(filter, schema: try Self.schema(), path: "pipelines[1].filter")
        #expect(
            issues.map(\.path) == [
                "pipelines[1].filter.conditions[0].property",
                "pipelines[1].filter.conditions[2].operator",
                "pipelines[1].filter.conditions[3].values[1]",
                "pipelines[1].filter.conditions[3].values[2]",
                "pipelines[1].filter.conditions[4].values",
            ])
        #expect(issues[1].message.contains(#"operator "is greater than" does not apply to boolean property "vip""#))
        #expect(issues[2].message.contains("«abc»") && issues[3].message.contains("«x»"))
    }

    @Test func reportsBothArityAndKindOfOneCondition() throws {
        let filter = Filter(logical: .and, conditions: [.init(property: "vip", operator: .isBetween, values: ["1"])])
        let issues = FilterValidator.validate(filter, schema: try Self.schema(), path: "filter")
        #expect(issues.map(\.path) == ["filter.conditions[0].values", "filter.conditions[0].operator"])
    }

    @Test func refusesAFilterWithoutConditions() throws {
        let issues = FilterValidator.validate(Filter(logical: .and, conditions: []), schema: try Self.schema(), path: "filter")
        #expect(issues == [Diagnostic(path: "filter.conditions", message: "must have at least one condition")])
    }

    @Test func compilingAnInvalidFilterThrowsItsDiagnostics() throws {
        let filter = Filter(logical: .and, conditions: [.init(property: "age", operator: .is, values: ["abc"])])
        let schema = try Self.schema()
        #expect(throws: ValidationError(FilterValidator.validate(filter, schema: schema, path: "filter"))) {
            try CompiledFilter(filter, schema: schema)
        }
    }

    // MARK: The operator/kind table, restated from Krenalis `validateFilterCondition` and DESIGN section 7.

    static let kinds = [
        "string", "boolean", "int", "float", "decimal", "datetime", "date", "time", "year", "uuid", "ip", "json", "array", "object", "map",
    ]

    static let applies: [FilterOperator: Set<String>] = {
        let scalarIs: Set = ["string", "int", "float", "decimal", "datetime", "date", "time", "year", "uuid", "ip", "json"]
        let ordered: Set = ["string", "int", "float", "decimal", "json"]
        let ranged: Set = ["string", "int", "float", "decimal", "datetime", "date", "time", "year", "json"]
        let temporal: Set = ["datetime", "date", "time", "year", "json"]
        let every = Set(kinds)
        return [
            .is: scalarIs, .isNot: scalarIs,
            .isLessThan: ordered, .isLessThanOrEqualTo: ordered, .isGreaterThan: ordered, .isGreaterThanOrEqualTo: ordered,
            .isBetween: ranged, .isNotBetween: ranged, .isOneOf: ranged, .isNotOneOf: ranged,
            .contains: ["string", "json", "array"], .doesNotContain: ["string", "json", "array"],
            .startsWith: ["string", "json"], .endsWith: ["string", "json"],
            .isBefore: temporal, .isOnOrBefore: temporal, .isAfter: temporal, .isOnOrAfter: temporal,
            .isTrue: ["boolean", "json"], .isFalse: ["boolean", "json"],
            .isEmpty: ["string", "array", "object", "map", "json"], .isNotEmpty: ["string", "array", "object", "map", "json"],
            .isNull: every, .isNotNull: every, .exists: every, .doesNotExist: every,
        ]
    }()

    /// A type for each kind, and values of it in increasing order.
    static let samples: [String: (type: String, values: [String])] = [
        "string": ("string", ["a", "b", "c"]),
        "boolean": ("boolean", ["true", "false", "true"]),
        "int": ("int", ["1", "2", "3"]),
        "float": ("float", ["1.5", "2.5", "3.5"]),
        "decimal": (#"{"kind":"decimal","precision":10,"scale":2}"#, ["1.5", "2.5", "3.5"]),
        "datetime": ("datetime", ["2024-01-01T00:00:00Z", "2024-06-01T00:00:00.5Z", "2024-12-31T00:00:00Z"]),
        "date": ("date", ["2024-01-01", "2024-06-01", "2024-12-31"]),
        "time": ("time", ["09:00:00", "12:00:00", "17:00:00"]),
        "year": ("year", ["2000", "2010", "2024"]),
        "uuid": ("uuid", [uuid1, uuid2]),
        "ip": ("ip", ["10.0.0.1", "10.0.0.2"]),
        "json": ("json", ["2024-01-01", "2024-06-01", "2024-12-31"]),
        "array": ("array(string)", ["a", "b", "c"]),
        "object": (#"{"kind":"object","properties":[{"name":"a","type":{"kind":"int"}}]}"#, ["x", "y", "z"]),
        "map": (#"{"kind":"map","elementType":{"kind":"string"}}"#, ["x", "y", "z"]),
    ]

    @Test(arguments: FilterOperator.allCases, kinds)
    func operatorAppliesToKind(_ op: FilterOperator, _ kind: String) throws {
        let sample = try #require(Self.samples[kind])
        let values: [String]?
        switch op.arity {
        case .none: values = nil
        case .one: values = [sample.values[0]]
        case .two: values = Array(sample.values.prefix(2))
        case .oneOrMore: values = sample.values
        }
        let schema = try FilterFixture.schema(sample.type)
        let filter = Filter(logical: .and, conditions: [.init(property: "p", operator: op, values: values)])
        let issues = FilterValidator.validate(filter, schema: schema, path: "filter")
        if try #require(Self.applies[op]).contains(kind) {
            #expect(issues.isEmpty, "\(issues)")
            // A condition that validates also compiles and runs on a profile without the property.
            let compiled = try CompiledFilter(filter, schema: schema)
            // `is not between` is false for a missing value (Krenalis applies.go); the other negations are true.
            let trueWhenMissing: Set<FilterOperator> = [.isEmpty, .isNot, .doesNotContain, .isNotOneOf, .isNotNull, .doesNotExist]
            #expect(compiled.matches(try FilterFixture.batch(schema, "{}"), row: 0) == trueWhenMissing.contains(op))
        } else {
            #expect(issues.map(\.path) == ["filter.conditions[0].operator"])
            #expect(issues.first?.message.contains("operator \"\(op.rawValue)\" does not apply to") == true, "\(issues)")
        }
    }
}
