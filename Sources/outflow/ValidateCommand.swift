import ArgumentParser
import OutflowConnectors
import OutflowCore
import OutflowFunctions
import OutflowRuntime
import OutflowSources
import OutflowWorkspace

/// `outflow validate`: checks a workspace file without reading profiles or contacting anything.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a workspace file and report every problem in it.",
        discussion: """
            Reads the workspace file (JSON or YAML), checks its schema, connections and pipelines \
            against the rules of the pipelines API, and checks that the profile file exists and that \
            `${NAME}` settings have their environment variables. Transformation functions are \
            compiled, so a syntax error or a missing transform(user) is reported with the \
            interpreter's message and line; nothing is called. Every problem is printed on stderr, \
            one per line, as FILE: JSON-PATH: MESSAGE. Connection settings are checked against             their connector's settings (unknown keys with a suggestion, missing required ones).

            --remote also reads each connection's live user properties (starting the bundled mock             for "mock" connections) and checks every pipeline's outSchema and matching.out against             them.

            Exit codes: 0 valid; 1 invalid (or unreadable).
            """
    )

    @Argument(help: "The workspace file. Default: ./outflow.json, then ./outflow.yaml, ./outflow.yml.")
    var workspace: String?

    @Flag(name: .long, help: "Also check each pipeline's outSchema against its application's live user properties.")
    var remote = false

    @OptionGroup var connectors: ConnectorsOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (file, registry) = try loadWorkspaceAndConnectors(workspace, connectors: connectors.connectors)
        var problems = WorkspaceChecks.environmentAndFiles(file)
        if problems.isEmpty { problems += Self.checkProfileHeader(file) }
        problems += Self.compileFunctions(file)
        problems += registry.validate(file.workspace.connections, file: file.path)
        problems += MockConnectionChecks.problems(file)
        if remote, problems.isEmpty {
            let clients = ConnectionClients(file: file, registry: registry)
            problems += await RemoteSchemaCheck.problems(clients)
            await clients.stop()
        }
        for diagnostic in problems { printError(diagnostic.description) }
        if !problems.isEmpty { throw ExitCode(1) }
        let pipelines = file.workspace.pipelines.count
        printError("\(file.path): valid (\(pipelines) pipeline\(pipelines == 1 ? "" : "s"), \(file.workspace.connections.count) connection\(file.workspace.connections.count == 1 ? "" : "s"))")
    }

    /// Opens the profile source, which reads a CSV header and checks it against the schema, so that
    /// an unknown or misspelt column is reported here and not only when a run starts.
    static func checkProfileHeader(_ file: WorkspaceFile) -> [Diagnostic] {
        let source = file.workspace.warehouse.profiles
        do {
            _ = try ProfileReaders.open(source, url: file.profilesURL, displayPath: source.path)
            return []
        } catch {
            return [Diagnostic(file: file.path, path: "warehouse.profiles", message: error.description)]
        }
    }

    /// Compiles every pipeline's function (running its top level, not transform) and returns
    /// the errors at `pipelines[N].transformation.function.source`.
    static func compileFunctions(_ file: WorkspaceFile) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let schema = file.workspace.warehouse.profiles.schema
        for (index, pipeline) in file.workspace.pipelines.enumerated() where pipeline.transformation.function != nil {
            do {
                _ = try CompiledFunction(pipeline, profileSchema: schema, path: "pipelines[\(index)]")
            } catch {
                problems += error.diagnostics.map { Diagnostic(file: file.path, path: $0.path, message: $0.message) }
            }
        }
        return problems
    }
}
