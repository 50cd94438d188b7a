import Foundation
import Logging
import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowFunctions
import OutflowHTTP
import OutflowRuntime
import OutflowStore
import OutflowWorkspace

/// Starts and tracks the runs the server makes: one pipeline (`POST /v1/pipelines/{id}/runs`),
/// a whole workspace (`POST /sources/{workspace}/start`, `trigger`), or a scheduled tick.
///
/// A run goes on in a task of its own after the request that started it is answered; the API
/// reads its progress back from the state store. The pipeline lock in the store refuses a second
/// run of a pipeline (409), as it does between processes. On shutdown every run is asked to stop
/// after the batch in flight is committed, and is waited for.
///
/// ```swift
/// let runs = RunManager(catalog: catalog, transport: HTTPClient(), functionHost: .worker(FunctionWorker()))
/// let runId = try await runs.startPipelineRun(workspace: "demo", pipeline: 101, parameters: RunParameters(), trigger: "api")
/// let jobId = try await runs.startWorkspaceRun(workspace: "demo", parameters: RunParameters(), trigger: "trigger")
/// await runs.shutdown()
/// ```
public actor RunManager {
    public let catalog: WorkspaceCatalog
    let transport: HTTPClient
    let functionHost: FunctionHost
    let metrics: ServerMetrics
    let logger: Logger

    /// Per workspace: the connector clients (shared rate limits) and the bundled mocks of its
    /// `"mock"` connections, made again when the workspace's revision changes.
    private var runtimes: [String: WorkspaceRuntime] = [:]
    /// Mocks of earlier revisions, stopped at shutdown (a run may still use one).
    private var retired: [MockConnections] = []
    /// The stop signal of each run going, by task key, with its pipeline.
    private var stops: [Int: (pipeline: Int64, stop: StopSignal)] = [:]
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var nextTask = 0
    private var shuttingDown = false

    public init(
        catalog: WorkspaceCatalog, transport: HTTPClient, functionHost: FunctionHost, metrics: ServerMetrics = ServerMetrics(),
        logger: Logger = Logger(label: "outflow.server.runs")
    ) {
        self.catalog = catalog
        self.transport = transport
        self.functionHost = functionHost
        self.metrics = metrics
        self.logger = logger
    }

    /// Pipelines with a run going in this server.
    public var runningPipelines: Set<Int64> { Set(stops.values.map(\.pipeline)) }

    /// Starts a run of one pipeline and returns its run id once the run is recorded and holds the
    /// pipeline's lock. 404 for an unknown workspace or pipeline, 409 when the pipeline is running
    /// or the workspace is not ACTIVE, 422 when the pipeline cannot run as configured.
    public func startPipelineRun(workspace name: String, pipeline id: Int64, parameters: RunParameters, trigger: String) async throws -> Int64 {
        guard !shuttingDown else { throw APIError(status: .serviceUnavailable, code: "shutting_down", message: "the server is shutting down") }
        let stored = try catalog.load(name)
        try requireActive(stored)
        let pipeline = try stored.pipeline(id: id)
        let prepared = try await prepare(stored, pipeline: pipeline, parameters: parameters, job: nil)
        return try await launch(prepared, trigger: trigger)
    }

    /// Starts a run of the workspace's enabled pipelines (or those `--model_refs` names, enabled
    /// or not) one after another, as one job, and returns the job's id at once. 409 while another
    /// job of the workspace runs.
    public func startWorkspaceRun(workspace name: String, parameters: RunParameters, trigger: String, only: [Int64]? = nil) async throws -> Int64 {
        guard !shuttingDown else { throw APIError(status: .serviceUnavailable, code: "shutting_down", message: "the server is shutting down") }
        let stored = try catalog.load(name)
        try requireActive(stored)
        let pipelines = try chosenPipelines(stored, refs: parameters.modelRefs, only: only)
        let job: JobRecord
        do {
            job = try catalog.store.startJob(workspace: name, trigger: trigger)
        } catch {
            if error.isAlreadyRunning { throw APIError.conflict(error.message) }
            throw APIError.internalError(error.message)
        }
        guard let jobID = job.id else { throw APIError.internalError("the workspace run got no id") }
        let ids = pipelines.compactMap(\.id)
        track { [weak self] in
            await self?.runJob(jobID, workspace: name, pipelines: ids, parameters: parameters, trigger: trigger)
        }
        return jobID
    }

    /// Asks every run to stop after its batch in flight is committed, waits for them, stops the mocks.
    public func shutdown() async {
        shuttingDown = true
        for entry in stops.values { entry.stop.request() }
        while let (key, task) = tasks.first {
            await task.value
            tasks[key] = nil
        }
        for runtime in runtimes.values { await runtime.mocks.stopAll() }
        for mocks in retired { await mocks.stopAll() }
        runtimes = [:]
        retired = []
    }

    /// Waits for every run started so far to end (tests).
    public func waitForIdle() async {
        while let (key, task) = tasks.first {
            await task.value
            tasks[key] = nil
        }
    }

    // MARK: - Running

    private struct Prepared: Sendable {
        var engine: ExportEngine
        var workspace: String
        var connector: String
        var stop: StopSignal
    }

    private func requireActive(_ stored: StoredWorkspace) throws {
        guard stored.isActive else {
            throw APIError.conflict("workspace \"\(stored.name)\" is \(stored.record.status.rawValue); enable it to run its pipelines")
        }
    }

    private func chosenPipelines(_ stored: StoredWorkspace, refs: [String]?, only: [Int64]?) throws -> [Pipeline] {
        if let only { return stored.workspace.pipelines.filter { $0.id.map(only.contains) ?? false } }
        guard let refs else { return stored.workspace.pipelines.filter(\.enabled) }
        var chosen: [Pipeline] = []
        for ref in refs {
            guard let pipeline = stored.workspace.pipeline(ref) else {
                throw APIError.unprocessable("--model_refs: no pipeline of workspace \"\(stored.name)\" has the id or name \"\(ref)\"")
            }
            if !chosen.contains(pipeline) { chosen.append(pipeline) }
        }
        return chosen
    }

    private func prepare(_ stored: StoredWorkspace, pipeline: Pipeline, parameters: RunParameters, job: Int64?) async throws -> Prepared {
        let file = try catalog.runnable(stored)
        let runtime = runtime(for: stored, file: file)
        guard var connection = file.workspace.connection(id: pipeline.connection) else {
            throw APIError.unprocessable("connection does not exist")
        }
        if connection.mock != nil {
            let connector: Connector
            do {
                connector = try catalog.registry.require(connection.connector)
            } catch {
                throw APIError.unprocessable("connector does not exist")
            }
            let fresh = !(await runtime.mocks.hasStarted(connection))
            do {
                connection = try await runtime.mocks.pointed(connection, connector: connector)
            } catch {
                throw APIError.unprocessable(error.description)
            }
            // A mock starts empty each time the server starts it: the export state of its
            // pipelines must not claim users it has never seen (DESIGN 4).
            if fresh {
                for other in stored.workspace.pipelines where other.connection == connection.id {
                    if let id = other.id { _ = try? catalog.store.resetExportState(pipeline: id) }
                }
            }
        }
        let client: any ApplicationClient
        do {
            client = try runtime.clients.client(for: connection)
        } catch {
            throw APIError.unprocessable("connection \(connection.id): \(error)")
        }
        var options = ExportOptions()
        options.full = parameters.full
        options.window = parameters.window
        options.functionHost = functionHost
        options.job = job
        let engine: ExportEngine
        do {
            engine = try ExportEngine(
                workspace: stored.name, pipeline: pipeline, source: file.workspace.warehouse.profiles, sourceURL: file.profilesURL, client: client,
                store: catalog.store, options: options)
        } catch {
            throw APIError.unprocessable(error.description)
        }
        return Prepared(engine: engine, workspace: stored.name, connector: connection.connector, stop: StopSignal())
    }

    /// Starts `prepared` in a task of its own; returns its run id once recorded.
    private func launch(_ prepared: Prepared, trigger: String) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            let once = OneShot(continuation)
            track { [weak self] in
                guard let self else { return }
                if case .failure(let error) = await self.execute(prepared, trigger: trigger, started: { once.resume(.success($0)) }) {
                    once.resume(.failure(error))
                }
            }
        }
    }

    /// Runs `prepared` to its end: the report, or why it could not start.
    private func execute(_ prepared: Prepared, trigger: String, started: @escaping @Sendable (Int64) -> Void) async -> Result<RunReport, APIError> {
        let pipeline = prepared.engine.pipeline.id ?? 0
        let key = nextTask
        nextTask += 1
        stops[key] = (pipeline, prepared.stop)
        if shuttingDown { prepared.stop.request() }
        defer { stops[key] = nil }
        do {
            let report = try await prepared.engine.run(stop: prepared.stop, started: started)
            finished(report, prepared: prepared, trigger: trigger)
            return .success(report)
        } catch {
            let apiError: APIError
            switch error {
            case .alreadyRunning(let message): apiError = APIError.conflict(message)
            case .invalidPipeline(let message): apiError = APIError.unprocessable(message)
            case .cannotStart(let message): apiError = APIError.internalError(message)
            }
            metrics.recordRefusedRun(reason: apiError.code)
            logger.warning("run of pipeline \(pipeline) not started: \(apiError.message)")
            return .failure(apiError)
        }
    }

    private func finished(_ report: RunReport, prepared: Prepared, trigger: String) {
        metrics.recordRun(report.run, connector: prepared.connector)
        let run = report.run
        logger.info(
            "run \(run.id ?? 0) of pipeline \(run.pipeline) \(run.status.rawValue)",
            metadata: [
                "workspace": .string(prepared.workspace), "trigger": .string(trigger), "read": .stringConvertible(run.read),
                "created": .stringConvertible(run.created), "updated": .stringConvertible(run.updated),
                "failed": .stringConvertible(run.failed), "error": .string(run.error ?? ""),
            ])
        if trigger == "schedule" {
            let authentication = (run.error ?? "").localizedCaseInsensitiveContains("authentication failed")
            if let status = try? catalog.store.recordScheduledRun(workspace: prepared.workspace, authenticationFailed: authentication),
                status == .suspended, authentication
            {
                logger.error("workspace \(prepared.workspace) suspended: scheduled runs met authentication failures 3 times in a row")
            }
        }
    }

    private func runJob(_ job: Int64, workspace name: String, pipelines: [Int64], parameters: RunParameters, trigger: String) async {
        var firstError: String?
        for id in pipelines {
            if shuttingDown {
                firstError = firstError ?? "interrupted"
                break
            }
            do {
                let stored = try catalog.load(name)
                let pipeline = try stored.pipeline(id: id)
                let prepared = try await prepare(stored, pipeline: pipeline, parameters: parameters, job: job)
                switch await execute(prepared, trigger: trigger, started: { _ in }) {
                case .success(let report):
                    if report.run.status == .failed, firstError == nil { firstError = "pipeline \(id): \(report.run.error ?? "failed")" }
                case .failure(let error):
                    firstError = firstError ?? "pipeline \(id): \(error.message)"
                }
            } catch let error as APIError {
                firstError = firstError ?? "pipeline \(id): \(error.message)"
            } catch {
                firstError = firstError ?? "pipeline \(id): \(error)"
            }
        }
        do {
            try catalog.store.finishJob(job, status: firstError == nil ? .finished : .failed, error: firstError)
        } catch {
            logger.error("workspace run \(job) of \(name) could not be finished in the store: \(error)")
        }
    }

    private func runtime(for stored: StoredWorkspace, file: WorkspaceFile) -> WorkspaceRuntime {
        if let runtime = runtimes[stored.name], runtime.revision == stored.record.revision { return runtime }
        if let old = runtimes[stored.name] { retired.append(old.mocks) }
        let runtime = WorkspaceRuntime(
            revision: stored.record.revision, clients: ConnectorClients(registry: catalog.registry, transport: transport, observer: metrics), mocks: MockConnections(file: file))
        runtimes[stored.name] = runtime
        return runtime
    }

    private func track(_ body: @escaping @Sendable () async -> Void) {
        let key = nextTask
        nextTask += 1
        tasks[key] = Task {
            await body()
            await self.untrack(key)
        }
    }

    private func untrack(_ key: Int) {
        tasks[key] = nil
    }
}

/// The clients and mocks of one revision of a workspace.
struct WorkspaceRuntime: Sendable {
    var revision: Int
    var clients: ConnectorClients
    var mocks: MockConnections
}
