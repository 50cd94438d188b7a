import Foundation
import OutflowConnectors
import OutflowCore
import OutflowRuntime
import OutflowEngine
import OutflowStore
import OutflowWorkspace

/// Runs pipelines of one workspace one after another for `outflow run`: picks each one's store and
/// client (starting the connection's mock when it has one), prints its result, and works out the
/// exit status of DESIGN section 11.
///
/// ```swift
/// let clients = ConnectorClients(registry: registry)
/// let status = await WorkspaceRun(file: file, stateOverride: nil, options: ExportOptions(), json: false,
///                                 factory: clients, registry: registry).run(pipelines)   // 0, 1, 2 or 130
/// ```
struct WorkspaceRun {
    let file: WorkspaceFile
    let stateOverride: String?
    let options: ExportOptions
    let json: Bool
    let factory: any ApplicationClientFactory
    /// The connectors of mock connections, whose `mock.settings` point a connection at its mock.
    let registry: ConnectorRegistry

    func run(_ pipelines: [Pipeline]) async -> Int32 {
        let interrupt = InterruptSignal.watch()
        defer { interrupt.cancel() }
        let mocks = MockConnections(file: file)
        var fileStore: StateStore?
        var anyRunFailed = false
        var anyProfileFailed = false
        var interrupted = false
        for pipeline in pipelines {
            if interrupt.stop.isRequested {
                interrupted = true
                break
            }
            let label = "pipeline \(pipeline.id.map(String.init) ?? "-") \"\(pipeline.name)\""
            do {
                let report = try await run(pipeline, label: label, mocks: mocks, fileStore: &fileStore, stop: interrupt.stop)
                print(report, label: label)
                if report.interrupted {
                    interrupted = true
                    break
                }
                if report.run.status == .failed { anyRunFailed = true }
                if report.run.counts.failed > 0 { anyProfileFailed = true }
            } catch {
                printError("\(label): \(error)")
                anyRunFailed = true
            }
        }
        await mocks.stopAll()
        if interrupted { return 130 }
        return anyRunFailed ? 1 : anyProfileFailed ? 2 : 0
    }

    private func run(
        _ pipeline: Pipeline, label: String, mocks: MockConnections, fileStore: inout StateStore?, stop: StopSignal
    ) async throws -> RunReport {
        guard var connection = file.workspace.connection(id: pipeline.connection) else {
            throw RunSetupError("connection \(pipeline.connection) does not exist")
        }
        let store: StateStore
        if connection.mock != nil {
            connection = try await mocks.pointed(connection, connector: try registry.require(connection.connector))
            store = try await mocks.store(for: connection)
        } else if let opened = fileStore {
            store = opened
        } else {
            let opened = try StateStore(path: StateLocation.path(for: file, override: stateOverride))
            fileStore = opened
            store = opened
        }
        let client = try factory.client(for: connection)
        let engine = try ExportEngine(
            workspace: file.workspace.name, pipeline: pipeline, source: file.workspace.warehouse.profiles, sourceURL: file.profilesURL,
            client: client, store: store, options: options)
        let progress = RunProgressLine(label: label)
        let report = try await engine.run(progress: progress.update, stop: stop)
        progress.finish()
        return report
    }

    private func print(_ report: RunReport, label: String) {
        var out = StandardStream.standardOutput()
        if json {
            out.line(RunText.json(report.run, errors: report.errors[...]))
        } else {
            for line in RunText.summary(report.run, label: label, errors: report.errors) { out.line(line) }
        }
        out.flush()
        if let error = report.run.error, !json { printError("\(label): \(error)") }
    }
}

/// A pipeline whose run cannot be set up (its connection is missing).
struct RunSetupError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
