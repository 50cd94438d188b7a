import OutflowConnectors
import OutflowCore
import OutflowEngine

/// How `outflow run` reaches applications: one client per connection, from its connector.
///
/// The connector interpreter (`ConnectorClient`) is being built on its own branch; until it lands
/// this factory refuses every connection with a clear message, and `outflow run` ends with exit 1.
struct ConnectorClients: ApplicationClientFactory {
    func client(for connection: Connection) throws(ApplicationError) -> any ApplicationClient {
        throw ApplicationError.unsupported(connector: connection.connector, operation: "export yet: this build has no connector interpreter")
    }
}
