import Glibc

/// The time source of the rate limiter and the retry loop, injectable so tests can run an hour of
/// pacing in milliseconds.
///
/// Two readings are needed: a monotonic one to measure windows and waits (immune to clock steps), and
/// the wall time to turn the reset instants some APIs send (`X-RateLimit-Reset: 1714000000`,
/// `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`) into waits.
public protocol HTTPClock: Sendable {
    /// Seconds on a monotonic timeline with an arbitrary origin.
    func now() -> Double
    /// Seconds since 1970-01-01T00:00:00Z.
    func unixTime() -> Double
    /// Returns at `deadline` (on the `now()` timeline) or later; throws `CancellationError` if the task is cancelled.
    func sleep(until deadline: Double) async throws
}

/// The real clock: `CLOCK_MONOTONIC`, `CLOCK_REALTIME` and `Task.sleep`.
public struct SystemClock: HTTPClock {
    public init() {}

    public func now() -> Double { Self.read(CLOCK_MONOTONIC) }

    public func unixTime() -> Double { Self.read(CLOCK_REALTIME) }

    public func sleep(until deadline: Double) async throws {
        let wait = deadline - now()
        if wait > 0 { try await Task.sleep(for: .nanoseconds(Int64(wait * 1e9))) }
        try Task.checkCancellation()
    }

    private static func read(_ clock: clockid_t) -> Double {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

extension Duration {
    /// The duration as (fractional) seconds, the unit of `HTTPClock`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
