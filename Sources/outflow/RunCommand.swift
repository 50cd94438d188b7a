import ArgumentParser
import Foundation
import OutflowConnectors
import OutflowCore
import OutflowRuntime
import OutflowEngine
import OutflowFunctions
import OutflowStore
import OutflowWorkspace

/// `outflow run`: exports the profiles of one or more pipelines to their applications.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Export profiles to applications: run one pipeline, several, or every enabled one.",
        discussion: """
            For each pipeline, in file order: reads the profiles, keeps those its filter (and the \
            --begin-time/--end-time window) selects, transforms them, drops those whose payload the \
            application already confirmed (unchanged), looks the rest up by the matching property, and \
            creates or updates them as the export mode allows. Every profile read ends in one outcome: \
            filteredOut, created, updated, unchanged, skipped or failed (with its stage).

            What the application confirmed is kept in the state store (.outflow/state.sqlite beside the \
            workspace, or --state PATH), batch by batch, so an interrupted run can simply be run again. \
            A connection with "mock" runs against the bundled mock of its connector, started for this \
            command, and keeps its state in memory.

            Output: a summary per pipeline on stdout (with --json, one compact JSON line per pipeline \
            run and nothing else); a progress line on stderr when it is a terminal.

            Exit codes: 0 done, no profile failed; 2 done, some profiles failed; 1 a run could not be \
            done (nothing or part sent; the state is consistent, run again); 64 usage error; 130 \
            interrupted by Ctrl-C after the batches in flight were committed.
            """
    )

    @Argument(help: "The workspace file. Default: ./outflow.json, then ./outflow.yaml, ./outflow.yml.")
    var workspace: String?

    @Option(name: .long, help: "A pipeline to run: its id, or else its name. Repeat for several. Default: every enabled pipeline.")
    var pipeline: [String] = []

    @Flag(name: .long, help: "Look up and plan, but send nothing and record no export state; report the plan.")
    var dryRun = false

    @Flag(name: .long, help: "Ignore the export state: send every selected profile again, changed or not.")
    var full = false

    @Option(name: .customLong("begin-time"), help: "Only profiles whose updatedAt is at or after this RFC 3339 time.")
    var beginTime: String?

    @Option(name: .customLong("end-time"), help: "Only profiles whose updatedAt is before this RFC 3339 time.")
    var endTime: String?

    @Option(name: .long, help: "The state store. Default: .outflow/state.sqlite beside the workspace file.")
    var state: String?

    @Flag(name: .long, help: "Print one compact JSON line per pipeline run on stdout, and nothing else.")
    var json = false

    @Flag(name: .long, help: "Run transformation functions in a worker subprocess with an empty environment, not in this process.")
    var isolateFunctions = false

    /// More work batches at once mean more requests in flight for a connector that writes one
    /// profile per request; the connector's rate limits and the pauses the API asks for still pace
    /// every request (scripts/soak raises it so each 429 pause is shared by many requests).
    @Option(
        name: .long,
        help: """
            Work batches looked up and sent at once per pipeline (default \(ExportOptions().maxInFlight), at most \(Self.maxInFlightLimit)); \
            rate limits still pace each request.
            """)
    var maxInFlight: Int?

    static let maxInFlightLimit = 1024

    @OptionGroup var connectors: ConnectorsOption

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        _ = try window()
        if let maxInFlight, !(1...Self.maxInFlightLimit).contains(maxInFlight) {
            throw ValidationError("--max-in-flight must be between 1 and \(Self.maxInFlightLimit), not \(maxInFlight)")
        }
    }

    /// The `--begin-time/--end-time` window, or nil without either flag.
    private func window() throws -> TimeWindow? {
        func parse(_ text: String?, _ flag: String) throws -> DateTimeValue? {
            guard let text else { return nil }
            guard let value = DateTimeValue(parsing: text) else { throw ValidationError("\(flag) \(text) is not an RFC 3339 time such as 2024-05-01T00:00:00Z") }
            return value
        }
        let begin = try parse(beginTime, "--begin-time")
        let end = try parse(endTime, "--end-time")
        if let begin, let end, !(begin < end) { throw ValidationError("--begin-time must be before --end-time") }
        return begin == nil && end == nil ? nil : TimeWindow(begin: begin, end: end)
    }

    func run() async throws {
        let (file, registry) = try loadWorkspaceAndConnectors(workspace, connectors: connectors.connectors)
        let selected = try pipelines(of: file)
        var options = ExportOptions()
        options.dryRun = dryRun
        options.full = full
        if isolateFunctions { options.functionHost = .worker(FunctionWorker()) }
        options.window = try window()
        if let maxInFlight { options.maxInFlight = maxInFlight }
        let runner = WorkspaceRun(file: file, stateOverride: state, options: options, json: json, factory: ConnectorClients(registry: registry), registry: registry)
        let status = await runner.run(selected)
        if status != 0 { throw ExitCode(status) }
    }

    /// The pipelines named by `--pipeline`, or every enabled one, in file order.
    private func pipelines(of file: WorkspaceFile) throws -> [Pipeline] {
        guard !pipeline.isEmpty else { return file.workspace.pipelines.filter(\.enabled) }
        var chosen: [Pipeline] = []
        for reference in pipeline {
            let match = try selectPipeline(reference, in: file)
            if !chosen.contains(match) { chosen.append(match) }
        }
        return chosen
    }
}
