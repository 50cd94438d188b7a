import ArgumentParser
import Foundation
import OutflowConnectors
import OutflowCore

/// `outflow connectors show NAME`: everything a user needs to configure a connection of it.
struct ConnectorsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a connector: settings, user schema, operations with batch sizes, rate limits, retries and its docs link.",
        discussion: "Exit codes: 0 shown; 1 no such connector (or a connector file is broken)."
    )

    @Argument(help: "The connector's name, e.g. hubspot.")
    var name: String

    @Option(name: .long, help: "A workspace file whose connectors/ folder is read too.")
    var workspace: String?

    @OptionGroup var connectors: ConnectorsOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let directory = workspace.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        let registry = try loadRegistry(workspaceDirectory: directory, override: connectors.connectors)
        let connector: Connector
        do {
            connector = try registry.require(name)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        var out = StandardStream.standardOutput()
        for line in ConnectorText.details(connector) { out.line(line) }
        out.flush()
    }
}
