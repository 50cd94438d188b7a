import CPython
import Dispatch
import Foundation

/// Which transform call one thread is running, shared with the watchdog.
///
/// A call costs two counter bumps under an uncontended lock and no clock read: the watchdog, which
/// looks every 20 ms, notes when it first saw each call and fires once the same call has been
/// running for the whole limit. A call is therefore never interrupted early, and at most two
/// looks late.
final class PythonCallClock: @unchecked Sendable {
    private let lock = NSLock()
    /// Odd while a call runs; each begin and end adds one.
    private var serial: UInt64 = 0
    private var firedSerial: UInt64 = 0
    // The watchdog's own notes (used by its thread only).
    private var seenSerial: UInt64 = 0
    private var seenAt: UInt64 = 0
    private var nextFire: UInt64 = 0
    /// The Python thread identifier of the calling thread.
    let threadID: UInt
    let limit: UInt64

    init(threadID: UInt, seconds: Double) {
        self.threadID = threadID
        self.limit = UInt64(max(seconds, 0.001) * 1e9)
    }

    /// Marks the start of a call (the caller holds the GIL).
    func begin() {
        lock.lock()
        serial &+= 1
        lock.unlock()
    }

    /// Marks the end of a call (the caller holds the GIL); true when the watchdog fired during it,
    /// in which case a timeout may still be pending on the thread and the caller clears it.
    func end() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let fired = firedSerial == serial
        serial &+= 1
        return fired
    }

    /// Called by the watchdog without the GIL: the serial of the running call when it is overdue.
    func dueSerial(now: UInt64) -> UInt64? {
        lock.lock()
        let current = serial
        lock.unlock()
        guard current & 1 == 1 else { return nil }
        if current != seenSerial {
            seenSerial = current
            seenAt = now
            return nil
        }
        guard now &- seenAt >= limit, now >= nextFire else { return nil }
        return current
    }

    /// Called by the watchdog holding the GIL: true when call `due` still runs and should
    /// receive (again) the timeout exception.
    func shouldFire(_ due: UInt64, now: UInt64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard serial == due else { return false }
        firedSerial = due
        // Fire again while the call runs on: a bare `except:` may have swallowed the first one.
        nextFire = now &+ 100_000_000
        return true
    }
}

/// One thread per process that interrupts overdue transform calls.
///
/// It raises `FunctionTimeout` (a `BaseException`, so `except Exception` does not catch it) in the
/// calling thread with `PyThreadState_SetAsyncExc`; CPython delivers it at the next bytecode the
/// thread runs. A thread blocked in a C call (`time.sleep`, a socket read) runs no bytecode, so it
/// sees the exception only when that call returns; docs/functions.md says so.
final class PythonWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var clocks: [ObjectIdentifier: PythonCallClock] = [:]
    private var timeoutType: PyObjectPointer?
    /// How often overdue calls are looked for.
    static let period: UInt32 = 20_000

    func start(timeoutType: PyObjectPointer) {
        self.timeoutType = timeoutType
        let thread = Thread { [self] in loop() }
        thread.name = "outflow-python-watchdog"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    func register(_ clock: PythonCallClock) {
        lock.lock()
        clocks[ObjectIdentifier(clock)] = clock
        lock.unlock()
    }

    func unregister(_ clock: PythonCallClock) {
        lock.lock()
        clocks[ObjectIdentifier(clock)] = nil
        lock.unlock()
    }

    private func loop() {
        guard let timeoutType else { return }
        while true {
            usleep(Self.period)
            let now = DispatchTime.now().uptimeNanoseconds
            lock.lock()
            let due = clocks.values.compactMap { clock in clock.dueSerial(now: now).map { (clock, $0) } }
            lock.unlock()
            if due.isEmpty { continue }
            // Holding the GIL, a thread whose serial is still the overdue one is inside that call
            // (the Swift code between calls keeps the GIL), so the exception cannot land in
            // another call.
            let state = PyGILState_Ensure()
            for (clock, serial) in due where clock.shouldFire(serial, now: now) {
                PyThreadState_SetAsyncExc(clock.threadID, timeoutType)
            }
            PyGILState_Release(state)
        }
    }
}
