import ArgumentParser
import OutflowStore

/// `outflow state`: the export state a pipeline keeps between runs.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Manage the export state pipelines keep between runs.",
        subcommands: [Reset.self]
    )

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset",
            abstract: "Forget what a pipeline has exported, so its next run looks up and sends every profile again.",
            discussion: """
                The export state holds, per matching value, the application's user ids and the hash of \
                the payload it last confirmed; a profile whose payload is unchanged is not sent again. \
                Resetting it is like `run --full` for every later run until the state is rebuilt. \
                Past runs and their errors are kept.
                """
        )

        @Argument(help: "The workspace file. Default: ./outflow.json, then ./outflow.yaml, ./outflow.yml.")
        var workspace: String?

        @Option(name: .long, help: "The pipeline: its id, or else its name.")
        var pipeline: String

        @Option(name: .long, help: "The state store. Default: .outflow/state.sqlite beside the workspace file.")
        var state: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let file = try loadWorkspace(workspace)
            let selected = try selectPipeline(pipeline, in: file)
            guard let id = selected.id else {
                printError("\(file.path): pipeline \"\(selected.name)\" has no id, so it has no export state")
                throw ExitCode(1)
            }
            let store = try StateLocation.open(for: file, override: state)
            let removed = try fetch { try store.resetExportState(pipeline: id) }
            printError("pipeline \(id) \"\(selected.name)\": forgot the export state of \(removed) matching value\(removed == 1 ? "" : "s")")
        }
    }
}
