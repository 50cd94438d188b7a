import ArgumentParser
import OutflowFunctions

/// `outflow function-worker` (hidden): the worker subprocess that runs transformation functions
/// for `--isolate-functions` (and, later, `serve`). It speaks the length-prefixed JSON protocol
/// of FunctionWorkerServer on its standard input and output; people do not run it.
struct FunctionWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "function-worker",
        abstract: "Run transformation functions for another outflow process (internal).",
        shouldDisplay: false
    )

    func run() throws {
        let status = FunctionWorkerServer.run()
        if status != 0 { throw ExitCode(status) }
    }
}
