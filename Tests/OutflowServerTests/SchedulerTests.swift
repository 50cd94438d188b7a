import Foundation
import OutflowCore
import OutflowServer
import OutflowStore
import OutflowWorkspace
import Testing

/// The scheduler inside the server, driven minute by minute with a manual clock.
///
/// The demo's pipeline 101 runs every hour at minute 15 (`"1h"`, start 15); the tests give its
/// pipeline 102 the same schedule but disable it, and add a workspace "other" (INACTIVE) whose
/// pipeline 201 is due at the same minutes.
@Suite("Scheduler")
struct SchedulerTests {
    /// 2024-05-31T00:00:30Z: the scheduler's first tick is 00:01.
    static let start = Date(timeIntervalSince1970: 1_717_113_630)
    static let midnight = Date(timeIntervalSince1970: 1_717_113_600)

    static func at(_ hour: Int, _ minute: Int) -> Date {
        midnight.addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    static let directory = ServerHarness.repository.appendingPathComponent("fixtures/workspaces").path

    static func document(_ text: String) throws -> WorkspaceImport {
        guard case .object(let document) = try JSONParser.parse(bytes: Array(text.utf8)) else { throw HarnessError("not an object") }
        return WorkspaceImport(document: document, directory: directory)
    }

    /// The demo with pipeline 102 scheduled like 101 but disabled, and a copy "other" (connection
    /// 2, pipeline 201 scheduled like 101), which the test sets INACTIVE.
    static func imports() throws -> [WorkspaceImport] {
        let demo = try String(contentsOfFile: ServerHarness.demoFile, encoding: .utf8)
        var changed = demo.replacingOccurrences(
            of: "\"name\": \"VIP Europeans\",\n      \"connection\": 1,\n      \"target\": \"User\",\n      \"enabled\": true",
            with: "\"name\": \"VIP Europeans\",\n      \"connection\": 1,\n      \"target\": \"User\",\n      \"enabled\": false")
        changed = changed.replacingOccurrences(
            of: "\"schedulePeriod\": null,\n      \"scheduleStart\": null", with: "\"schedulePeriod\": \"1h\",\n      \"scheduleStart\": 15")
        guard changed.contains("\"enabled\": false"), changed.components(separatedBy: "\"scheduleStart\": 15").count == 3 else {
            throw HarnessError("demo.json no longer has the shape these tests edit")
        }
        guard let vip = changed.range(of: "    {\n      \"id\": 102") else { throw HarnessError("demo.json: pipeline 102 not found") }
        var other = String(changed[..<vip.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        other = other.hasSuffix(",") ? String(other.dropLast()) + "\n  ]\n}" : other
        other = other.replacingOccurrences(of: "\"name\": \"demo\"", with: "\"name\": \"other\"")
            .replacingOccurrences(of: "\"id\": 1,", with: "\"id\": 2,").replacingOccurrences(of: "\"connection\": 1,", with: "\"connection\": 2,")
            .replacingOccurrences(of: "\"id\": 101,", with: "\"id\": 201,")
        return [try document(changed), try document(other)]
    }

    static func startServer(_ clock: ManualServerClock) async throws -> ServerHarness {
        let imports = try imports()
        let server = try await ServerHarness.start(importDemo: false) {
            $0.imports = imports
            $0.schedulerEnabled = true
            $0.clock = clock
        }
        _ = try server.server.services.store.setWorkspaceStatus("other", .inactive)
        return server
    }

    /// Moves the clock to `date` and waits until the scheduler has ticked for it.
    static func tick(_ clock: ManualServerClock, _ date: Date) async throws {
        clock.set(to: date)
        try await clock.waitForSleeper(after: date)
    }

    @Test("a due pipeline starts once per tick; not-due, disabled and inactive-workspace pipelines never")
    func dueOnly() async throws {
        let clock = ManualServerClock(Self.start)
        let server = try await Self.startServer(clock)
        let store = server.server.services.store
        let runs = server.server.services.runs
        try await clock.waitForSleeper(after: Self.start)

        try await Self.tick(clock, Self.at(0, 14))
        let beforeDue = try store.runs(pipeline: 101).count
        try await Self.tick(clock, Self.at(0, 15))
        await runs.waitForIdle()
        let afterDue = try store.runs(pipeline: 101).count
        try await Self.tick(clock, Self.at(0, 16))
        try await Self.tick(clock, Self.at(0, 45))
        let notDue = try store.runs(pipeline: 101).count
        try await Self.tick(clock, Self.at(1, 15))
        await runs.waitForIdle()
        let nextHour = try store.runs(pipeline: 101).count
        let disabled = try store.runs(pipeline: 102).count
        let inactive = try store.runs(pipeline: 201).count
        await server.stop()

        #expect(beforeDue == 0)
        #expect(afterDue == 1)
        #expect(notDue == 1)
        #expect(nextHour == 2)
        #expect(disabled == 0)
        #expect(inactive == 0)
    }

    @Test("a tick while the last run still goes is skipped, not doubled")
    func skippedWhileRunning() async throws {
        let clock = ManualServerClock(Self.start)
        let server = try await Self.startServer(clock)
        let store = server.server.services.store
        try await clock.waitForSleeper(after: Self.start)
        // A run of 101 going (as `outflow run` on the same store would hold it).
        let held = try store.startRun(pipeline: 101, workspace: "demo", owner: .current())

        try await Self.tick(clock, Self.at(0, 15))
        await server.server.services.runs.waitForIdle()
        let during = try store.runs(pipeline: 101)
        let metrics = server.server.services.metrics.render()

        if let id = held.id { try store.finishRun(id, status: .finished, error: nil) }
        try await Self.tick(clock, Self.at(1, 15))
        await server.server.services.runs.waitForIdle()
        let after = try store.runs(pipeline: 101)
        await server.stop()

        #expect(during.count == 1)
        #expect(during.first?.id == held.id)
        #expect(metrics.contains("outflow_runs_refused_total{reason=\"conflict\"} 1"))
        #expect(after.count == 2)
    }

    @Test("a scheduled run goes end to end against the demo's HubSpot mock")
    func endToEnd() async throws {
        let clock = ManualServerClock(Self.start)
        let server = try await ServerHarness.start { $0.schedulerEnabled = true; $0.clock = clock }
        try await clock.waitForSleeper(after: Self.start)
        try await Self.tick(clock, Self.at(0, 15))
        await server.server.services.runs.waitForIdle()
        let runs = try server.server.services.store.runs(pipeline: 101)
        await server.stop()

        #expect(runs.count == 1)
        #expect(runs.first?.status == .finished)
        #expect(runs.first?.error == nil)
        #expect((runs.first?.created ?? 0) > 0)
    }

    @Test("the scheduler stops at graceful shutdown while it waits for the next minute")
    func stopsOnShutdown() async throws {
        let clock = ManualServerClock(Self.start)
        let server = try await ServerHarness.start { $0.schedulerEnabled = true; $0.clock = clock }
        try await clock.waitForSleeper(after: Self.start)
        await server.stop()
        #expect(clock.deadlines.isEmpty)
    }
}
