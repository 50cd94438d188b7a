import Foundation
import Testing
@testable import OutflowCore
@testable import OutflowWorkspace

/// The repository root, found from this file's path so tests run from any directory.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func fixture(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent("fixtures").appendingPathComponent(relative).path
}

@Suite struct WorkspaceFileTests {
    @Test func loadsTheDemoWorkspace() throws {
        let file = try WorkspaceFile.load(path: fixture("workspaces/demo.json"))
        let workspace = file.workspace
        #expect(workspace.name == "demo")
        #expect(workspace.warehouse.profiles.format == .csv)
        #expect(workspace.warehouse.profiles.key == "id")
        #expect(workspace.connections.map(\.id) == [1])
        #expect(workspace.connections[0].mock == MockSettings())
        #expect(workspace.pipelines.map(\.id) == [101, 102])
        #expect(workspace.pipeline("102")?.name == "VIP Europeans")
        #expect(workspace.pipeline("Customers to HubSpot")?.id == 101)
        #expect(workspace.pipeline("nope") == nil)
        let vip = try #require(workspace.pipeline("102"))
        #expect(vip.exportMode == .updateOnly)
        #expect(vip.filter?.conditions.count == 6)
        #expect(vip.filter?.conditions[1].operator == .isTrue)
        #expect(FileManager.default.fileExists(atPath: file.profilesURL.path))
        #expect(WorkspaceChecks.environmentAndFiles(file).isEmpty)
    }

    @Test func yamlAndJSONDescribeTheSameWorkspace() throws {
        var json = try WorkspaceFile.load(path: fixture("workspaces/demo.json")).workspace
        let yaml = try WorkspaceFile.load(path: fixture("workspaces/demo.yaml")).workspace
        #expect(yaml.warehouse.profiles.format == .ndjson)
        json.warehouse.profiles.path = yaml.warehouse.profiles.path
        json.warehouse.profiles.format = yaml.warehouse.profiles.format
        #expect(json == yaml)
    }

    @Test func pipelineJSONRoundTrips() throws {
        let workspace = try WorkspaceFile.load(path: fixture("workspaces/demo.json")).workspace
        for pipeline in workspace.pipelines {
            var issues: [Diagnostic] = []
            let again = Pipeline.decode(pipeline.json, path: "p", issues: &issues)
            #expect(issues.isEmpty)
            #expect(again == pipeline)
        }
    }

    /// The paths listed in fixtures/workspaces/invalid.md that this stage of Outflow checks.
    /// Connectors are checked by a later stage (their own issue).
    static let expectedPaths: [String] = [
        "warehouse.profiles.format",
        "connections[1].id",
        "connections[2].connector",
        "connections[2].mock.faults",
        "pipelines[0].name",
        "pipelines[0].exportmode",
        "pipelines[0].schedulePeriod",
        "pipelines[1].target",
        "pipelines[1].filter.conditions[0].property",
        "pipelines[1].matching.in",
        "pipelines[1].transformation",
        "pipelines[1].inSchema.favorite_color",
        "pipelines[2].transformation.function.language",
        "pipelines[2].transformation.function.inPaths",
        "pipelines[2].connection",
        "pipelines[0].scheduleStart",
        "pipelines[3].functionTimeout",
        "pipelines[3].id",
        "pipelines[3].name",
        "pipelines[4].name",
        "pipelines[4].matching.in",
        "pipelines[4].inSchema.address.zip",
        "pipelines[4].inSchema.age",
        "warehouse.profiles.updatedAt",
        "pipelines[2].outSchema.properties[0].nullabel",
        "pipelines[2].outSchema.properties[2].type.bitSize",
        "pipelines[3].enabled",
        "pipelines[3].filter.logical",
        "pipelines[3].filter.conditions",
        "pipelines[3].exportMode",
        "pipelines[4].connection",
        "pipelines[4].transformation",
        "pipelines[3].transformation.mapping.email",
        "pipelines[3].transformation.mapping.firstname",
        "pipelines[3].transformation.mapping.lastname",
        "pipelines[3].transformation.mapping.mobilephone",
        "pipeline",
    ]

    @Test func reportsEveryErrorOfTheInvalidWorkspace() throws {
        let path = fixture("workspaces/invalid.json")
        do {
            _ = try WorkspaceFile.load(path: path)
            Issue.record("invalid.json loaded without errors")
        } catch {
            let paths = Set(error.diagnostics.map(\.path))
            for expected in Self.expectedPaths {
                #expect(paths.contains(expected), "missing \(expected) in \(error.diagnostics.map(\.description).joined(separator: "\n"))")
            }
            #expect(error.diagnostics.allSatisfy { $0.file == path })
            let exportMode = error.diagnostics.first { $0.path == "pipelines[0].exportmode" }
            #expect(exportMode?.message == #"unknown key; did you mean "exportMode"?"#)
            let language = error.diagnostics.first { $0.path == "pipelines[2].transformation.function.language" }
            #expect(language?.message == "transformation language is not supported")
        }
    }

    @Test func yamlCoreSchemaKeepsNoAsAString() {
        #expect(YAMLDocument.coreScalar("no") == .string("no"))
        #expect(YAMLDocument.coreScalar("on") == .string("on"))
        #expect(YAMLDocument.coreScalar("true") == .bool(true))
        #expect(YAMLDocument.coreScalar("~") == .null)
        #expect(YAMLDocument.coreScalar("12") == .number("12"))
        #expect(YAMLDocument.coreScalar("1.5") == .number("1.5"))
        #expect(YAMLDocument.coreScalar("0x1F") == .number("31"))
        #expect(YAMLDocument.coreScalar("1.2.3") == .string("1.2.3"))
    }

    @Test func unreadableFilesNameTheFile() {
        #expect(throws: WorkspaceFileError.self) { try WorkspaceFile.load(path: "/nonexistent/outflow.json") }
        do {
            _ = try WorkspaceFile.load(path: "/nonexistent/outflow.json")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/outflow.json: cannot read the file"))
        }
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("outflow.json").path
        try Data("{\n  \"name\": \"x\",\n  \"warehouse\": {,}\n}".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try WorkspaceFile.load(path: path)
            Issue.record("loaded a malformed file")
        } catch {
            #expect(error.description == "\(path): invalid JSON at line 3, column 17: expected a member name in double quotes, found ','")
        }
    }

    @Test func missingEnvironmentVariablesAreReported() throws {
        var file = try WorkspaceFile.load(path: fixture("workspaces/demo.json"))
        file.workspace.connections[0].settings["accessToken"] = .string("${OUTFLOW_TEST_UNSET_TOKEN}")
        let issues = WorkspaceChecks.environmentAndFiles(file, environment: [:])
        #expect(issues.map(\.path) == ["connections[0].settings.accessToken"])
        #expect(issues.first?.message == "environment variable OUTFLOW_TEST_UNSET_TOKEN is not set")
        #expect(WorkspaceChecks.environmentAndFiles(file, environment: ["OUTFLOW_TEST_UNSET_TOKEN": "x"]).isEmpty)
    }
}
