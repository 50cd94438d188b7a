import Foundation
import OutflowCore
import OutflowStore

/// The status objects of the run API (seed 001, DESIGN section 12), built from the store's records.
///
/// The seed knows two statuses, `running` and `finished`; the CLI's `failed` is `finished` with an
/// `error`, so a client that only reads `status` still sees the run has ended.
///
/// ```swift
/// let body = RunStatusBody.pipelineRun(run, errors: try store.errors(run: run.id!))
/// let job = RunStatusBody.job(record, tasks: try store.runs(job: record.id!))
/// ```
enum RunStatusBody {
    /// How many of a run's errors a status object carries (all are in the store: `outflow runs errors`).
    static let errorLimit = 100

    /// `GET /v1/pipelines/{id}/runs/{runId}/status`: a pipeline run as a job of one task.
    static func pipelineRun(_ run: RunRecord, errors: [ProfileError]) -> JSONValue {
        let runId = JSONValue.string(String(run.id ?? 0))
        let pipelineId = JSONValue.string(String(run.pipeline))
        var object = JSONObject([("jobId", pipelineId), ("jobRunId", runId)])
        object["status"] = .string(run.status == .running ? "running" : "finished")
        object["startedAt"] = .string(time(run.startedAt))
        object["finishedAt"] = run.finishedAt.map { .string(time($0)) } ?? .null
        if run.status == .failed { object["error"] = .string(run.error ?? "failed") }
        if run.dryRun { object["dryRun"] = .bool(true) }
        let task = JSONObject([
            ("taskId", pipelineId), ("taskRunId", runId), ("startedAt", object["startedAt"] ?? .null), ("finishedAt", object["finishedAt"] ?? .null),
        ])
        object["tasks"] = .array([.object(task)])
        object["counts"] = counts(run.counts)
        object["errors"] = .array(errors.prefix(errorLimit).map(errorJSON))
        return .object(object)
    }

    /// `GET /sources/{workspace}/runs/{runId}/status`: a workspace run, one task per pipeline run
    /// it has started so far, with the counts summed over them.
    static func job(_ job: JobRecord, tasks: [RunRecord]) -> JSONValue {
        var object = JSONObject([("jobId", .string(job.workspace)), ("jobRunId", .string(String(job.id ?? 0)))])
        object["status"] = .string(job.status == .running ? "running" : "finished")
        object["startedAt"] = .string(time(job.startedAt))
        object["finishedAt"] = job.finishedAt.map { .string(time($0)) } ?? .null
        if job.status == .failed { object["error"] = .string(job.error ?? "failed") }
        var total = RunCounts()
        var items: [JSONValue] = []
        for run in tasks {
            var task = JSONObject([("taskId", .string(String(run.pipeline))), ("taskRunId", .string(String(run.id ?? 0)))])
            task["startedAt"] = .string(time(run.startedAt))
            task["finishedAt"] = run.finishedAt.map { .string(time($0)) } ?? .null
            task["status"] = .string(run.status == .running ? "running" : "finished")
            task["counts"] = counts(run.counts)
            if run.status == .failed { task["error"] = .string(run.error ?? "failed") }
            items.append(.object(task))
            total = sum(total, run.counts)
        }
        object["tasks"] = .array(items)
        object["counts"] = counts(total)
        return .object(object)
    }

    static func counts(_ c: RunCounts) -> JSONValue {
        .object(
            JSONObject([
                ("read", number(c.read)), ("filteredOut", number(c.filteredOut)), ("created", number(c.created)), ("updated", number(c.updated)),
                ("unchanged", number(c.unchanged)), ("skipped", number(c.skipped)), ("failed", number(c.failed)),
            ])
        )
    }

    /// RFC 3339 UTC with milliseconds, as the seed's `2024-05-31T06:48:08.228Z`.
    static func time(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    private static func sum(_ a: RunCounts, _ b: RunCounts) -> RunCounts {
        RunCounts(
            read: a.read + b.read,
            filteredOut: a.filteredOut + b.filteredOut,
            created: a.created + b.created,
            updated: a.updated + b.updated,
            unchanged: a.unchanged + b.unchanged,
            skipped: a.skipped + b.skipped,
            failed: a.failed + b.failed
        )
    }

    private static func number(_ value: Int) -> JSONValue { .number(String(value)) }

    /// A profile key is stored as section 5's JSON text (`42`, `"c-17"`), so it goes back out as that JSON.
    private static func errorJSON(_ error: ProfileError) -> JSONValue {
        let profile = (try? JSONParser.parse(error.profile)) ?? .string(error.profile)
        return .object(JSONObject([("profile", profile), ("stage", .string(error.stage)), ("message", .string(error.message))]))
    }
}
