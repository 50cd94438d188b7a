import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import OutflowMocks
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `outflow run` end to end: the real binary, the real connector, the bundled or a test-started mock.
@Suite(.serialized) struct RunEndToEndTests {
    struct JSONLine {
        var object: [String: Any]
        var counts: [String: Int] { object["counts"] as? [String: Int] ?? [:] }
        var errors: [[String: Any]] { object["errors"] as? [[String: Any]] ?? [] }
    }

    static func lines(_ result: CLIProcess.Result) throws -> [JSONLine] {
        try result.stdoutLines.map { line in
            JSONLine(object: try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
        }
    }

    @Test func theDemoPrintsTheSameSummaryEveryTime() throws {
        let first = try CLIProcess.run(["run", CLIProcess.fixture("workspaces/demo.json")], background: true)
        let second = try CLIProcess.run(["run", CLIProcess.fixture("workspaces/demo.json")], background: true)
        #expect(first.status == 2, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("pipeline 101 \"Customers to HubSpot\": finished, run 1"))
        #expect(first.stdout.contains("pipeline 102 \"VIP Europeans\": finished, run 2"))
    }

    @Test func jsonPrintsOneLinePerPipelineRunWithExactCounts() throws {
        let result = try CLIProcess.run(["run", CLIProcess.fixture("workspaces/demo.json"), "--json"], background: true)
        #expect(result.status == 2, "\(result.stderr)")
        let lines = try Self.lines(result)
        #expect(lines.count == 2)
        for line in lines {
            let keys = Set(line.object.keys)
            #expect(keys.isSuperset(of: ["runId", "pipeline", "status", "startedAt", "finishedAt", "counts"]))
            #expect(line.object["status"] as? String == "finished")
            let c = line.counts
            #expect(c["read"] == 1200)
            #expect(c["read"] == ["filteredOut", "created", "updated", "unchanged", "skipped", "failed"].reduce(0) { $0 + (c[$1] ?? 0) })
            #expect(line.errors.count == min(100, c["failed"] ?? 0))
        }
        #expect(lines.map { $0.object["pipeline"] as? Int } == [101, 102])
        // 10 null emails and 5 pairs of emails differing in case fail pipeline 101.
        #expect(lines[0].counts == ["read": 1200, "filteredOut": 0, "created": 1150, "updated": 30, "unchanged": 0, "skipped": 0, "failed": 20])
        #expect(lines[1].counts == ["read": 1200, "filteredOut": 1118, "created": 0, "updated": 81, "unchanged": 0, "skipped": 1, "failed": 0])
        #expect(lines[0].counts["filteredOut"] == 0)
        #expect(lines[1].counts["filteredOut"] == 1200 - 82)
        let stages = Set(lines[0].errors.compactMap { $0["stage"] as? String })
        #expect(stages == ["match"])
        #expect(lines[0].errors.contains { $0["profile"] as? Int == 14 && $0["message"] as? String == "the matching property «email» has no value" })
    }

    /// `--max-in-flight` changes how many batches go at once, never what they do.
    @Test func maxInFlightSendsTheSameProfiles() throws {
        let result = try CLIProcess.run(["run", CLIProcess.fixture("workspaces/demo.json"), "--json", "--max-in-flight", "64"], background: true)
        #expect(result.status == 2, "\(result.stderr)")
        let lines = try Self.lines(result)
        #expect(lines.map(\.counts) == [
            ["read": 1200, "filteredOut": 0, "created": 1150, "updated": 30, "unchanged": 0, "skipped": 0, "failed": 20],
            ["read": 1200, "filteredOut": 1118, "created": 0, "updated": 81, "unchanged": 0, "skipped": 1, "failed": 0],
        ])
    }

    @Test func dryRunReportsThePlanAndMarksTheLine() throws {
        let result = try CLIProcess.run(["run", CLIProcess.fixture("workspaces/demo.json"), "--pipeline", "101", "--dry-run", "--json"], background: true)
        #expect(result.status == 2, "\(result.stderr)")
        let lines = try Self.lines(result)
        #expect(lines.count == 1)
        #expect(lines[0].object["dryRun"] as? Bool == true)
        // The plan is what a real run does (jsonPrintsOneLinePerPipelineRunWithExactCounts).
        #expect(lines[0].counts == ["read": 1200, "filteredOut": 0, "created": 1150, "updated": 30, "unchanged": 0, "skipped": 0, "failed": 20])
    }
}
