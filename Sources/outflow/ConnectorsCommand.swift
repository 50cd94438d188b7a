import ArgumentParser

/// `outflow connectors`: the applications Outflow can export to.
struct ConnectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connectors",
        abstract: "List the connectors, or show one: its settings, user schema, operations, limits and docs.",
        discussion: """
            A connector is a JSON file describing one application's API (docs/connectors.md). The \
            hubspot, mailchimp and webhook connectors are built in; a connectors/ folder beside the \
            workspace file, or --connectors DIR, adds connectors or overrides built-in ones by name.
            """,
        subcommands: [ConnectorsListCommand.self, ConnectorsShowCommand.self]
    )
}
