import Foundation
import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowStore
import Testing

@Suite struct ExportRuleTests {
    @Test func nullAndMissingMatchingValuesFail() async throws {
        let harness = try EngineHarness(profiles: [
            ["id": 1, "email": NSNullValue.null, "name": "Null"],
            ["id": 2, "name": "Missing"],
            ["id": 3, "email": "ok@x.com", "name": "Ok"],
        ])
        let app = InMemoryApplication(capabilities: .hubSpotLike)
        let report = try await harness.run(app)
        #expect(report.run.counts == RunCounts(read: 3, created: 1, failed: 2))
        #expect(report.errors.map(\.profile) == ["1", "2"])
        #expect(report.errors.allSatisfy { $0.stage == "match" && $0.message == "the matching property «email» has no value" })
    }

    struct SharedRow: Sendable, CustomStringConvertible {
        var matching: String
        var values: [String]
        var failed: Int
        var description: String { "\(matching) \(values)" }
    }

    /// Profiles sharing a matching value all fail; email compares without case, phone exactly.
    @Test(arguments: [
        SharedRow(matching: "email", values: ["a@x.com", "A@X.com", "b@x.com"], failed: 2),
        SharedRow(matching: "email", values: ["a@x.com", "b@x.com", "a@x.com"], failed: 2),
        SharedRow(matching: "phone", values: ["+1", "+1", "+2"], failed: 2),
        SharedRow(matching: "phone", values: ["+1", "+2", "+3"], failed: 0),
    ])
    func profilesSharingAMatchingValueAllFail(_ row: SharedRow) async throws {
        let profiles: [[String: Any]] = row.values.enumerated().map { ["id": $0.offset + 1, row.matching: $0.element, "name": "P\($0.offset)"] }
        let harness = try EngineHarness(profiles: profiles, matching: row.matching)
        let app = InMemoryApplication(capabilities: .hubSpotLike, matchingProperty: row.matching)
        let report = try await harness.run(app)
        #expect(report.run.counts == RunCounts(read: 3, created: 3 - row.failed, failed: row.failed))
        #expect(report.errors.allSatisfy { $0.stage == "match" })
        if row.failed > 0 {
            #expect(report.errors.first?.message == "profile has the same «\(row.matching)» (the matching property) as other profiles selected for export")
        }
        #expect(await app.users.count == 3 - row.failed)
    }

    /// The duplicate check reads only the matching and filter columns (CSV): a profile whose other
    /// cell does not decode is still in the selection, so one sharing its email fails too, and the
    /// verdict on the good one does not change when the bad cell is fixed.
    @Test func aProfileWithABadCellElsewhereStillCountsInTheDuplicateCheck() async throws {
        let harness = try EngineHarness(csv: "")
        // `name` is in the pipeline's inSchema (decoded by the export pass, not by the first pass).
        let bytes = Array("id,email,name\n1,a@x.com,Good\n2,a@x.com,B".utf8) + [0xFF] + Array("d\n3,b@x.com,Other\n".utf8)
        try Data(bytes).write(to: harness.directory.appendingPathComponent("profiles.csv"))
        let app = InMemoryApplication(capabilities: .hubSpotLike)
        let report = try await harness.run(app)
        #expect(report.run.counts == RunCounts(read: 3, created: 1, failed: 2))
        let byProfile = Dictionary(uniqueKeysWithValues: report.errors.map { ($0.profile, $0) })
        #expect(byProfile["1"]?.stage == "match")
        #expect(byProfile["1"]?.message == "profile has the same «email» (the matching property) as other profiles selected for export")
        #expect(byProfile["2"]?.stage == "input")
        #expect(byProfile["2"]?.message.contains("«name»") == true)
        #expect(await app.users.count == 1)
    }

