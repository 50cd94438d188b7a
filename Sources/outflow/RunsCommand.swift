import ArgumentParser
import Foundation
import OutflowCore
import OutflowStore

/// `outflow runs`: what past runs did, from the state store.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List past runs, show one, or print every error of one.",
        discussion: """
            Reads the state store of the workspace (.outflow/state.sqlite beside the workspace file, \
            or --state PATH). Every per-profile error of a run is kept, not only the first ones.
            """,
        subcommands: [List.self, Show.self, Errors.self]
    )

    /// Options every `runs` subcommand takes.
    struct Common: ParsableArguments {
        @Argument(help: "The workspace file. Default: ./outflow.json, then ./outflow.yaml, ./outflow.yml.")
        var workspace: String?

        @Option(name: .long, help: "The state store. Default: .outflow/state.sqlite beside the workspace file.")
        var state: String?

        @Flag(name: .long, help: "Print compact JSON lines instead of text.")
        var json = false

        @OptionGroup var global: GlobalOptions

        func store() throws -> StateStore {
            try StateLocation.open(for: try loadWorkspace(workspace), override: state)
        }

        /// The store and run `id` with its errors, or a one-line error and exit status 1.
        func run(_ id: Int64) throws -> (RunRecord, [ProfileError]) {
            let store = try store()
            guard let run = try fetch({ try store.run(id) }) else {
                printError("no run has the id \(id)")
                throw ExitCode(1)
            }
            return (run, try fetch { try store.errors(run: id) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, newest first.")

        @OptionGroup var common: Common

        @Option(name: .long, help: "At most this many runs.")
        var limit = 50

        func run() async throws {
            let runs = try fetch { try common.store().runs(limit: limit) }
            var out = StandardStream.standardOutput()
            if !common.json && runs.isEmpty { printError("no runs yet") }
            for run in runs {
                out.line(common.json ? RunText.json(run) : RunText.line(run))
            }
            out.flush()
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one run: status, times, counts and its first errors by stage.")

        @Argument(help: "The run id (see `outflow runs list`).")
        var runID: Int64

        @OptionGroup var common: Common

        func run() async throws {
            let (run, errors) = try common.run(runID)
            var out = StandardStream.standardOutput()
            if common.json {
                out.line(RunText.json(run, errors: errors.prefix(100)))
            } else {
                for line in RunText.details(run, errors: errors) { out.line(line) }
            }
            out.flush()
        }
    }

    struct Errors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "errors", abstract: "Print every error of a run, one per line.")

        @Argument(help: "The run id (see `outflow runs list`).")
        var runID: Int64

        @OptionGroup var common: Common

        func run() async throws {
            let (_, errors) = try common.run(runID)
            var out = StandardStream.standardOutput()
            for error in errors {
                out.line(common.json ? RunText.json(error) : "\(error.profile)\t\(error.stage)\t\(error.message)")
            }
            out.flush()
        }
    }
}

/// Runs a store read, printing a store error on stderr and exiting with status 1.
func fetch<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StoreError {
        printError(error.description)
        throw ExitCode(1)
    }
}
