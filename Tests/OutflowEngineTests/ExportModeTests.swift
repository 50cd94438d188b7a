import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowStore
import Testing

/// Every export mode × updateOnDuplicates × matching property, against an application holding one
/// user for `OLD@x.com` / `+100` and two users sharing the phone `+200` (emails unique).
@Suite struct ExportModeTests {
    struct Row: Sendable, CustomStringConvertible {
        var mode: String
        var updateOnDuplicates: Bool
        var matching: String
        var counts: RunCounts
        /// Users in the application afterwards.
        var users: Int
        var description: String { "\(mode) dup=\(updateOnDuplicates) \(matching)" }
    }

    static var profiles: [[String: Any]] {
        [
            ["id": 1, "email": "OLD@x.com", "phone": "+100", "name": "Old"],
            ["id": 2, "email": "new@x.com", "phone": "+300", "name": "New"],
            ["id": 3, "email": "twin1@x.com", "phone": "+200", "name": "Twin"],
        ]
    }

    static let appUsers: [[String: String]] = [
        ["email": "old@x.com", "phone": "+100"],
        ["email": "twin1@x.com", "phone": "+200"],
        ["email": "twin2@x.com", "phone": "+200"],
    ]

    static let rows: [Row] = [false, true].flatMap { duplicates -> [Row] in
        [
            // email is unique: no profile meets duplicates in the app.
            Row(mode: "CreateOnly", updateOnDuplicates: duplicates, matching: "email", counts: RunCounts(read: 3, created: 1, skipped: 2), users: 4),
            Row(mode: "UpdateOnly", updateOnDuplicates: duplicates, matching: "email", counts: RunCounts(read: 3, updated: 2, skipped: 1), users: 3),
            Row(mode: "CreateOrUpdate", updateOnDuplicates: duplicates, matching: "email", counts: RunCounts(read: 3, created: 1, updated: 2), users: 4),
            // phone is not: profile 3 matches two users.
            Row(mode: "CreateOnly", updateOnDuplicates: duplicates, matching: "phone", counts: RunCounts(read: 3, created: 1, skipped: 2), users: 4),
            Row(
                mode: "UpdateOnly", updateOnDuplicates: duplicates, matching: "phone",
                counts: duplicates ? RunCounts(read: 3, updated: 2, skipped: 1) : RunCounts(read: 3, updated: 1, skipped: 1, failed: 1), users: 3),
            Row(
                mode: "CreateOrUpdate", updateOnDuplicates: duplicates, matching: "phone",
                counts: duplicates ? RunCounts(read: 3, created: 1, updated: 2) : RunCounts(read: 3, created: 1, updated: 1, failed: 1), users: 4),
        ]
    }

    @Test(arguments: rows)
    func modeDuplicatesAndMatchingProperty(_ row: Row) async throws {
        let harness = try EngineHarness(profiles: Self.profiles, mode: row.mode, updateOnDuplicates: row.updateOnDuplicates, matching: row.matching)
        let app = InMemoryApplication(capabilities: .hubSpotLike, matchingProperty: row.matching, users: Self.appUsers)
        let report = try await harness.run(app)
        #expect(report.run.status == .finished)
        #expect(report.run.counts == row.counts)
        #expect(await app.users.count == row.users)
        if row.counts.failed > 0 {
            #expect(report.errors.map(\.message) == ["duplicates found for the matching property «phone» in the app users"])
            #expect(report.errors.map(\.stage) == ["match"])
            #expect(report.errors.map(\.profile) == ["3"])
        }
        // A created user carries the matching value the engine set from matching.in.
        if row.counts.created > 0 {
            let created = await app.users(where: row.matching, is: row.matching == "email" ? "new@x.com" : "+300")
            #expect(created.count == 1)
            #expect(created.first?.properties["name"] == .string("New"))
        }
        // With updateOnDuplicates both users sharing +200 got the profile's name.
        if row.matching == "phone" && row.updateOnDuplicates && row.mode != "CreateOnly" {
            #expect(await app.users(where: "phone", is: "+200").map { $0.properties["name"] } == [.string("Twin"), .string("Twin")])
        }
    }

    @Test func upsertShortcutSkipsTheLookupAndDryRunDoesNot() async throws {
        let harness = try EngineHarness(profiles: Self.profiles)
        let app = InMemoryApplication(capabilities: .hubSpotLike, users: Self.appUsers)
        let dry = try await harness.run(app, dryRun: true)
        #expect(dry.run.dryRun)
        #expect(dry.run.counts == RunCounts(read: 3, created: 1, updated: 2))
        #expect(await app.lookupRequests == 1)
        #expect(await app.writeRequests == 0)
        #expect(try harness.exportState(["old@x.com", "new@x.com", "twin1@x.com"]).isEmpty)

        let real = try await harness.run(app)
        #expect(real.run.counts == RunCounts(read: 3, created: 1, updated: 2))
        #expect(await app.lookupRequests == 1)
        #expect(await app.upsertRequests == 1)
        #expect(await app.createRequests == 0)
    }

    @Test func createRequiredIsCheckedOnlyWhenCreating() async throws {
        let profiles: [[String: Any]] = [
            ["id": 1, "email": "old@x.com"],  // exists: an update does not need a name
            ["id": 2, "email": "new@x.com"],  // new: a create does
            ["id": 3, "email": "named@x.com", "name": "Named"],
        ]
        let harness = try EngineHarness(profiles: profiles, nameRequired: true)
        let app = InMemoryApplication(capabilities: .lookupOnly, users: [["email": "old@x.com"]])
        let report = try await harness.run(app)
        #expect(report.run.counts == RunCounts(read: 3, created: 1, updated: 1, failed: 1))
        #expect(report.errors.map(\.stage) == ["validate"])
        #expect(report.errors.first?.message == "«name» is required to create a user, but the transformation gives it no value")
    }
}
