import CPython
import Dispatch
import Foundation

/// The deadline of the transform call one thread is running, shared with the watchdog.
final class PythonCallClock: @unchecked Sendable {
    private let lock = NSLock()
    private var deadline: UInt64 = 0
    private var serial: UInt64 = 0
    private var firedSerial: UInt64 = 0
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
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        serial &+= 1
        deadline = now &+ limit
        lock.unlock()
    }

    /// Marks the end of a call (the caller holds the GIL); true when the watchdog fired during it,
    /// in which case a timeout may still be pending on the thread and the caller clears it.
    func end() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        deadline = 0
        return firedSerial == serial
    }

    /// Called by the watchdog holding the GIL: true when the running call is overdue and should
    /// receive (again) the timeout exception.
    func shouldFire(now: UInt64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard deadline != 0, now >= deadline, now >= nextFire else { return false }
        firedSerial = serial
        // Fire again while the call runs on: a bare `except:` may have swallowed the first one.
        nextFire = now &+ 100_000_000
        return true
    }

    func isDue(now: UInt64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return deadline != 0 && now >= deadline && now >= nextFire
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
            let due = clocks.values.filter { $0.isDue(now: now) }
            lock.unlock()
            if due.isEmpty { continue }
            // Holding the GIL, every due thread is inside its call (the Swift code between calls
            // keeps the GIL), so the exception cannot land in the wrong call.
            let state = PyGILState_Ensure()
            for clock in due where clock.shouldFire(now: now) {
                PyThreadState_SetAsyncExc(clock.threadID, timeoutType)
            }
            PyGILState_Release(state)
        }
    }
}
