import OutflowConnectors
import OutflowCore

/// Makes the client of one connection, so that whoever runs pipelines (`outflow run`, the server,
/// tests) decides how applications are reached: the connector interpreter over libcurl, or a double.
///
/// ```swift
/// struct Doubles: ApplicationClientFactory {
///     func client(for connection: Connection) throws(ApplicationError) -> any ApplicationClient { InMemoryApplication() }
/// }
/// ```
public protocol ApplicationClientFactory: Sendable {
    /// The client of `connection`, whose settings are as the workspace wrote them except `baseURL`,
    /// which points at the bundled mock when the connection has `"mock"`.
    func client(for connection: Connection) throws(ApplicationError) -> any ApplicationClient
}
