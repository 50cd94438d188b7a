import ArgumentParser

/// `outflow connections`: check a workspace connection against its application.
struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Test a connection's credentials, or print the application's user properties.",
        discussion: """
            ID is a connection's id (or its name) in the workspace file. A connection with "mock" is \
            run against the bundled mock of its connector, started in this process.
            """,
        subcommands: [ConnectionsTestCommand.self, ConnectionsSchemaCommand.self]
    )
}
