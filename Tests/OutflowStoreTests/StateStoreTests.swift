import Foundation
import Testing
@testable import OutflowStore

/// A store in a fresh temporary folder, removed afterwards.
func withStore<T>(staleAfter: TimeInterval = 30, _ body: (StateStore, String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-store-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent(".outflow/state.sqlite").path
    return try body(try StateStore(path: path, staleAfter: staleAfter), path)
}

@Suite struct StateStoreTests {
    let me = RunOwner.current()
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func runLifecycleKeepsCountsAndEveryError() throws {
        try withStore { store, _ in
            let run = try store.startRun(pipeline: 101, workspace: "demo", owner: me, now: start)
            let id = try #require(run.id)
            #expect(run.status == .running)
            let errors = (0..<250).map { ProfileError(run: id, profile: "\($0)", stage: "input", message: "bad \($0)") }
            try store.commitBatch(run: id, pipeline: 101, counts: RunCounts(read: 300, created: 40, failed: 250), errors: errors, exported: [])
            try store.commitBatch(run: id, pipeline: 101, counts: RunCounts(read: 10, updated: 10), errors: [], exported: [])
            try store.finishRun(id, status: .finished, error: nil, now: start.addingTimeInterval(5))
            let stored = try #require(try store.run(id))
            #expect(stored.status == .finished)
            #expect(stored.counts == RunCounts(read: 310, created: 40, updated: 10, failed: 250))
            #expect(stored.finishedAt == start.addingTimeInterval(5))
            // Every error is kept, not only the first 100, in the order recorded.
            let kept = try store.errors(run: id)
            #expect(kept.count == 250)
            #expect(kept.first?.profile == "0" && kept.last?.profile == "249")
            #expect(try store.runs().map(\.id) == [id])
        }
    }

    @Test func aSecondStartIsRefusedWhileTheFirstIsAlive() throws {
        try withStore { store, _ in
            let first = try store.startRun(pipeline: 7, workspace: "w", owner: me, now: start)
            do {
                _ = try store.startRun(pipeline: 7, workspace: "w", owner: me, now: start.addingTimeInterval(10))
                Issue.record("a second run started while the first holds the lock")
            } catch let error as StoreError {
                #expect(error.message.contains("pipeline 7 is already running (run \(first.id ?? -1)"))
            } catch {
                Issue.record("unexpected \(error)")
            }
            // Another pipeline is not blocked.
            _ = try store.startRun(pipeline: 8, workspace: "w", owner: me, now: start)
            // After the first finishes, the pipeline can run again.
            let firstID = try #require(first.id)
            try store.finishRun(firstID, status: .finished, error: nil)
            _ = try store.startRun(pipeline: 7, workspace: "w", owner: me, now: start.addingTimeInterval(20))
        }
    }

    @Test func aLockWithAnOldHeartbeatIsTakenOverAndItsRunFails() throws {
        try withStore(staleAfter: 30) { store, _ in
            let other = RunOwner(pid: me.pid, host: "elsewhere")
            let first = try store.startRun(pipeline: 7, workspace: "w", owner: other, now: start)
            let firstRun = try #require(first.id)
            try store.heartbeat(run: firstRun, pipeline: 7, now: start.addingTimeInterval(20))
            // 45 s after the last heartbeat (> 30 s): taken over.
            let second = try store.startRun(pipeline: 7, workspace: "w", owner: me, now: start.addingTimeInterval(65))
            #expect(second.id != first.id)
            let firstID = try #require(first.id)
            let old = try #require(try store.run(firstID))
            #expect(old.status == .failed)
            #expect(old.error == "interrupted")
        }
    }

    @Test func aLockWhoseProcessIsGoneOnThisHostIsTakenOver() throws {
        try withStore { store, _ in
            // A child that has exited: its pid is gone.
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/true")
            try child.run()
            child.waitUntilExit()
            let dead = RunOwner(pid: child.processIdentifier, host: me.host)
            let first = try store.startRun(pipeline: 9, workspace: "w", owner: dead, now: start)
            let second = try store.startRun(pipeline: 9, workspace: "w", owner: me, now: start.addingTimeInterval(1))
            #expect(second.id != first.id)
            let firstID = try #require(first.id)
            #expect(try store.run(firstID)?.error == "interrupted")
        }
    }

    @Test func exportStateIsUpsertedReadInSlicesAndReset() throws {
        try withStore { store, _ in
            let run = try #require(try store.startRun(pipeline: 1, workspace: "w", owner: me, now: start).id)
            let entries = (0..<1_200).map {
                ExportStateEntry(matchingValue: "user\($0)@example.com", userIds: ["\($0)"], payloadHash: "h\($0)", confirmedAt: start)
            }
            #expect(try !store.hasExportState(pipeline: 1))
            try store.commitBatch(run: run, pipeline: 1, counts: RunCounts(), errors: [], exported: entries)
            #expect(try store.hasExportState(pipeline: 1))
            #expect(try !store.hasExportState(pipeline: 2))
            // A later confirmation replaces the entry.
            let changed = ExportStateEntry(matchingValue: "user5@example.com", userIds: ["5", "5\"5\\é"], payloadHash: "new", confirmedAt: start)
            try store.commitBatch(run: run, pipeline: 1, counts: RunCounts(), errors: [], exported: [changed])
            let wanted = (0..<1_200).map { "user\($0)@example.com" } + ["nobody@example.com"]
            let found = try store.exportState(pipeline: 1, matchingValues: wanted)
            #expect(found.count == 1_200)
            #expect(found["user5@example.com"] == changed)
            #expect(found["user1199@example.com"]?.payloadHash == "h1199")
            #expect(found["nobody@example.com"] == nil)
            // Another pipeline's state is separate.
            #expect(try store.exportState(pipeline: 2, matchingValues: wanted).isEmpty)
            #expect(try store.resetExportState(pipeline: 1) == 1_200)
            #expect(try store.exportState(pipeline: 1, matchingValues: wanted).isEmpty)
            #expect(try !store.hasExportState(pipeline: 1))
        }
    }

    /// Several batches in one transaction: their counts add up, their errors are all kept, and every
    /// entry lands, whether it went through a 100-row statement or the one-row one for the rest; a
    /// matching value twice in one statement keeps its later value, as two statements would.
    @Test func severalBatchesCommitTogether() throws {
        try withStore { store, _ in
            let run = try #require(try store.startRun(pipeline: 4, workspace: "w", owner: me, now: start).id)
            let later = start.addingTimeInterval(61.5)
            var first = (0..<150).map { ExportStateEntry(matchingValue: "u\($0)@x.org", userIds: ["\($0)"], payloadHash: "a\($0)", confirmedAt: start) }
            first[40] = ExportStateEntry(matchingValue: "u7@x.org", userIds: ["7", "70"], payloadHash: "again", confirmedAt: later)
            let second = (150..<255).map { ExportStateEntry(matchingValue: "u\($0)@x.org", userIds: ["\($0)"], payloadHash: "b\($0)", confirmedAt: later) }
            let error = ProfileError(run: run, profile: "9", stage: "transform", message: "bad")
            try store.commitBatches(run: run, pipeline: 4, [
                BatchRecord(counts: RunCounts(read: 151, created: 149, failed: 2), errors: [error, error], exported: first),
                BatchRecord(counts: RunCounts(read: 105, updated: 105), errors: [], exported: second),
                BatchRecord(counts: RunCounts(read: 3, unchanged: 3), errors: [error], exported: []),
            ])
            let record = try #require(try store.run(run))
            #expect(record.counts == RunCounts(read: 259, created: 149, updated: 105, unchanged: 3, failed: 2))
            #expect(try store.errors(run: run).count == 3)
            let found = try store.exportState(pipeline: 4, matchingValues: (0..<255).map { "u\($0)@x.org" })
            #expect(found.count == 254)  // u40 was replaced by the second u7
            #expect(found["u7@x.org"] == first[40])
            #expect(found["u40@x.org"] == nil)
            #expect(found["u149@x.org"] == first[149])
            #expect(found["u254@x.org"] == second.last)
            #expect(found["u200@x.org"]?.confirmedAt == later)
        }
    }

    @Test func theStoreSurvivesReopening() throws {
        try withStore { store, path in
            let run = try #require(try store.startRun(pipeline: 3, workspace: "w", owner: me, now: start).id)
            try store.commitBatch(
                run: run, pipeline: 3, counts: RunCounts(read: 1, created: 1), errors: [],
                exported: [ExportStateEntry(matchingValue: "a@b.c", userIds: ["1"], payloadHash: "x", confirmedAt: start)])
            let again = try StateStore(path: path)
            #expect(try again.run(run)?.counts.created == 1)
            #expect(try again.exportState(pipeline: 3, matchingValues: ["a@b.c"]).count == 1)
            // The reopened store sees the lock: the run is still going.
            #expect(throws: StoreError.self) { try again.startRun(pipeline: 3, workspace: "w", owner: me, now: start) }
        }
    }

    @Test func anUnwritableLocationIsAClearError() {
        do {
            _ = try StateStore(path: "/proc/outflow/state.sqlite")
            Issue.record("opened a store under /proc")
        } catch {
            #expect(error.message.hasPrefix("cannot open the state store at /proc/outflow/state.sqlite"))
        }
    }
}
