import Foundation
import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowHTTP

/// How `outflow run` reaches applications: one ``ConnectorClient`` per connection, interpreting the
/// connector file the registry holds for it, over the process's one libcurl ``HTTPClient``.
///
/// A connection's client is made once and reused by every pipeline of that connection, because its
/// copies share the rate limiter and DESIGN 11 gives the limit to the connection, not the pipeline.
///
/// ```swift
/// let clients = ConnectorClients(registry: try ConnectorRegistry.load(workspaceDirectory: file.directory))
/// let client = try clients.client(for: connection)
/// ```
public final class ConnectorClients: ApplicationClientFactory, @unchecked Sendable {
    public let registry: ConnectorRegistry
    private let transport: HTTPClient
    private let lock = NSLock()
    private var clients: [Int64: ConnectorClient] = [:]

    public init(registry: ConnectorRegistry, transport: HTTPClient = HTTPClient()) {
        self.registry = registry
        self.transport = transport
    }

    public func client(for connection: Connection) throws(ApplicationError) -> any ApplicationClient {
        if let made = lock.withLock({ clients[connection.id] }) { return made }
        let client = try ConnectorClient(connector: try registry.require(connection.connector), connection: connection, transport: transport)
        lock.withLock { clients[connection.id] = client }
        return client
    }
}
