import ArgumentParser

/// `outflow tokens`: API tokens of `outflow serve`.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create API tokens for outflow serve.",
        subcommands: [TokensCreateCommand.self]
    )
}
