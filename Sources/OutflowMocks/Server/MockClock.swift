import Foundation
import Synchronization

/// The time a mock server goes by: when a rate-limit window has room again, when a write made
/// under `search-lag` becomes searchable, and the Unix time in reset headers.
///
/// `.system` (the default, and what `outflow mock` and the engine's mock connections use) is the
/// machine's clocks. `.manual(clock)` stands still until the test moves it, so a test of a 1 s
/// window or a 300 ms lag waits for nothing, and a slow or loaded machine cannot let a window roll
/// over, or a lag run out, between two requests the test means to fall inside it.
///
/// ```swift
/// let time = MockClock.Manual()
/// var options = MockOptions()
/// options.rateLimit = .custom(count: 5, window: .seconds(1))
/// options.clock = .manual(time)
/// let server = try await MockServer.start(.hubspot, options: options)
/// // five requests pass and the sixth is a 429, however long they took
/// time.advance(by: .seconds(1))
/// // the window has rolled over: the next request passes
/// ```
///
/// Injected latency (`latency=DURATION`) still sleeps in real time: it exists to make the client
/// wait, which a clock nobody waits on could not do. Timestamps the mock writes into records
/// (`createdAt`, `updated_at`, ...) are the system's too.
public enum MockClock: Sendable {
    case system
    case manual(Manual)

    /// Now on the monotonic timeline that windows and lags are measured on.
    public func now() -> ContinuousClock.Instant {
        switch self {
        case .system: return .now
        case .manual(let clock): return clock.now
        }
    }

    /// Now on the calendar, for headers that carry a Unix time (Intercom's `X-RateLimit-Reset`).
    public func date() -> Date {
        switch self {
        case .system: return Date()
        case .manual(let clock): return clock.date
        }
    }

    /// A clock that moves only when `advance(by:)` is called; share one between a mock and its test.
    ///
    /// ```swift
    /// let time = MockClock.Manual(date: Date(timeIntervalSince1970: 1_700_000_000))
    /// time.advance(by: .milliseconds(300))
    /// time.date.timeIntervalSince1970   // 1_700_000_000.3
    /// ```
    /// A class, because the mock and the test must see the same time; the elapsed time is behind a
    /// lock since requests read it from the server's threads while the test moves it.
    public final class Manual: Sendable {
        private let origin: ContinuousClock.Instant
        private let originDate: Date
        private let elapsed = Mutex<Duration>(.zero)

        /// A clock stopped at `date` on the calendar (now, by default).
        public init(date: Date = Date()) {
            origin = .now
            originDate = date
        }

        /// Moves time forward by `duration`; time never goes back, so a negative duration is a
        /// programming error.
        public func advance(by duration: Duration) {
            precondition(duration >= .zero, "a MockClock.Manual only moves forward (asked to advance by \(duration))")
            elapsed.withLock { $0 += duration }
        }

        /// How far the clock has been moved since it was made.
        public var offset: Duration { elapsed.withLock { $0 } }

        public var now: ContinuousClock.Instant { origin + offset }

        public var date: Date { originDate.addingTimeInterval(MockDuration.seconds(offset)) }
    }
}
