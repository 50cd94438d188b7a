import ArgumentParser
import Foundation
import OutflowConnectors

/// `outflow connectors list`: one line per connector.
struct ConnectorsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the available connectors, one per line: name, title, operations, source.",
        discussion: """
            Prints NAME<TAB>TITLE<TAB>OPERATIONS<TAB>SOURCE, where SOURCE is "embedded" or the file \
            that defines it. Planned connectors (not usable yet) follow, marked "planned".
            """
    )

    @Argument(help: "A workspace file whose connectors/ folder is read too. Default: none.")
    var workspace: String?

    @OptionGroup var connectors: ConnectorsOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let directory = workspace.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        let registry = try loadRegistry(workspaceDirectory: directory, override: connectors.connectors)
        var out = StandardStream.standardOutput()
        for connector in registry.sorted {
            out.line([connector.name, connector.title, ConnectorText.operations(connector), connector.source].joined(separator: "\t"))
        }
        for name in ConnectorRegistry.planned.sorted() where registry.connector(named: name) == nil {
            out.line([name, "-", "-", "planned"].joined(separator: "\t"))
        }
        out.flush()
    }
}
