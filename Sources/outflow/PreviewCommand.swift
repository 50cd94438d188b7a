import ArgumentParser
import Foundation
import OutflowCore
import OutflowFunctions
import OutflowSources
import OutflowWorkspace

/// `outflow preview`: shows what a pipeline would send, one JSON line per profile, sending nothing.
struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show, one JSON line per profile, what a pipeline would export. Sends nothing.",
        discussion: """
            Reads the workspace's profiles in order and prints one compact JSON line per profile read:
              {"profile":KEY,"filteredOut":true}       left out by the filter
              {"profile":KEY,"user":{...}}            the user it would export
              {"profile":KEY,"error":{"stage":S,"message":M}}
            where S is input (the record cannot be read) or transform (the mapping or function failed).
            KEY is the value of the warehouse's `key` property (the record number when there is no key \
            or it cannot be read). Transformation functions run (what they print goes to stderr); \
            no application is contacted.

            Exit codes: 0 every line is fine; 2 some lines are errors; 1 the pipeline is invalid or the \
            profile file cannot be read (no lines are printed).
            """
    )

    @Argument(help: "The workspace file. Default: ./outflow.json, then ./outflow.yaml, ./outflow.yml.")
    var workspace: String?

    @Option(name: .long, help: "The pipeline to preview: its id, or else its name.")
    var pipeline: String

    @Option(name: .long, help: "Stop after this many profiles read.")
    var limit: Int?

    @Flag(name: .long, help: "Run transformation functions in a worker subprocess with an empty environment, not in this process.")
    var isolateFunctions = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let file = try loadWorkspace(workspace)
        let selected = try selectPipeline(pipeline, in: file, exitCode: 1)
        let preview: PipelinePreview
        do {
            preview = try PipelinePreview(file: file, pipeline: selected, functionHost: isolateFunctions ? .worker(FunctionWorker()) : .inProcess)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        var output = StandardStream.standardOutput()
        let outcome: PipelinePreview.Summary
        do {
            outcome = try preview.run(limit: limit) { output.line($0) }
        } catch {
            output.flush()
            printError(error.description)
            throw ExitCode(1)
        }
        output.flush()
        if outcome.errors > 0 { throw ExitCode(2) }
    }
}
