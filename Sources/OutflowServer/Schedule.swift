import Foundation
import OutflowCore

/// When a scheduled pipeline runs (DESIGN section 13): at every UTC minute `m` of the day where
/// `m % period == scheduleStart % period`, the period in minutes.
///
/// Every period divides the 1440 minutes of a day, so the due minutes also fall every `period`
/// minutes across midnight: with 5m and start 1439 the pipeline runs at 23:59, 00:04, 00:09, ...
/// The functions are pure; the ``Scheduler`` reads the clock.
///
/// ```swift
/// Schedule.isDue(period: .h1, start: 15, minuteOfDay: 75)          // true: 01:15
/// Schedule.nextRun(after: now, period: .m15, start: 1439)           // the next hh:14, hh:29, hh:44 or hh:59
/// ```
public enum Schedule {
    public static let minutesPerDay = 1440

    /// Whether a pipeline of `period` starting at minute `start` (0-1439) is due at `minuteOfDay` (0-1439).
    public static func isDue(period: SchedulePeriod, start: Int, minuteOfDay: Int) -> Bool {
        modulo(minuteOfDay, period.minutes) == modulo(start, period.minutes)
    }

    /// The first due minute strictly after `date` (a whole UTC minute).
    public static func nextRun(after date: Date, period: SchedulePeriod, start: Int) -> Date {
        let next = minute(containing: date) + 1
        let due = next + modulo(start - next, period.minutes)
        return Date(timeIntervalSince1970: Double(due) * 60)
    }

    /// The UTC minute of the day (0-1439) that `date` falls in.
    public static func minuteOfDay(_ date: Date) -> Int {
        modulo(minute(containing: date), minutesPerDay)
    }

    /// The start of the minute that `date` falls in.
    public static func minuteStart(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(minute(containing: date)) * 60)
    }

    /// Minutes since 1970-01-01T00:00Z, rounded down (UTC days start at multiples of 1440).
    static func minute(containing date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 60).rounded(.down))
    }

    private static func modulo(_ value: Int, _ divisor: Int) -> Int {
        let rest = value % divisor
        return rest < 0 ? rest + divisor : rest
    }
}
