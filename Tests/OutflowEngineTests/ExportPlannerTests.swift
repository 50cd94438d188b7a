import OutflowCore
import Testing

@Suite struct ExportPlannerTests {
    struct Row: Sendable, CustomStringConvertible {
        var mode: ExportMode
        var updateOnDuplicates: Bool
        var matches: [String]
        var expected: PlannedAction
        var description: String { "\(mode.rawValue) dup=\(updateOnDuplicates) matches=\(matches.count)" }
    }

    static let duplicates = PlannedAction.fail("duplicates found for the matching property «email» in the app users")

    static let rows: [Row] = [
        Row(mode: .createOnly, updateOnDuplicates: false, matches: [], expected: .create),
        Row(mode: .createOnly, updateOnDuplicates: false, matches: ["1"], expected: .skip),
        Row(mode: .createOnly, updateOnDuplicates: false, matches: ["1", "2"], expected: .skip),
        Row(mode: .createOnly, updateOnDuplicates: true, matches: ["1", "2"], expected: .skip),
        Row(mode: .updateOnly, updateOnDuplicates: false, matches: [], expected: .skip),
        Row(mode: .updateOnly, updateOnDuplicates: false, matches: ["1"], expected: .update(ids: ["1"])),
        Row(mode: .updateOnly, updateOnDuplicates: false, matches: ["1", "2"], expected: duplicates),
        Row(mode: .updateOnly, updateOnDuplicates: true, matches: ["1", "2"], expected: .update(ids: ["1", "2"])),
        Row(mode: .createOrUpdate, updateOnDuplicates: false, matches: [], expected: .create),
        Row(mode: .createOrUpdate, updateOnDuplicates: true, matches: [], expected: .create),
        Row(mode: .createOrUpdate, updateOnDuplicates: false, matches: ["1"], expected: .update(ids: ["1"])),
        Row(mode: .createOrUpdate, updateOnDuplicates: false, matches: ["1", "2"], expected: duplicates),
        Row(mode: .createOrUpdate, updateOnDuplicates: true, matches: ["1", "2", "3"], expected: .update(ids: ["1", "2", "3"])),
    ]

    @Test(arguments: rows)
    func plansByModeAndDuplicates(_ row: Row) {
        let planner = ExportPlanner(mode: row.mode, updateOnDuplicates: row.updateOnDuplicates, matchingProperty: "email")
        #expect(planner.plan(matches: row.matches) == row.expected)
    }

    struct RequiredRow: Sendable, CustomStringConvertible {
        var user: [String: String]
        var creating: Bool
        var updating: Bool
        var problem: String?
        var description: String { "\(user) create=\(creating) update=\(updating)" }
    }

    static let requiredRows: [RequiredRow] = [
        RequiredRow(user: ["name": "Ana"], creating: true, updating: false, problem: nil),
        RequiredRow(user: [:], creating: true, updating: false, problem: "«name» is required to create a user, but the transformation gives it no value"),
        RequiredRow(user: [:], creating: false, updating: true, problem: "«plan» is required to update a user, but the transformation gives it no value"),
        RequiredRow(user: ["plan": "pro"], creating: false, updating: true, problem: nil),
        // An upsert needs both.
        RequiredRow(user: ["name": "Ana"], creating: true, updating: true, problem: "«plan» is required to update a user, but the transformation gives it no value"),
        RequiredRow(user: ["name": "Ana", "plan": "pro"], creating: true, updating: true, problem: nil),
    ]

    @Test(arguments: requiredRows)
    func requiredPropertiesDependOnTheAction(_ row: RequiredRow) {
        let schema = ObjectType(properties: [
            Property(name: "name", type: .string(StringType()), createRequired: true),
            Property(name: "plan", type: .string(StringType()), updateRequired: true),
            Property(name: "city", type: .string(StringType())),
        ])
        let user = ValueObject(row.user.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) })
        #expect(RequiredProperties(outSchema: schema).problem(in: user, creating: row.creating, updating: row.updating) == row.problem)
    }
}
