import Foundation
import OutflowConnectors
import OutflowCore
import OutflowMocks
import OutflowStore
import OutflowWorkspace

/// The bundled mocks `outflow run` starts for connections marked `"mock"` (DESIGN section 4), one
/// per connection for the whole command, each with an in-memory state store.
///
/// The store of a mock connection holds its export state and its runs, in memory only: a fresh mock
/// each command must not meet yesterday's export state, and keeping the runs beside it means the run
/// ids and the summary are the same every time (`outflow runs` does not list these runs).
///
/// ```swift
/// let mocks = MockConnections(file: file)
/// let origin = try await mocks.origin(for: connection)   // "http://127.0.0.1:40517"
/// let store = try mocks.store(for: connection)
/// await mocks.stopAll()
/// ```
public actor MockConnections {
    private let file: WorkspaceFile
    private var servers: [Int64: MockServer] = [:]
    private var stores: [Int64: StateStore] = [:]

    public init(file: WorkspaceFile) {
        self.file = file
    }

    /// The origin of the connection's mock, started on a free loopback port on first use.
    public func origin(for connection: Connection) async throws(MockStartError) -> String {
        if let server = servers[connection.id] { return server.origin }
        guard let kind = MockKind(name: connection.connector) else {
            throw MockStartError(connection: connection, message: "there is no bundled mock of the \(connection.connector) connector")
        }
        var options = MockOptions()
        if let spec = connection.mock?.fault {
            do {
                options.faults = try FaultSpec.parse(spec)
            } catch {
                throw MockStartError(connection: connection, message: "mock.fault: \(error)")
            }
            // Faults drawn from a fixed seed make a demo with faults print the same summary every time.
            options.seed = 1
        }
        if let path = usersFile(for: connection) {
            guard let data = FileManager.default.contents(atPath: path.path) else {
                throw MockStartError(connection: connection, message: "\(path.path): cannot read the mock's users file")
            }
            options.users = Array(data)
        }
        do {
            let server = try await MockServer.start(kind, options: options)
            servers[connection.id] = server
            return server.origin
        } catch {
            throw MockStartError(connection: connection, message: "cannot start the \(kind.rawValue) mock: \(error)")
        }
    }

    /// `connection` pointed at its mock (started on first use), as the connector's `mock.settings`
    /// says: `baseURL` (the webhook's `url`) at the mock's origin, placeholder credentials where the
    /// workspace gives none.
    public func pointed(_ connection: Connection, connector: Connector) async throws(MockStartError) -> Connection {
        var pointed = connection
        pointed.settings = connector.settingsForMock(connection.settings, origin: try await origin(for: connection))
        return pointed
    }

    /// The in-memory state store of the connection's runs.
    public func store(for connection: Connection) throws(StoreError) -> StateStore {
        if let store = stores[connection.id] { return store }
        let store = try StateStore(inMemory: ())
        stores[connection.id] = store
        return store
    }

    /// True once the connection's mock has been started by this instance.
    public func hasStarted(_ connection: Connection) -> Bool {
        servers[connection.id] != nil
    }

    public func stopAll() async {
        for server in servers.values { await server.stop() }
        servers = [:]
    }

    /// `mock.users` resolved against the workspace file, or the default: `fixtures/apps/<connector>-users.json`
    /// beside the workspace, or `../apps/<connector>-users.json` for a workspace inside `fixtures/workspaces/`.
    /// Without a users file the mock starts empty.
    private func usersFile(for connection: Connection) -> URL? {
        if let users = connection.mock?.users { return file.resolve(users) }
        let name = "\(connection.connector)-users.json"
        let candidates = [file.resolve("fixtures/apps/" + name), file.resolve("../apps/" + name)]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}

/// A connection's mock could not start: no bundled mock of its connector, a bad fault spec, an
/// unreadable users file.
public struct MockStartError: Error, CustomStringConvertible {
    public var connection: Connection
    public var message: String

    public var description: String { "connection \(connection.id) \"\(connection.name)\": \(message)" }
}
