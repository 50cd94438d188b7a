import Foundation
import OutflowStore
import Testing

@Suite struct RunsCommandTests {
    /// A copy of the demo workspace in a temporary folder, with a state store holding two runs.
    func workspaceWithRuns() throws -> (directory: URL, workspace: String, runs: [Int64]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: CLIProcess.fixture("workspaces/demo.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../profiles/customers.csv", with: CLIProcess.fixture("profiles/customers.csv"))
        let workspace = directory.appendingPathComponent("outflow.json").path
        try text.write(toFile: workspace, atomically: true, encoding: .utf8)
        let store = try StateStore(path: directory.appendingPathComponent(".outflow/state.sqlite").path)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try #require(try store.startRun(pipeline: 101, workspace: "demo", owner: .current(), now: start).id)
        let errors = (1...7).map { ProfileError(run: first, profile: "\($0)", stage: $0 <= 5 ? "input" : "send", message: "problem \($0)") }
        try store.commitBatch(
            run: first, pipeline: 101, counts: RunCounts(read: 20, created: 13, failed: 7), errors: errors,
            exported: [ExportStateEntry(matchingValue: "a@b.c", userIds: ["1"], payloadHash: "h", confirmedAt: start)])
        try store.finishRun(first, status: .finished, error: nil, now: start.addingTimeInterval(3))
        let second = try #require(try store.startRun(pipeline: 102, workspace: "demo", owner: .current(), now: start.addingTimeInterval(60)).id)
        try store.finishRun(second, status: .failed, error: "authentication failed", now: start.addingTimeInterval(61))
        return (directory, workspace, [first, second])
    }

    @Test func listShowsRunsNewestFirst() throws {
        let (directory, workspace, runs) = try workspaceWithRuns()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIProcess.run(["runs", "list", workspace])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 2)
        #expect(result.stdoutLines[0].hasPrefix("\(runs[1])\tpipeline 102\tfailed"))
        #expect(result.stdoutLines[0].hasSuffix("error: authentication failed"))
        #expect(result.stdoutLines[1].contains("read 20 filteredOut 0 created 13 updated 0 unchanged 0 skipped 0 failed 7"))
        let json = try CLIProcess.run(["runs", "list", workspace, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdoutLines[1].utf8)) as? [String: Any])
        #expect(object["runId"] as? Int == Int(runs[0]))
        #expect(object["startedAt"] as? String == "2027-01-15T08:00:00Z")
        #expect((object["counts"] as? [String: Int])?["failed"] == 7)
    }

    @Test func showGroupsErrorsByStageAndErrorsPrintsThemAll() throws {
        let (directory, workspace, runs) = try workspaceWithRuns()
        defer { try? FileManager.default.removeItem(at: directory) }
        let show = try CLIProcess.run(["runs", "show", String(runs[0]), workspace])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("input errors: 5"))
        #expect(show.stdout.contains("send errors: 2"))
        let errors = try CLIProcess.run(["runs", "errors", String(runs[0]), workspace])
        #expect(errors.stdoutLines == (1...7).map { "\($0)\t\($0 <= 5 ? "input" : "send")\tproblem \($0)" })
        let missing = try CLIProcess.run(["runs", "show", "999", workspace])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no run has the id 999"))
    }

    @Test func stateResetForgetsThePipelinesExportState() throws {
        let (directory, workspace, _) = try workspaceWithRuns()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIProcess.run(["state", "reset", workspace, "--pipeline", "Customers to HubSpot"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("forgot the export state of 1 matching value"))
        let store = try StateStore(path: directory.appendingPathComponent(".outflow/state.sqlite").path)
        #expect(try store.exportState(pipeline: 101, matchingValues: ["a@b.c"]).isEmpty)
        // Runs are kept.
        #expect(try store.runs().count == 2)

        // A pipeline the workspace does not have is a usage error, as in `run`, and forgets nothing.
        let unknown = try CLIProcess.run(["state", "reset", workspace, "--pipeline", "nope"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains(#"no pipeline has the id or name "nope"; pipelines: 101 "Customers to HubSpot""#), "\(unknown.stderr)")
    }
}
