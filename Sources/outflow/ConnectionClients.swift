import ArgumentParser
import Foundation
import OutflowConnectors
import OutflowCore
import OutflowRuntime
import OutflowHTTP
import OutflowWorkspace

/// Builds the client of one workspace connection for `outflow connections` and `validate --remote`.
///
/// A connection with `"mock"` gets the bundled mock of its connector, started in this process on a
/// free loopback port with the mock's `users` file (default `fixtures/apps/<connector>-users.json`
/// beside the workspace, or `../apps/` from a workspace in `fixtures/workspaces/`) and `fault`
/// SPEC; its settings point there as the connector's `mock.settings` says. Call
/// ``stop()`` when done.
final class ConnectionClients {
    let file: WorkspaceFile
    let registry: ConnectorRegistry
    let http = HTTPClient()
    /// The mocks of `"mock"` connections: started the way `outflow run` starts them.
    private let mocks: MockConnections

    init(file: WorkspaceFile, registry: ConnectorRegistry) {
        self.file = file
        self.registry = registry
        mocks = MockConnections(file: file)
    }

    /// The connection whose id (first) or name is `reference`, or a one-line error and exit 1.
    func connection(_ reference: String) throws -> Connection {
        let connections = file.workspace.connections
        if let id = Int64(reference), let found = connections.first(where: { $0.id == id }) { return found }
        if let found = connections.first(where: { $0.name == reference }) { return found }
        printError(
            "\(file.path): no connection has the id or name \"\(reference)\"; connections: "
                + connections.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
        )
        throw ExitCode(1)
    }

    func client(for connection: Connection) async throws(ApplicationError) -> ConnectorClient {
        let connector = try registry.require(connection.connector)
        var settings = connection.settings
        if connection.mock != nil {
            do {
                settings = try await mocks.pointed(connection, connector: connector).settings
            } catch {
                throw .invalidSettings(connector: connector.name, message: "the mock could not start: \(error.message)")
            }
        }
        return try ConnectorClient(connector: connector, settings: settings, transport: http)
    }

    func stop() async {
        await mocks.stopAll()
    }
}
