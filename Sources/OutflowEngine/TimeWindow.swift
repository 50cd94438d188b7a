import OutflowCore

/// The `--begin-time/--end-time` window over the workspace's `updatedAt` property (DESIGN 11):
/// begin inclusive, end exclusive; a profile with a null or missing `updatedAt` is outside.
///
/// ```swift
/// let window = TimeWindow(begin: DateTimeValue(parsing: "2024-01-01T00:00:00Z"), end: nil)
/// window.contains(.datetime(updatedAt))   // true from 2024 on
/// ```
public struct TimeWindow: Hashable, Sendable {
    public var begin: DateTimeValue?
    public var end: DateTimeValue?

    public init(begin: DateTimeValue?, end: DateTimeValue?) {
        self.begin = begin
        self.end = end
    }

    /// True when `value` (a datetime, or a date taken as its midnight UTC) falls in the window.
    public func contains(_ value: Value?) -> Bool {
        let instant: DateTimeValue
        switch value {
        case .datetime(let time)?: instant = time
        case .date(let date)?: instant = DateTimeValue(seconds: Int64(date.days) * 86_400)
        default: return false
        }
        if let begin, instant < begin { return false }
        if let end, !(instant < end) { return false }
        return true
    }
}
