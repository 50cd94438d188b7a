import Foundation
import Testing

/// `outflow run` as a user runs it. The end-to-end runs against the mocks need the connector
/// interpreter; the usage errors do not.
@Suite struct RunCommandTests {
    struct UsageRow: Sendable, CustomStringConvertible {
        var arguments: [String]
        var message: String
        var description: String { arguments.joined(separator: " ") }
    }

    @Test(arguments: [
        UsageRow(arguments: ["--pipeline", "nope"], message: #"no pipeline has the id or name "nope""#),
        UsageRow(arguments: ["--begin-time", "yesterday"], message: "--begin-time yesterday is not an RFC 3339 time"),
        UsageRow(
            arguments: ["--begin-time", "2024-02-01T00:00:00Z", "--end-time", "2024-01-01T00:00:00Z"],
            message: "--begin-time must be before --end-time"),
        UsageRow(arguments: ["--limit", "3"], message: "Unknown option '--limit'"),
        UsageRow(arguments: ["--max-in-flight", "0"], message: "--max-in-flight must be between 1 and 1024, not 0"),
        UsageRow(arguments: ["--max-in-flight", "5000"], message: "--max-in-flight must be between 1 and 1024, not 5000"),
    ])
    func usageErrorsExit64(_ row: UsageRow) throws {
        let result = try CLIProcess.run(["run", CLIProcess.fixture("workspaces/demo.json")] + row.arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(row.message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aMissingWorkspaceExits1() throws {
        let result = try CLIProcess.run(["run", "/nonexistent/outflow.json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/outflow.json"))
    }
}
