import Foundation

/// Durations as users write them in `--fault` and `--rate-limit`: `250ms`, `2s`, `1m`, `500us`.
///
/// A bare number is read as milliseconds, the unit latencies are usually thought in.
enum MockDuration {
    static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, nanoseconds: Double)] = [
            ("ms", 1e6), ("us", 1e3), ("ns", 1), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard let value = Double(number), value >= 0, value.isFinite else { return nil }
            return .nanoseconds(Int64(value * unit.nanoseconds))
        }
        guard let milliseconds = Double(trimmed), milliseconds >= 0, milliseconds.isFinite else { return nil }
        return .nanoseconds(Int64(milliseconds * 1e6))
    }

    /// Whole milliseconds of `duration`, for headers such as `X-HubSpot-RateLimit-Interval-Milliseconds`.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// `duration` in seconds, for moving a `Date` (`MockClock.Manual.date`).
    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
