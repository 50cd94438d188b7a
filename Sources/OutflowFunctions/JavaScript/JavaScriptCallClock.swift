import CJavaScriptCore
import Dispatch
import OutflowCore

/// Decides, from the group's watchdog, when the call the driver is running is overdue.
///
/// One entry into JavaScript runs a whole batch, so the group's time limit is a short tick, not
/// the call's limit: at each tick the clock looks at which call runs (the shared `progress`
/// index) and terminates it once the same call has been seen running for the whole limit. A call
/// is therefore never stopped early, and is stopped at most two ticks late.
final class JavaScriptCallClock: @unchecked Sendable {
    private let progress: UnsafeMutablePointer<Int32>
    private let limit: UInt64
    /// Seconds between two looks.
    let tick: Double
    private var seen: Int32 = -1
    private var since: UInt64 = 0
    /// The index of the call terminated, or -1.
    private(set) var terminated: Int32 = -1

    /// The group whose limit is re-armed at each tick (JavaScriptCore does not always start a
    /// new cycle by itself when the callback declines to terminate).
    var group: OpaquePointer?

    init(progress: UnsafeMutablePointer<Int32>, seconds: Double) {
        self.progress = progress
        limit = UInt64(max(seconds, 0.001) * 1e9)
        tick = min(0.05, max(seconds, 0.001) / 4)
    }

    /// Before each entry into the driver.
    func reset() {
        seen = -1
        terminated = -1
        progress.pointee = -1
    }

    /// Makes the group's limit a tick of this clock.
    func arm() {
        guard let group else { return }
        JSContextGroupSetExecutionTimeLimit(group, tick, { _, context in
            let clock = Unmanaged<JavaScriptCallClock>.fromOpaque(context!).takeUnretainedValue()
            let terminate = clock.shouldTerminate()
            if !terminate { clock.arm() }
            return terminate
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called by JavaScriptCore on the calling thread, holding the VM.
    func shouldTerminate() -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        let current = progress.pointee
        guard current >= 0 else {
            seen = -1
            return false
        }
        if current != seen {
            seen = current
            since = now
            return false
        }
        guard now &- since >= limit else { return false }
        terminated = current
        return true
    }
}
