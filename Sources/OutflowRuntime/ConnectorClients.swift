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
///
/// An `observer` (the server's metrics) sees every response and every rate-limit wait of the
/// clients made here.
public final class ConnectorClients: ApplicationClientFactory, @unchecked Sendable {
    public let registry: ConnectorRegistry
    private let transport: HTTPClient
    private let observer: (any TrafficObserver)?
    private let lock = NSLock()
    private var clients: [Int64: ConnectorClient] = [:]

    public init(registry: ConnectorRegistry, transport: HTTPClient = HTTPClient(), observer: (any TrafficObserver)? = nil) {
        self.registry = registry
        self.transport = transport
        self.observer = observer
    }

    public func client(for connection: Connection) throws(ApplicationError) -> any ApplicationClient {
        if let made = lock.withLock({ clients[connection.id] }) { return made }
        let connector = try registry.require(connection.connector)
        let client: ConnectorClient
        if let observer {
            let clock = RateLimitWaitClock(base: SystemClock(), connector: connector.name, observer: observer)
            client = try ConnectorClient(
                connector: connector, connection: connection,
                transport: ObservedTransport(base: transport, connector: connector.name, observer: observer),
                limiter: connector.rateLimit.makeLimiter(clock: clock))
        } else {
            client = try ConnectorClient(connector: connector, connection: connection, transport: transport)
        }
        lock.withLock { clients[connection.id] = client }
        return client
    }
}
