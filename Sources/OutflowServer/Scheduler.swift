import Foundation
import Logging
import OutflowCore
import ServiceLifecycle

/// Runs scheduled pipelines (DESIGN section 13): at every UTC minute boundary, each enabled
/// pipeline with a `schedulePeriod` of each ACTIVE workspace that ``Schedule`` says is due starts
/// a run, with trigger `schedule`.
///
/// A pipeline whose last run still goes is not run twice: its tick is skipped and logged
/// ("tick skipped: pipeline 101 is still running"), whether the run is this server's or a CLI
/// run holding the pipeline's lock in the same store. A disabled pipeline or a workspace that is
/// not ACTIVE never runs. The scheduler stops at graceful shutdown; the runs it started are
/// stopped by ``RunShutdownService``.
///
/// The scheduler reads the time from `configuration.clock` only, so tests drive it with a
/// ``ManualServerClock``. When it wakes late (a suspended machine), it ticks once for the minute
/// it woke in, not once for every minute it missed.
struct Scheduler: Service {
    let services: ServerServices

    private var clock: any ServerClock { services.configuration.clock }
    private var logger: Logger { services.logger }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await loop() }
        } catch is CancellationError {
            // Graceful shutdown: nothing new starts.
        }
        logger.debug("scheduler stopped")
    }

    private func loop() async throws {
        var next = Schedule.minuteStart(clock.now()).addingTimeInterval(60)
        while true {
            try await clock.sleep(until: next)
            try Task.checkCancellation()
            let minute = max(next, Schedule.minuteStart(clock.now()))
            await tick(at: minute)
            next = minute.addingTimeInterval(60)
        }
    }

    /// Starts the runs due at `minute` (a whole UTC minute).
    func tick(at minute: Date) async {
        let minuteOfDay = Schedule.minuteOfDay(minute)
        let workspaces: [StoredWorkspace]
        do {
            workspaces = try services.catalog.all()
        } catch {
            logger.error("tick at minute \(minuteOfDay) skipped: the workspaces cannot be read: \(error)")
            return
        }
        for stored in workspaces where stored.isActive {
            for pipeline in stored.workspace.pipelines where pipeline.enabled {
                guard let id = pipeline.id, let period = pipeline.schedulePeriod,
                    Schedule.isDue(period: period, start: pipeline.scheduleStart ?? 0, minuteOfDay: minuteOfDay)
                else { continue }
                await start(pipeline: id, of: stored.name)
            }
        }
    }

    private func start(pipeline id: Int64, of workspace: String) async {
        let metadata: Logger.Metadata = ["workspace": .string(workspace), "pipeline": .stringConvertible(id)]
        if await services.runs.runningPipelines.contains(id) {
            logger.notice("tick skipped: pipeline \(id) is still running", metadata: metadata)
            return
        }
        do {
            let run = try await services.runs.startPipelineRun(workspace: workspace, pipeline: id, parameters: RunParameters(), trigger: "schedule")
            logger.info("scheduled run \(run) of pipeline \(id) started", metadata: metadata)
        } catch let error as APIError where error.status == .conflict {
            // The workspace may have been disabled since the tick read it; otherwise the pipeline's
            // lock is held (by this server or by `outflow run` on the same store).
            if let stored = try? services.catalog.load(workspace), !stored.isActive {
                logger.notice("tick skipped: workspace \(workspace) is \(stored.record.status.rawValue)", metadata: metadata)
            } else {
                logger.notice("tick skipped: pipeline \(id) is still running", metadata: metadata)
            }
        } catch {
            logger.warning("scheduled run of pipeline \(id) not started: \(error)", metadata: metadata)
        }
    }
}
