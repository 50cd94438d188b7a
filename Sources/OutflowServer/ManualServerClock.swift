import Foundation

/// A ``ServerClock`` that moves only when told to, so a test can walk the scheduler through any
/// minute of any day without waiting for it.
///
/// ```swift
/// let clock = ManualServerClock(Date(timeIntervalSince1970: 0))
/// configuration.clock = clock
/// clock.set(to: Date(timeIntervalSince1970: 15 * 60))                      // 00:15: the scheduler wakes
/// try await clock.waitForSleeper(after: Date(timeIntervalSince1970: 15 * 60)) // and has finished that tick
/// ```
public final class ManualServerClock: ServerClock, @unchecked Sendable {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var current: Date
    private var sleepers: [UUID: Sleeper] = [:]
    /// Sleeps cancelled before their continuation was registered.
    private var cancelled: Set<UUID> = []

    public init(_ start: Date) {
        current = start
    }

    public func now() -> Date { lock.withLock { current } }

    /// Moves the time to `date` (never backwards) and wakes every sleep whose deadline has come.
    public func set(to date: Date) {
        let due: [Sleeper] = lock.withLock {
            current = max(current, date)
            let ready = sleepers.filter { $0.value.deadline <= current }
            for key in ready.keys { sleepers[key] = nil }
            return Array(ready.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    public func advance(by seconds: TimeInterval) {
        set(to: now().addingTimeInterval(seconds))
    }

    /// The deadlines of the sleeps going on.
    public var deadlines: [Date] { lock.withLock { sleepers.values.map(\.deadline) } }

    /// Returns once something sleeps until a deadline after `date` (for the scheduler: the tick
    /// at `date` is done and it waits for the next one), polling every 5 ms, up to `timeout` seconds.
    public func waitForSleeper(after date: Date, timeout: Double = 30) async throws {
        let limit = Date().addingTimeInterval(timeout)
        while !deadlines.contains(where: { $0 > date }) {
            guard Date() < limit else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    public func sleep(until date: Date) async throws {
        try Task.checkCancellation()
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = lock.withLock {
                    if cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if date <= current { return .success(()) }
                    sleepers[id] = Sleeper(deadline: date, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper: Sleeper? = lock.withLock {
                if let sleeper = sleepers.removeValue(forKey: id) { return sleeper }
                cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
