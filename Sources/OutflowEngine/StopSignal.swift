import Foundation

/// Asks a running export to stop after the work batches in flight are answered and committed
/// (SIGINT in `outflow run`). Setting it is safe from any thread, a signal handler's queue included.
///
/// ```swift
/// let stop = StopSignal()
/// signalSource.setEventHandler { stop.request() }
/// let report = try await engine.run(stop: stop)   // status failed, error "interrupted"
/// ```
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    public func request() {
        lock.withLock { requested = true }
    }

    public var isRequested: Bool {
        lock.withLock { requested }
    }
}
