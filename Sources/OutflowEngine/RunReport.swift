import Foundation
import OutflowStore

/// How a run ended, read back from the state store: the run record (status, times, counts, error)
/// and its first errors. `interrupted` tells a stop by ``StopSignal`` apart from a failure.
public struct RunReport: Sendable {
    public var run: RunRecord
    /// The first errors of the run, in the order recorded (at most 100; all are in the store).
    public var errors: [ProfileError]
    public var interrupted: Bool

    public init(run: RunRecord, errors: [ProfileError], interrupted: Bool) {
        self.run = run
        self.errors = errors
        self.interrupted = interrupted
    }
}

/// Where a run is, for a progress bar: profiles whose outcome is decided, out of the total read.
public struct RunProgress: Sendable, Hashable {
    public var done: Int
    /// Profiles in the source, known after the first pass.
    public var total: Int
    public var elapsed: TimeInterval

    public init(done: Int, total: Int, elapsed: TimeInterval) {
        self.done = done
        self.total = total
        self.elapsed = elapsed
    }
}