    /// A CSV run decodes only the columns the pipeline reads (inSchema, filter, matching, key, and
    /// `updatedAt` when a window is given): a bad cell in another column neither costs decoding nor
    /// fails its profile; the same cell fails the profile once a window makes the run read it.
    @Test func aBadCellOutsideThePipelinesColumnsDoesNotFailItsProfile() async throws {
        let csv = "id,email,name,updated_at\n1,a@x.com,A,2024-06-01T00:00:00Z\n2,b@x.com,B,not a date\n"
        let harness = try EngineHarness(csv: csv)
        let app = InMemoryApplication(capabilities: .hubSpotLike)
        let report = try await harness.run(app)
        #expect(report.run.counts == RunCounts(read: 2, created: 2))
        #expect(report.errors.isEmpty)
        #expect(await app.users.count == 2)

        let windowed = try EngineHarness(csv: csv)
        let window = TimeWindow(begin: DateTimeValue(parsing: "2024-01-01T00:00:00Z"), end: DateTimeValue(parsing: "2025-01-01T00:00:00Z"))
        let other = InMemoryApplication(capabilities: .hubSpotLike)
        let windowedReport = try await windowed.run(other, window: window)
        #expect(windowedReport.run.counts == RunCounts(read: 2, created: 1, failed: 1))
        #expect(windowedReport.errors.first?.stage == "input")
        #expect(windowedReport.errors.first?.message.contains("«updated_at»") == true)
        #expect(await other.users.count == 1)
    }

    @Test func aProfileTheFilterDropsIsNotADuplicate() async throws {
        let filter = #"{"logical": "and", "conditions": [{"property": "name", "operator": "is not", "values": ["Hidden"]}]}"#
        let harness = try EngineHarness(
            profiles: [["id": 1, "email": "a@x.com", "name": "Shown"], ["id": 2, "email": "a@x.com", "name": "Hidden"]], filter: filter)
        let report = try await harness.run(InMemoryApplication(capabilities: .hubSpotLike))
        #expect(report.run.counts == RunCounts(read: 2, filteredOut: 1, created: 1))
    }

    @Test func aRerunWithNoChangeSendsNothingAndFullResendsEverything() async throws {
        let profiles: [[String: Any]] = (1...5).map { ["id": $0, "email": "p\($0)@x.com", "name": "P\($0)"] }
        let harness = try EngineHarness(profiles: profiles)
        let app = InMemoryApplication(capabilities: .lookupOnly)
        let first = try await harness.run(app)
        #expect(first.run.counts == RunCounts(read: 5, created: 5))
        let (lookups, writes) = (await app.lookupRequests, await app.writeRequests)

        let second = try await harness.run(app)
        #expect(second.run.counts == RunCounts(read: 5, unchanged: 5))
        #expect(await app.writeRequests == writes)
        #expect(await app.lookupRequests == lookups)

        var changed = profiles
        changed[2]["name"] = "Renamed"
        try harness.write(changed)
        let third = try await harness.run(app)
        #expect(third.run.counts == RunCounts(read: 5, updated: 1, unchanged: 4))
        #expect(await app.users(where: "email", is: "p3@x.com").first?.properties["name"] == .string("Renamed"))

        let full = try await harness.run(app, full: true)
        #expect(full.run.counts == RunCounts(read: 5, updated: 5))
        #expect(await app.users.count == 5)
    }

    @Test func aFailedProfileIsNotRecordedAndIsRetriedNextRun() async throws {
        let profiles: [[String: Any]] = (1...4).map { ["id": $0, "email": "p\($0)@x.com", "name": "P\($0)"] }
        let harness = try EngineHarness(profiles: profiles)
        let app = InMemoryApplication(capabilities: .lookupOnly)
        await app.refuseWrites(of: ["p2@x.com"], message: "Property values were not valid")
        let first = try await harness.run(app)
        #expect(first.run.counts == RunCounts(read: 4, created: 3, failed: 1))
        #expect(first.errors.map { [$0.profile, $0.stage, $0.message] } == [["2", "send", "Property values were not valid"]])
        #expect(try harness.exportState(["p2@x.com"]).isEmpty)
        #expect(try harness.exportState(["p1@x.com"])["p1@x.com"]?.userIds == ["1"])

        await app.clearRefusals()
        let second = try await harness.run(app)
        #expect(second.run.counts == RunCounts(read: 4, created: 1, unchanged: 3))
        #expect(await app.users.count == 4)
    }

