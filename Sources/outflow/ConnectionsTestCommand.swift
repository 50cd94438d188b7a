import ArgumentParser
import OutflowConnectors

/// `outflow connections test ID [WORKSPACE]`: one harmless request with the connection's credentials.
struct ConnectionsTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Check a connection's settings and credentials with one harmless request.",
        discussion: """
            Resolves the settings (defaults, ${NAME} from the environment), then sends the \
            connector's test request (HubSpot: list one contact; Mailchimp: the list's merge fields; \
            webhook: an empty delivery {"type":"test","users":[]}). Prints one line on stdout when \
            it works; otherwise the reason on stderr (secrets are never printed).

            Exit codes: 0 the connection works; 1 it does not (or the workspace is invalid).
            """
    )

    @Argument(help: "The connection's id (or name).")
    var id: String

    @Argument(help: "The workspace file. Default: ./outflow.json, then ./outflow.yaml, ./outflow.yml.")
    var workspace: String?

    @OptionGroup var connectors: ConnectorsOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (file, registry) = try loadWorkspaceAndConnectors(workspace, connectors: connectors.connectors)
        let clients = ConnectionClients(file: file, registry: registry)
        let connection = try clients.connection(id)
        do {
            let client = try await clients.client(for: connection)
            try await client.test()
            await clients.stop()
            var out = StandardStream.standardOutput()
            out.line("connection \(connection.id) (\(connection.name), \(connection.connector)\(connection.mock != nil ? ", mock" : "")): ok")
            out.flush()
        } catch {
            await clients.stop()
            printError("connection \(connection.id) (\(connection.name)): \(error.description)")
            throw ExitCode(1)
        }
    }
}
