import Foundation
import OutflowConnectors
import OutflowCore
import OutflowSources
import OutflowStore

/// Runs one pipeline: the whole flow of DESIGN section 2 with the rules of sections 9 and 10.
///
/// A run takes the pipeline's lock in the state store, reads the source twice (first to find the
/// matching values several selected profiles share, then to export), and keeps a bounded number of
/// work batches in flight: while batches are looked up and sent, the next ones are read,
/// filtered, transformed and diffed. A batch's outcomes are committed once the application has
/// answered (several answered batches per transaction, `ExportOptions.commitGroup`), so killing
/// the process at any moment loses nothing: the next run looks up what it does not know and
/// creates no user twice.
///
/// ```swift
/// let engine = try ExportEngine(workspace: "demo", pipeline: pipeline, source: workspace.warehouse.profiles,
///                               sourceURL: url, client: client, store: store, options: ExportOptions())
/// let report = try await engine.run()
/// print(report.run.status, report.run.counts)
/// ```
public struct ExportEngine: Sendable {
    public let workspace: String
    public let pipeline: Pipeline
    public let source: ProfileSource
    public let sourceURL: URL
    public let client: any ApplicationClient
    public let store: StateStore
    public let options: ExportOptions

    private let pipelineID: Int64
    private let selector: ProfileSelector
    private let transformer: ProfileTransformer
    private let matching: MatchingRule
    private let route: BatchDelivery.Route

    /// Checks and compiles everything the run needs before any lock is taken: the filter, the
    /// transformation, the window, and whether the connector can do the export mode.
    public init(
        workspace: String, pipeline: Pipeline, source: ProfileSource, sourceURL: URL, client: any ApplicationClient, store: StateStore,
        options: ExportOptions = ExportOptions()
    ) throws(EngineError) {
        guard let id = pipeline.id else { throw EngineError.invalidPipeline("pipeline \"\(pipeline.name)\" has no id, so its runs cannot be recorded") }
        let capabilities = client.capabilities
        if !capabilities.canLookup && pipeline.exportMode != .createOrUpdate {
            throw EngineError.invalidPipeline(
                "pipeline \(id): this connection cannot look users up, so it can only export with the CreateOrUpdate mode, not \(pipeline.exportMode.rawValue)")
        }
        self.workspace = workspace
        self.pipeline = pipeline
        self.source = source
        self.sourceURL = sourceURL
        self.client = client
        self.store = store
        self.options = options
        pipelineID = id
        selector = try ProfileSelector(pipeline: pipeline, source: source, window: options.window)
        do {
            transformer = try ProfileTransformer(pipeline: pipeline, profileSchema: source.schema, functionHost: options.functionHost)
        } catch {
            throw EngineError.invalidPipeline(error.description)
        }
        matching = MatchingRule(pipeline: pipeline, caseInsensitive: capabilities.caseInsensitiveProperties)
        if !capabilities.canLookup {
            route = .deliverAll
        } else if !options.dryRun && pipeline.exportMode == .createOrUpdate && capabilities.upsertProperties.contains(pipeline.matching.out) {
            route = .upsert
        } else {
            route = .lookup
        }
    }

    /// Profiles per work batch: one lookup request's worth, or one upsert's.
    var chunkSize: Int {
        let capabilities = client.capabilities
        switch route {
        case .lookup: return capabilities.lookupBatchSize
        case .upsert: return capabilities.upsertBatchSize
        case .deliverAll:
            return capabilities.upsertProperties.contains(pipeline.matching.out) ? capabilities.upsertBatchSize : capabilities.createBatchSize
        }
    }