    @Test func aCreateWhoseAnswerWasLostIsResolvedByALookup() async throws {
        let profiles: [[String: Any]] = (1...3).map { ["id": $0, "email": "p\($0)@x.com", "name": "P\($0)"] }
        let harness = try EngineHarness(profiles: profiles, mode: "CreateOnly")
        let app = InMemoryApplication(capabilities: .lookupOnly)
        await app.loseCreateAnswers(for: ["p2@x.com"])
        let report = try await harness.run(app)
        #expect(report.run.counts == RunCounts(read: 3, created: 3))
        #expect(await app.users(where: "email", is: "p2@x.com").count == 1)
        #expect(await app.createRequests == 1)
        // One lookup to plan, one to resolve the lost answer.
        #expect(await app.lookupRequests == 2)
        #expect(try harness.exportState(["p2@x.com"])["p2@x.com"]?.userIds == ["2"])
    }

    @Test(arguments: ["CreateOnly", "CreateOrUpdate"])
    func aWriteRefusedForAuthenticationStopsTheRunAfterOneBatch(mode: String) async throws {
        // 250 profiles are 3 batches of 100; the first write is refused with a 401, so the run
        // stops there instead of failing all 250 profiles one batch after another.
        let profiles: [[String: Any]] = (1...250).map { ["id": $0, "email": "p\($0)@x.com"] }
        let harness = try EngineHarness(profiles: profiles, mode: mode)
        let capabilities: ApplicationCapabilities = mode == "CreateOrUpdate" ? .hubSpotLike : .lookupOnly
        let app = InMemoryApplication(capabilities: capabilities)
        await app.rejectWrites(with: .authenticationFailed(connector: "hubspot", status: 401, message: "token revoked"))
        let report = try await harness.run(app, maxInFlight: 1)
        #expect(report.run.status == .failed)
        #expect(report.run.error == "hubspot: authentication failed (HTTP 401): token revoked")
        #expect(report.run.counts.failed == 100)
        #expect(await app.writeRequests == 1)
        #expect(try harness.exportState(["p1@x.com"]).isEmpty)
    }

    @Test func anAuthenticationFailureStopsTheRun() async throws {
        let profiles: [[String: Any]] = (1...250).map { ["id": $0, "email": "p\($0)@x.com"] }
        let harness = try EngineHarness(profiles: profiles, mode: "UpdateOnly")
        let app = InMemoryApplication(capabilities: .lookupOnly)
        await app.failLookups(with: .authenticationFailed(connector: "hubspot", status: 401, message: "Authentication credentials not found"))
        let report = try await harness.run(app, maxInFlight: 1)
        #expect(report.run.status == .failed)
        #expect(report.run.error == "hubspot: authentication failed (HTTP 401): Authentication credentials not found")
        #expect(report.run.counts.failed == 0)
        #expect(await app.lookupRequests == 1)
        #expect(await app.writeRequests == 0)
        #expect(!report.interrupted)
    }

    @Test func fiveBatchesFailingWholeInARowStopTheRun() async throws {
        let profiles: [[String: Any]] = (1...2000).map { ["id": $0, "email": "p\($0)@x.com"] }
        let harness = try EngineHarness(profiles: profiles)
        let app = InMemoryApplication(capabilities: .lookupOnly)
        await app.failAllWrites(true)
        let report = try await harness.run(app, maxInFlight: 1)
        #expect(report.run.status == .failed)
        #expect(report.run.error == "5 batches in a row failed whole; the last error: HTTP 500 after 3 retries")
        #expect(report.run.counts == RunCounts(read: 500, failed: 500))
        #expect(await app.createRequests == 5)
        #expect(try harness.exportState(["p1@x.com"]).isEmpty)
    }

    @Test func aSecondRunOfThePipelineIsRefusedWhileTheFirstHoldsTheLock() async throws {
        let harness = try EngineHarness(profiles: [["id": 1, "email": "a@x.com"]])
        let held = try harness.store.startRun(pipeline: 7, workspace: "test", owner: .current())
        let engine = try harness.engine(InMemoryApplication())
        await #expect(throws: EngineError.self) { try await engine.run() }
        do {
            _ = try await engine.run()
        } catch {
            #expect(error.description.hasPrefix("pipeline 7 is already running (run \(held.id ?? 0), pid"))
        }
        try harness.store.finishRun(held.id ?? 0, status: .finished, error: nil)
        #expect(try await engine.run().run.status == .finished)
    }

