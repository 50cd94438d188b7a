import Foundation
import Logging
import OutflowConnectors
import OutflowCore
import OutflowFunctions

/// How `outflow serve` runs (DESIGN sections 11-13).
///
/// ```swift
/// var configuration = ServerConfiguration(statePath: ".outflow/state.sqlite", registry: try ConnectorRegistry.embedded())
/// configuration.port = 0                               // a free port; OutflowServer.origin tells which
/// configuration.allowHosts = ["127.0.0.1", "localhost"]
/// configuration.imports = [WorkspaceImport(document: document, directory: "/srv/acme")]
/// let server = try await OutflowServer.start(configuration)
/// ```
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The SQLite state store: runs, export state, workspaces, revisions, tokens.
    public var statePath: String
    /// Hosts runs may contact (`--allow-hosts`); nil: any.
    public var allowHosts: Set<String>?
    /// Seals connection secrets at rest; nil when `OUTFLOW_SECRET_KEY` is not set (then literal
    /// secrets are refused and only `${VAR}` references are stored).
    public var secrets: SecretBox?
    public var registry: ConnectorRegistry
    /// Where relative paths of workspaces created through the API resolve.
    public var baseDirectory: String = FileManager.default.currentDirectoryPath
    /// Where transformation functions run: in worker subprocesses, never in the server (issue 7).
    public var functionHost: FunctionHost
    /// The scheduler's clock.
    public var clock: any ServerClock = SystemServerClock()
    /// Whether scheduled pipelines run (tests that only exercise the API turn it off).
    public var schedulerEnabled = true
    /// Workspace files to import at start (`outflow serve FILE`); an unchanged one makes no revision.
    public var imports: [WorkspaceImport] = []
    public var logger = Logger(label: "outflow.server")

    public init(statePath: String, registry: ConnectorRegistry, functionHost: FunctionHost = .worker(FunctionWorker())) {
        self.statePath = statePath
        self.registry = registry
        self.functionHost = functionHost
    }
}

/// A workspace file to import: its JSON document and the folder its relative paths resolve against.
public struct WorkspaceImport: Sendable {
    public var document: JSONObject
    public var directory: String

    public init(document: JSONObject, directory: String) {
        self.document = document
        self.directory = directory
    }
}
