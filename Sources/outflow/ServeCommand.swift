import ArgumentParser
import Foundation
import OutflowConnectors
import OutflowCore
import OutflowServer
import OutflowWorkspace

/// `outflow serve`: the REST API, the scheduler and the metrics in one process (DESIGN 11-13).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API: workspaces, connections, pipelines and runs, with the scheduler and /metrics.",
        discussion: """
            Keeps workspaces, their revisions, runs, export state and API tokens in the state store \
            (.outflow/state.sqlite beside the workspace file, or in the current directory without one, \
            or --state PATH). A workspace file named on the command line is validated and imported at \
            start (an unchanged file makes no new revision). Scheduled pipelines run at their minutes \
            (UTC); transformation functions run in worker subprocesses.

            Every request but GET /health and GET /openapi.json needs a token: create one with \
            `outflow tokens create` on the same state store. Connection secrets are sealed at rest \
            with the key in OUTFLOW_SECRET_KEY (32 bytes, base64: openssl rand -base64 32); without \
            it only ${VAR} references can be stored. See docs/server.md.

            Output: one line on stdout when the server accepts connections, its origin \
            (http://127.0.0.1:8080); logs go to stderr. SIGTERM or Ctrl-C stops it gracefully: runs \
            commit their batch in flight and end "interrupted", then the port closes.

            Exit codes: 0 stopped by SIGTERM or SIGINT; 1 could not start (invalid workspace file, \
            state store or port); 64 usage error (flags, OUTFLOW_SECRET_KEY).
            """
    )

    @Argument(help: "A workspace file to import at start. Default: none.")
    var workspace: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (the printed origin tells which).")
    var port = 8080

    @Option(name: .long, help: "The state store. Default: .outflow/state.sqlite beside the workspace file, or in the current directory.")
    var state: String?

    @Option(
        name: .customLong("allow-hosts"),
        help: "Comma-separated hosts runs may contact, such as 127.0.0.1,localhost; a request to any other fails unsent. Default: any.")
    var allowHosts: String?

    @OptionGroup var connectors: ConnectorsOption

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not between 0 and 65535") }
        _ = try allowedHosts()
    }

    /// `--allow-hosts` as a set, nil without the flag.
    private func allowedHosts() throws -> Set<String>? {
        guard let allowHosts else { return nil }
        let hosts = allowHosts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        guard !hosts.isEmpty else { throw ValidationError("--allow-hosts needs at least one host, such as 127.0.0.1,localhost") }
        return Set(hosts)
    }

    func run() async throws {
        let secrets: SecretBox?
        do {
            secrets = try SecretBox.fromEnvironment()
        } catch {
            printError("outflow serve: \(error)")
            throw ExitCode(64)
        }
        var imports: [WorkspaceImport] = []
        let registry: ConnectorRegistry
        let file: WorkspaceFile?
        if let workspace {
            // Validated as `run` validates it, so a bad file fails with the same messages.
            let (loaded, loadedRegistry) = try loadWorkspaceAndConnectors(workspace, connectors: connectors.connectors)
            guard case .object(let document) = try WorkspaceFile.readDocument(path: loaded.path) else {
                printError("\(loaded.path): the workspace must be a JSON object")
                throw ExitCode(1)
            }
            imports = [WorkspaceImport(document: document, directory: loaded.directory.path)]
            registry = loadedRegistry
            file = loaded
        } else {
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            registry = try loadRegistry(workspaceDirectory: here, override: connectors.connectors)
            file = nil
        }

        var configuration = ServerConfiguration(statePath: ServerStatePath.resolve(file: file, override: state), registry: registry)
        configuration.host = host
        configuration.port = port
        configuration.allowHosts = try allowedHosts()
        configuration.secrets = secrets
        configuration.imports = imports
        configuration.logToStandardError(level: global.logLevel.rawValue)

        let server: OutflowServer
        do {
            server = try await OutflowServer.start(configuration, signals: [.sigterm, .sigint])
        } catch let error as APIError {
            printError("outflow serve: \(workspace.map { "\($0): " } ?? "")\(error.message)")
            throw ExitCode(1)
        } catch {
            printError("outflow serve: \(error)")
            throw ExitCode(1)
        }
        var out = StandardStream.standardOutput()
        out.line(server.origin)
        out.flush()
        printError("outflow serve: listening on \(server.origin), state \(configuration.statePath); SIGTERM or Ctrl-C to stop")
        do {
            try await server.waitUntilStopped()
        } catch {
            printError("outflow serve: \(error)")
            throw ExitCode(1)
        }
    }
}

/// Where `serve` and `tokens create` keep their state: `--state PATH`; else, with a workspace
/// file, `.outflow/state.sqlite` beside it (as `run` does); else `.outflow/state.sqlite` in the
/// current directory.
enum ServerStatePath {
    static func resolve(file: WorkspaceFile?, override: String?) -> String {
        if let file { return StateLocation.path(for: file, override: override) }
        if let override { return override }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".outflow/state.sqlite").path
    }
}
