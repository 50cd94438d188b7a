import Foundation

/// The time the scheduler reads and waits on (DESIGN 13: UTC). Tests inject a manual one to
/// check every tick without waiting for it.
public protocol ServerClock: Sendable {
    func now() -> Date
    /// Returns at `date` (or at once when it has passed); throws when the task is cancelled.
    func sleep(until date: Date) async throws
}

/// The machine's clock.
public struct SystemServerClock: ServerClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until date: Date) async throws {
        let seconds = date.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up)))) }
    }
}
