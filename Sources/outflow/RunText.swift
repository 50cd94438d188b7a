import Foundation
import OutflowCore
import OutflowStore

/// How runs are printed: one line per run, a detailed view, and the JSON of `run --json`.
enum RunText {
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        return DateTimeValue(seconds: Int64(date.timeIntervalSince1970.rounded(.down))).description
    }

    /// `7  pipeline 101  finished  2026-11-23T10:00:00Z  read 1200 created 40 ... failed 3`
    static func line(_ run: RunRecord) -> String {
        let c = run.counts
        var text = "\(run.id ?? 0)\tpipeline \(run.pipeline)\t\(status(run))\t\(time(run.startedAt))\t"
        text += "read \(c.read) filteredOut \(c.filteredOut) created \(c.created) updated \(c.updated) "
        text += "unchanged \(c.unchanged) skipped \(c.skipped) failed \(c.failed)"
        if let error = run.error { text += "\terror: \(error)" }
        return text
    }

    /// The CLI's status: a run that ended with an error is `failed`.
    static func status(_ run: RunRecord) -> String {
        run.dryRun ? run.status.rawValue + " (dry run)" : run.status.rawValue
    }

    static func details(_ run: RunRecord, errors: [ProfileError]) -> [String] {
        var lines = [
            "run \(run.id ?? 0) of pipeline \(run.pipeline) (workspace \(run.workspace))",
            "status: \(status(run))" + (run.error.map { ", error: \($0)" } ?? ""),
            "started: \(time(run.startedAt)), finished: \(time(run.finishedAt))",
        ]
        let c = run.counts
        lines.append(
            "read \(c.read): filteredOut \(c.filteredOut), created \(c.created), updated \(c.updated), unchanged \(c.unchanged), "
                + "skipped \(c.skipped), failed \(c.failed)")
        var stages = Dictionary(grouping: errors, by: \.stage)
        for stage in ["input", "transform", "validate", "match", "send"] + stages.keys.sorted() {
            guard let group = stages.removeValue(forKey: stage) else { continue }
            lines.append("\(stage) errors: \(group.count)")
            for error in group.prefix(5) { lines.append("  \(error.profile): \(error.message)") }
            if group.count > 5 { lines.append("  … \(group.count - 5) more (outflow runs errors \(run.id ?? 0))") }
        }
        return lines
    }

    /// The object of DESIGN section 11's `run --json`.
    static func json(_ run: RunRecord, errors: ArraySlice<ProfileError> = []) -> String {
        let c = run.counts
        var object = JSONObject([
            ("runId", .number(String(run.id ?? 0))), ("pipeline", .number(String(run.pipeline))),
            ("status", .string(run.status.rawValue)), ("startedAt", .string(time(run.startedAt))),
        ])
        if let finished = run.finishedAt { object["finishedAt"] = .string(time(finished)) }
        if let error = run.error { object["error"] = .string(error) }
        if run.dryRun { object["dryRun"] = .bool(true) }
        object["counts"] = .object(
            JSONObject([
                ("read", .number(String(c.read))), ("filteredOut", .number(String(c.filteredOut))), ("created", .number(String(c.created))),
                ("updated", .number(String(c.updated))), ("unchanged", .number(String(c.unchanged))), ("skipped", .number(String(c.skipped))),
                ("failed", .number(String(c.failed))),
            ]))
        if !errors.isEmpty { object["errors"] = .array(errors.map(errorJSON)) }
        return JSONWriter.string(.object(object))
    }

    static func json(_ error: ProfileError) -> String {
        JSONWriter.string(errorJSON(error))
    }

    /// The summary `outflow run` prints for one run: status, counts, and the first errors.
    /// It holds no times, so a run that does the same work prints the same summary.
    static func summary(_ run: RunRecord, label: String, errors: [ProfileError]) -> [String] {
        var status = run.status.rawValue
        if run.dryRun { status += " (dry run: nothing was sent)" }
        var lines = ["\(label): \(status), run \(run.id ?? 0)"]
        let c = run.counts
        lines.append(
            "  read \(c.read): filteredOut \(c.filteredOut), created \(c.created), updated \(c.updated), unchanged \(c.unchanged), "
                + "skipped \(c.skipped), failed \(c.failed)")
        for error in errors.prefix(5) { lines.append("  \(error.profile) \(error.stage): \(error.message)") }
        if c.failed > 5 { lines.append("  … and \(c.failed - 5) more failed profiles") }
        return lines
    }

    /// A profile key is stored as section 5's JSON text (`42`, `"c-17"`), so it is written back as that JSON.
    private static func errorJSON(_ error: ProfileError) -> JSONValue {
        let profile = (try? JSONParser.parse(error.profile)) ?? .string(error.profile)
        return .object(JSONObject([("profile", profile), ("stage", .string(error.stage)), ("message", .string(error.message))]))
    }
}
