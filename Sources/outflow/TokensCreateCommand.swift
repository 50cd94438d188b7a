import ArgumentParser
import Foundation
import OutflowServer
import OutflowStore
import OutflowWorkspace

/// `outflow tokens create`: a bearer token for the API, printed once.
struct TokensCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API token and print it (the only time it is shown).",
        discussion: """
            A workspace token (--workspace NAME) reaches that workspace's connections, pipelines and \
            runs; an admin token (--admin) reaches every workspace (naming one in a Workspace header), \
            creates and deletes workspaces, and reads /metrics. Send it as Authorization: Bearer TOKEN.

            The store keeps only the token's SHA-256, so a lost token cannot be shown again: create \
            another. The state store is found as `outflow serve` finds it: --state PATH, else \
            .outflow/state.sqlite beside the workspace file, or in the current directory without one.

            Output: the token, one line, nothing else. Exit codes: 0 created; 1 the state store cannot \
            be opened or written; 64 usage error.
            """
    )

    @Argument(help: "The workspace file whose state store to use. Default: none (the current directory's store).")
    var workspaceFile: String?

    @Option(name: .customLong("workspace"), help: "The workspace (its name) the token is for.")
    var workspace: String?

    @Flag(help: "Create an admin token instead: every workspace, and /metrics.")
    var admin = false

    @Option(name: .long, help: "The state store. Default: .outflow/state.sqlite beside the workspace file, or in the current directory.")
    var state: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        switch (workspace, admin) {
        case (nil, false): throw ValidationError("name the token's workspace with --workspace NAME, or create an admin token with --admin")
        case (.some, true): throw ValidationError("--workspace and --admin exclude each other: a token is for one workspace, or admin")
        case (.some(let name), false) where name.isEmpty: throw ValidationError("--workspace needs a workspace name")
        default: break
        }
    }

    func run() async throws {
        let file = try workspaceFile.map { try loadWorkspace($0) }
        let path = ServerStatePath.resolve(file: file, override: state)
        do {
            let store = try StateStore(path: path)
            if let workspace, try store.workspace(named: workspace) == nil {
                printError("note: workspace \"\(workspace)\" is not in \(path) yet; the token works once it is created or imported")
            }
            let token = try TokenIssuer.create(workspace: admin ? nil : workspace, store: store)
            var out = StandardStream.standardOutput()
            out.line(token)
            out.flush()
        } catch {
            printError("\(path): \(error)")
            throw ExitCode(1)
        }
    }
}
