import Foundation
import OutflowCore

/// The body and the rule of `PUT /v1/pipelines/{id}/schedule` (DESIGN section 13).
///
/// A pipeline runs at every minute m of the day (UTC) where `m % period == scheduleStart % period`.
/// Setting a period on a pipeline without a `scheduleStart` starts it at the current minute
/// modulo the period, so the first tick is one period from now rather than at some arbitrary
/// minute; a pipeline that has one keeps it. Clearing the period clears `scheduleStart` too.
///
/// ```swift
/// let period = try PipelineSchedule.period(in: ["period": "1h"])                  // .h1
/// PipelineSchedule.start(for: .h1, current: nil, now: tenPastNine)                   // 10
/// ```
enum PipelineSchedule {
    /// The `period` of the body: a period, or nil for null. 422 names the allowed ones.
    static func period(in object: JSONObject) throws -> SchedulePeriod? {
        var fields = JSONFields(object, path: "")
        let value = fields.value("period", required: true)
        fields.rejectUnknown()
        guard fields.issues.isEmpty, let value else { throw APIError.invalid(fields.issues) }
        switch value {
        case .null:
            return nil
        case .string(let text):
            if let period = SchedulePeriod(rawValue: text) { return period }
            throw APIError.unprocessable("period: must be one of \(allowed) or null, found \"\(text)\"")
        default:
            throw APIError.unprocessable("period: must be one of \(allowed) or null, found \(value.typeName)")
        }
    }

    /// The `scheduleStart` to store with `period`.
    static func start(for period: SchedulePeriod?, current: Int?, now: Date) -> Int? {
        guard let period else { return nil }
        if let current { return current }
        return minuteOfDay(now) % period.minutes
    }

    /// The minute of the UTC day, 0...1439 (Unix time has no leap seconds: every day is 1440 minutes).
    static func minuteOfDay(_ date: Date) -> Int {
        let minutes = Int((date.timeIntervalSince1970 / 60).rounded(.down))
        return ((minutes % 1440) + 1440) % 1440
    }

    private static var allowed: String { SchedulePeriod.allCases.map(\.rawValue).joined(separator: ", ") }
}