    /// Runs the pipeline once. Throws only when the run cannot start (the lock is held, the store
    /// cannot be written); everything after that ends in the returned report.
    ///
    /// `started` is called with the run's id as soon as the run is recorded and its lock taken,
    /// before any profile is read: the REST API answers `{"runId"}` from it.
    public func run(
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }, stop: StopSignal = StopSignal(),
        started onStart: @Sendable (Int64) -> Void = { _ in }
    ) async throws(EngineError) -> RunReport {
        let started: RunRecord
        do {
            started = try store.startRun(pipeline: pipelineID, workspace: workspace, owner: options.owner, dryRun: options.dryRun, job: options.job)
        } catch {
            throw error.isAlreadyRunning ? EngineError.alreadyRunning(error.description) : EngineError.cannotStart(error.description)
        }
        guard let runID = started.id else { throw EngineError.cannotStart("the state store gave the run no id") }
        onStart(runID)
        let heartbeat = startHeartbeat(run: runID)
        let ending = await export(run: runID, progress: progress, stop: stop)
        heartbeat.cancel()
        let status: RunRecord.Status = ending.error == nil ? .finished : .failed
        do {
            try store.finishRun(runID, status: status, error: ending.error)
            let record = try store.run(runID) ?? started
            return RunReport(run: record, errors: Array(try store.errors(run: runID).prefix(100)), interrupted: ending.interrupted)
        } catch {
            var record = started
            record.status = .failed
            record.error = error.description
            return RunReport(run: record, errors: [], interrupted: ending.interrupted)
        }
    }

    private struct Ending {
        var error: String?
        var interrupted = false
    }

    private func startHeartbeat(run: Int64) -> Task<Void, Never> {
        let store = store
        let pipeline = pipelineID
        let interval = options.heartbeatInterval
        return Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                if Task.isCancelled { return }
                try? store.heartbeat(run: run, pipeline: pipeline)
            }
        }
    }

    /// Both passes; returns why the run failed, if it did.
    private func export(run: Int64, progress: @escaping @Sendable (RunProgress) -> Void, stop: StopSignal) async -> Ending {
        let clock = ContinuousClock()
        let start = clock.now
        let selection: SelectionIndex
        let total: Int
        let noEarlierState: Bool
        do {
            (selection, total) = try countSelection()
            noEarlierState = try !store.hasExportState(pipeline: pipelineID)
        } catch let error as SourceError {
            return Ending(error: error.description)
        } catch {
            return Ending(error: "\(error)")
        }
        var preparer = BatchPreparer(
            run: run, pipeline: pipelineID, selector: selector, transformer: transformer, matching: matching, selection: selection, store: store,
            full: options.full, chunkSize: chunkSize, noEarlierState: noEarlierState)
        let delivery = BatchDelivery(
            client: client, run: run, pipeline: pipelineID,
            planner: ExportPlanner(mode: pipeline.exportMode, updateOnDuplicates: pipeline.updateOnDuplicates, matchingProperty: pipeline.matching.out),
            required: RequiredProperties(outSchema: pipeline.outSchema), matching: matching, route: route, dryRun: options.dryRun,
            context: WriteContext(pipelineID: pipelineID, matchingProperty: pipeline.matching.out))
        let executor = client.taskExecutor
        let maxInFlight = max(1, options.maxInFlight)
        let maxFailures = max(1, options.maxConsecutiveBatchFailures)

        return await withTaskGroup(of: BatchDelivery.Outcome.self) { group in
            var inFlight = 0
            var done = 0
            var consecutiveFailures = 0
            var ending = Ending()
            let answered = AnsweredBatches()
            var lastCommit = start
            let commitGroup = max(1, options.commitGroup)
            let maxCommitDelay = Duration.milliseconds(Int(options.maxCommitDelay * 1000))

            /// Commits the answered batches waiting, in one transaction: when `commitGroup` wait, or
            /// `maxCommitDelay` has passed since the last commit (so answers that come slowly are
            /// committed one by one, as they come), or `all`.
            func commitDue(all: Bool = false) {
                let overdue = all || clock.now - lastCommit >= maxCommitDelay
                let records = answered.take(ifAtLeast: overdue ? 1 : commitGroup)
                guard !records.isEmpty else { return }
                do {
                    try store.commitBatches(run: run, pipeline: pipelineID, records)
                } catch {
                    ending.error = ending.error ?? error.description
                }
                lastCommit = clock.now
            }

            func absorb(_ outcome: BatchDelivery.Outcome) {
                commitDue()
                inFlight -= 1
                done += outcome.counts.read
                progress(RunProgress(done: done, total: total, elapsed: Self.seconds(clock.now - start)))
                if let fatal = outcome.fatal {
                    ending.error = ending.error ?? fatal
                    return
                }
                if outcome.failedWhole {
                    consecutiveFailures += 1
                    if consecutiveFailures >= maxFailures, ending.error == nil {
                        ending.error = "\(consecutiveFailures) batches in a row failed whole; the last error: \(outcome.lastRequestError ?? "unknown")"
                    }
                } else if outcome.attempted > 0 {
                    consecutiveFailures = 0
                }
            }

            func shouldStop() -> Bool {
                if ending.error != nil { return true }
                if stop.isRequested {
                    ending.interrupted = true
                    ending.error = "interrupted"
                    return true
                }
                return false
            }

            func dispatch(_ work: WorkBatch) async {
                while inFlight >= maxInFlight, let outcome = await group.next() { absorb(outcome) }
                // A batch answered while this one waited may have stopped the run.
                if ending.error != nil { return }
                inFlight += 1
                // On the HTTP client's event loop when the client offers it (`ApplicationClient.taskExecutor`).
                group.addTask(executorPreference: executor) {
                    let outcome = await delivery.deliver(work)
                    answered.add(outcome.record)
                    return outcome
                }
            }

            do {
                var reader = try ProfileReaders.open(source, url: sourceURL, displayPath: source.path, only: exportColumns)
                var batch = ProfileBatch(schema: source.schema)
                reading: while !shouldStop(), try reader.next(into: &batch) {
                    // Between two reads, so a batch answered while the source is read (a long stretch of
                    // filtered-out profiles) waits no longer for its commit.
                    commitDue()
                    try preparer.prepare(batch)
                    for work in preparer.takeReady() {
                        if shouldStop() { break reading }
                        await dispatch(work)
                    }
                }
                if !shouldStop(), let last = preparer.finish() { await dispatch(last) }
            } catch let error as SourceError {
                ending.error = ending.error ?? error.description
            } catch {
                ending.error = ending.error ?? "\(error)"
            }
            // Batches in flight are answered and committed even when the run stops.
            while let outcome = await group.next() { absorb(outcome) }
            commitDue(all: true)
            return ending
        }
    }

    /// The first pass: counts every record read, and the matching keys of the selection (twice,
    /// when some 64-bit hash was seen more than once, to confirm which keys are really shared).
    private func countSelection() throws(SourceError) -> (SelectionIndex, Int) {
        var index = SelectionIndex()
        var total = 0
        try scanSelection { key in index.count(key) } records: { total += $0 }
        index.finishCounting()
        if index.needsConfirmation {
            try scanSelection { key in index.confirm(key) } records: { _ in }
        }
        return (index, total)
    }

    /// The top-level properties the export pass decodes (CSV): see `Pipeline.sourceColumns(in:window:)`.
    var exportColumns: Set<String> { pipeline.sourceColumns(in: source, window: options.window != nil) }

    /// Reads only the columns the filter, the window and the matching value need (CSV): a profile is
    /// in the selection when those decode and pass, whatever its other cells hold, just as a profile
    /// whose transformation fails later still counts. The second pass decodes `exportColumns`.
    private func scanSelection(_ body: (String) -> Void, records: (Int) -> Void) throws(SourceError) {
        let needed = selector.readProperties.union([ProfileSelector.topLevel(pipeline.matching.in)])
        var reader = try ProfileReaders.open(source, url: sourceURL, displayPath: source.path, only: needed)
        var batch = ProfileBatch(schema: source.schema)
        while try reader.next(into: &batch) {
            records(batch.count)
            for row in 0..<batch.count where batch.errors[row] == nil && selector.selects(batch, row: row) {
                if case .success(let matched) = matching.read(batch, row: row) { body(matched.key) }
            }
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

