import ArgumentParser

/// The `outflow` command line: exports warehouse profiles to applications.
@main
struct Outflow: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "outflow",
        abstract: "Export user profiles from your data warehouse to applications such as HubSpot and Mailchimp.",
        discussion: """
            A workspace file (outflow.json or outflow.yaml) names the warehouse file of profiles, the \
            applications to export to (connections), and the pipelines that say which profiles go where \
            and how each becomes an application user. Start with `outflow validate` and `outflow preview`.

            Exit codes: 0 success; 1 the command could not be done; 2 done, but some profiles failed; \
            64 usage error; 130 interrupted (Ctrl-C).
            """,
        version: version,
        subcommands: [
            RunCommand.self, ValidateCommand.self, PreviewCommand.self, RunsCommand.self, StateCommand.self, MockCommand.self,
            ServeCommand.self, TokensCommand.self, ConnectorsCommand.self, ConnectionsCommand.self, FunctionWorkerCommand.self,
        ]
    )
}
