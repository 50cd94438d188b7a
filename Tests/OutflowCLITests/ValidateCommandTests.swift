import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func validWorkspaceExitsZero() throws {
        for name in ["workspaces/demo.json", "workspaces/demo.yaml"] {
            let result = try CLIProcess.run(["validate", CLIProcess.fixture(name)])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("valid (2 pipelines, 1 connection)"))
        }
    }

    @Test func invalidWorkspaceListsEveryProblemAndExitsOne() throws {
        let path = CLIProcess.fixture("workspaces/invalid.json")
        let result = try CLIProcess.run(["validate", path])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count >= 30)
        #expect(lines.allSatisfy { $0.hasPrefix(path + ": ") })
        #expect(lines.contains(path + #": pipelines[0].exportmode: unknown key; did you mean "exportMode"?"#))
    }

    @Test func missingDefaultWorkspaceIsAClearError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try CLIProcess.run(["validate"], in: empty)
        #expect(result.status == 1)
        #expect(result.stderr.contains("none of outflow.json, outflow.yaml, outflow.yml"))
    }

    @Test func defaultWorkspaceIsFoundInTheCurrentDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-default-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var text = try String(contentsOfFile: CLIProcess.fixture("workspaces/demo.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../profiles/customers.csv", with: CLIProcess.fixture("profiles/customers.csv"))
        try text.write(to: directory.appendingPathComponent("outflow.json"), atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["validate"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("outflow.json: valid"))
    }

    @Test func aCSVHeaderColumnNotInTheSchemaIsReported() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-header-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "id,emial\n1,a@b.c\n".write(to: directory.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
        var text = try String(contentsOfFile: CLIProcess.fixture("workspaces/demo.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../profiles/customers.csv", with: "p.csv")
        let workspace = directory.appendingPathComponent("outflow.json")
        try text.write(to: workspace, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["validate", workspace.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"warehouse.profiles: p.csv: line 1: invalid header: column «emial» names no property of the schema; did you mean "email"?"#), "\(result.stderr)")
    }

    @Test func unknownFlagIsAUsageError() throws {
        let result = try CLIProcess.run(["validate", "--nope"])
        #expect(result.status == 64)
    }
}