    @Test func theTimeWindowKeepsProfilesUpdatedInsideIt() async throws {
        let profiles: [[String: Any]] = [
            ["id": 1, "email": "before@x.com", "updated_at": "2023-12-31T23:59:59Z"],
            ["id": 2, "email": "begin@x.com", "updated_at": "2024-01-01T00:00:00Z"],
            ["id": 3, "email": "inside@x.com", "updated_at": "2024-06-01T12:00:00Z"],
            ["id": 4, "email": "end@x.com", "updated_at": "2025-01-01T00:00:00Z"],
            ["id": 5, "email": "null@x.com", "updated_at": NSNullValue.null],
        ]
        let harness = try EngineHarness(profiles: profiles)
        let window = TimeWindow(begin: DateTimeValue(parsing: "2024-01-01T00:00:00Z"), end: DateTimeValue(parsing: "2025-01-01T00:00:00Z"))
        let report = try await harness.run(InMemoryApplication(capabilities: .hubSpotLike), window: window)
        #expect(report.run.counts == RunCounts(read: 5, filteredOut: 3, created: 2))
    }

    @Test func aConnectorThatCannotLookUpDeliversEverythingChanged() async throws {
        let profiles: [[String: Any]] = (1...3).map { ["id": $0, "email": "p\($0)@x.com", "name": "P\($0)"] }
        let webhook = ApplicationCapabilities(canLookup: false)
        let updateOnly = try EngineHarness(profiles: profiles, mode: "UpdateOnly")
        #expect(throws: EngineError.self) { try updateOnly.engine(InMemoryApplication(capabilities: webhook)) }

        let harness = try EngineHarness(profiles: profiles)
        let app = InMemoryApplication(capabilities: webhook)
        #expect(try await harness.run(app).run.counts == RunCounts(read: 3, created: 3))
        var changed = profiles
        changed[0]["name"] = "Changed"
        try harness.write(changed)
        #expect(try await harness.run(app).run.counts == RunCounts(read: 3, updated: 1, unchanged: 2))
        #expect(await app.lookupRequests == 0)
    }

    @Test func aStopRequestEndsTheRunInterrupted() async throws {
        let harness = try EngineHarness(profiles: (1...10).map { ["id": $0, "email": "p\($0)@x.com"] })
        let stop = StopSignal()
        stop.request()
        let report = try await harness.engine(InMemoryApplication(capabilities: .hubSpotLike)).run(stop: stop)
        #expect(report.interrupted)
        #expect(report.run.status == .failed)
        #expect(report.run.error == "interrupted")
    }

    @Test func countsAddUpOverInputTransformAndFilterOutcomes() async throws {
        let filter = #"{"logical": "and", "conditions": [{"property": "name", "operator": "is not", "values": ["Skip me"]}]}"#
        let harness = try EngineHarness(profiles: [], filter: filter)
        // A bad record (id is not an int), a filtered one, a good one: every record has one outcome.
        let lines = [
            #"{"id": "x", "email": "bad@x.com"}"#, #"{"id": 2, "email": "f@x.com", "name": "Skip me"}"#, #"{"id": 3, "email": "ok@x.com"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: harness.directory.appendingPathComponent("profiles.ndjson"), atomically: true, encoding: .utf8)
        let report = try await harness.run(InMemoryApplication(capabilities: .hubSpotLike))
        let counts = report.run.counts
        #expect(counts == RunCounts(read: 3, filteredOut: 1, created: 1, failed: 1))
        #expect(counts.read == counts.filteredOut + counts.created + counts.updated + counts.unchanged + counts.skipped + counts.failed)
        #expect(report.errors.map(\.stage) == ["input"])
    }
}

/// `NSNull` under a name that reads as what the profile holds: a JSON null.
enum NSNullValue {
    static var null: Any { Foundation.NSNull() }
}
