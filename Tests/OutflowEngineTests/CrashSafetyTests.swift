import Foundation
import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowStore
import Testing

/// What a run leaves behind when it stops early, and what the next run makes of it.
@Suite struct CrashSafetyTests {
    static func profiles(_ count: Int) -> [[String: Any]] {
        (1...count).map { ["id": $0, "email": "p\($0)@x.com", "name": "P\($0)"] }
    }

    @Test func manyBatchesInFlightGiveExactCounts() async throws {
        let harness = try EngineHarness(profiles: Self.profiles(1000))
        let app = InMemoryApplication(capabilities: ApplicationCapabilities(lookupBatchSize: 10, createBatchSize: 4, caseInsensitiveProperties: ["email"]))
        let report = try await harness.run(app, maxInFlight: 4)
        #expect(report.run.counts == RunCounts(read: 1000, created: 1000))
        #expect(await app.users.count == 1000)
        #expect(await app.lookupRequests == 100)
        #expect(await app.createRequests == 300)
    }

    @Test func anInterruptedRunIsFinishedByTheNextWithNoUserCreatedTwice() async throws {
        let harness = try EngineHarness(profiles: Self.profiles(600))
        let app = InMemoryApplication(capabilities: ApplicationCapabilities(lookupBatchSize: 50, caseInsensitiveProperties: ["email"]))
        let stop = StopSignal()
        var options = ExportOptions()
        options.maxInFlight = 2
        let first = try await harness.engine(app, options: options).run(progress: { progress in
            if progress.done >= 100 { stop.request() }
        }, stop: stop)
        #expect(first.interrupted)
        #expect(first.run.error == "interrupted")
        let sent = first.run.counts.created
        #expect(sent >= 100 && sent < 600)
        #expect(await app.users.count == sent)

        let second = try await harness.run(app)
        #expect(second.run.status == .finished)
        #expect(second.run.counts == RunCounts(read: 600, created: 600 - sent, unchanged: sent))
        #expect(await app.users.count == 600)
    }

    @Test func usersTheApplicationCreatedButTheStoreNeverRecordedAreUpdatedNotCreatedAgain() async throws {
        let harness = try EngineHarness(profiles: Self.profiles(30))
        let app = InMemoryApplication(capabilities: .lookupOnly)
        #expect(try await harness.run(app).run.counts == RunCounts(read: 30, created: 30))
        // As if the process had been killed after the application answered, before the commit.
        try harness.store.resetExportState(pipeline: 7)
        let again = try await harness.run(app)
        #expect(again.run.counts == RunCounts(read: 30, updated: 30))
        #expect(await app.users.count == 30)
    }

    @Test func aStaleLockIsTakenOverAndItsRunMarkedInterrupted() async throws {
        let harness = try EngineHarness(profiles: Self.profiles(3))
        let stale = try harness.store.startRun(
            pipeline: 7, workspace: "test", owner: RunOwner(pid: 1, host: "elsewhere"), now: Date().addingTimeInterval(-120))
        let report = try await harness.run(InMemoryApplication(capabilities: .hubSpotLike))
        #expect(report.run.status == .finished)
        let old = try #require(try harness.store.run(stale.id ?? 0))
        #expect(old.status == .failed)
        #expect(old.error == "interrupted")
    }
}
