import ArgumentParser
import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks
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
    private var mocks: [MockServer] = []

    init(file: WorkspaceFile, registry: ConnectorRegistry) {
        self.file = file
        self.registry = registry
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
        if let mock = connection.mock {
            guard let kind = MockKind(name: connector.name) else {
                throw .unsupported(connector: connector.name, operation: "run as a mock (there is no bundled mock for it)")
            }
            var options = MockOptions()
            do {
                if let users = usersFile(mock, connector: connector.name) { options.users = Array(try Data(contentsOf: users)) }
                if let fault = mock.fault { options.faults = try FaultSpec.parse(fault) }
                let server = try await MockServer.start(kind, options: options)
                mocks.append(server)
                settings = connector.settingsForMock(settings, origin: server.origin)
            } catch {
                throw .invalidSettings(connector: connector.name, message: "the mock could not start: \(error)")
            }
        }
        return try ConnectorClient(connector: connector, settings: settings, transport: http)
    }

    private func usersFile(_ mock: MockSettings, connector: String) -> URL? {
        if let users = mock.users { return file.resolve(users) }
        for candidate in ["fixtures/apps/\(connector)-users.json", "../apps/\(connector)-users.json"] {
            let url = file.resolve(candidate)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }

    func stop() async {
        for mock in mocks { await mock.stop() }
        mocks = []
    }
}
