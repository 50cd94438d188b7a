import CCurl
import Foundation
import Synchronization

/// One thread that owns a libcurl multi handle and drives every transfer of a client.
///
/// libcurl handles are not thread-safe, so exactly one thread touches them: callers only append to a
/// mutex-protected inbox and, if the thread is asleep in `curl_multi_poll`, wake it with
/// `curl_multi_wakeup`. The multi handle keeps the connection cache (keep-alive, HTTP/2 multiplexing)
/// across transfers, and finished easy handles are cleared and reused (`CurlEasyHandle`).
///
/// The loop is also a `TaskExecutor`: jobs enqueued on it run on the loop thread between two rounds of
/// `curl_multi_perform`. A task that prefers it (`withTaskExecutorPreference(client.taskExecutor)`)
/// submits its request and is resumed with the answer on the same thread, where otherwise each request
/// costs two thread switches (task -> loop to submit, loop -> cooperative pool to resume). Such a task
/// must not do long CPU work, which would hold up every transfer of the client.
final class CurlEventLoop: TaskExecutor, @unchecked Sendable {
    // `multi` is used by the loop thread, and by callers only for curl_multi_wakeup (documented as
    // callable from any thread) while holding `inbox`'s lock, before the loop marks itself closed.
    private let multi: UnsafeMutableRawPointer
    private let settings: HTTPClient.Configuration
    private let inbox = Mutex(Inbox())

    private struct Inbox {
        var operations: [Operation] = []
        /// The loop is in (or about to enter) `curl_multi_poll` and needs a wake-up to see new work.
        var sleeping = false
        var stopping = false
        var closed = false
    }

    private enum Operation {
        case start(CurlTransfer)
        case cancel(CurlTransfer)
        case run(UnownedJob)

        var isJob: Bool {
            if case .run = self { return true }
            return false
        }
    }

    /// The loop thread's `pthread_self()`, set when it starts.
    private let loopThread = Atomic<UInt>(0)

    // Loop-thread state, modified in place many times per request and only by the loop thread, never
    // with two accesses open: unchecked, as the runtime's exclusivity check cost more than the append.
    @exclusivity(unchecked) private var pendingResumes: [(CurlTransfer, Result<HTTPResponse, HTTPError>)] = []
    /// The loop has seen `stop()`: requests submitted from jobs it still runs are refused.
    private var loopStopping = false
    /// The transfers libcurl runs; each knows its index (`slot`), and libcurl hands back its easy handle
    /// (`CURLINFO_PRIVATE`), which names it, so neither starting nor finishing one hashes anything.
    @exclusivity(unchecked) private var active: [CurlTransfer] = []
    @exclusivity(unchecked) private var idleHandles: [CurlEasyHandle] = []
    /// Set while the loop thread resumes its own callers (`finish`): the jobs the runtime then enqueues
    /// on the loop thread are theirs and go to `resumedJobs`. Only the loop thread reads or writes
    /// either (`enqueue` checks the thread before the flag).
    @exclusivity(unchecked) private var resumingOnLoop = false
    @exclusivity(unchecked) private var resumedJobs: [UnownedJob] = []
    /// The batch of `resumedJobs` being run (two lists swapped, so neither is copied).
    @exclusivity(unchecked) private var runningJobs: [UnownedJob] = []
    private static let maxIdleHandles = 512

    init(settings: HTTPClient.Configuration) {
        CurlGlobal.initialize()
        multi = curl_multi_init()
        self.settings = settings
        _ = outflow_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = outflow_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, settings.maxIdleConnections))
        let thread = Thread { [self] in run() }
        thread.name = "outflow-http"
        thread.start()
    }

    /// Whether the caller runs on the loop thread.
    private var isLoopThread: Bool { loopThread.load(ordering: .relaxed) == UInt(pthread_self()) }

    func submit(_ transfer: CurlTransfer) {
        // A task running on the loop thread (one preferring this executor) starts its transfer at once:
        // the loop is between two rounds and owns the handles, so the inbox would only add a round trip.
        if isLoopThread {
            start(transfer, stopping: loopStopping, onLoopThread: true)
            return
        }
        let accepted = enqueue(.start(transfer))
        if !accepted { transfer.resume(.failure(.cancelled(url: transfer.redactedURL))) }
    }

    /// Ends `transfer` with `.cancelled` if libcurl still runs it; one not started yet sees its flag
    /// when the loop starts it, one already answered is left alone.
    func cancel(_ transfer: CurlTransfer) {
        _ = enqueue(.cancel(transfer))
    }

    /// Runs `job` on the loop thread; once the loop has ended, on the global concurrent executor, so a
    /// task that still prefers this executor (one the shutdown cancelled) is not stranded.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // A task the loop itself resumes (its transfer ended, `finish`) is queued on the loop thread: kept
        // in the loop's own list, which needs no lock and no wake-up, and run before the next round. Other
        // threads enqueue too (a child task ending on the pool resumes its parent here), and meanwhile
        // the loop may be resuming: they must not see the flag, so the thread is checked first.
        if isLoopThread, resumingOnLoop {
            resumedJobs.append(job)
            return
        }
        if !enqueue(.run(job)) { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    /// Fails every request in flight with `.cancelled` and ends the thread.
    func stop() {
        inbox.withLock { inbox in
            guard !inbox.closed, !inbox.stopping else { return }
            inbox.stopping = true
            inbox.sleeping = false
            curl_multi_wakeup(multi)
        }
    }

    private func enqueue(_ operation: Operation) -> Bool {
        inbox.withLock { inbox in
            guard !inbox.closed else { return false }
            // New requests are refused once stopping; jobs still run, so the tasks learn they were cancelled.
            if inbox.stopping, !operation.isJob { return false }
            inbox.operations.append(operation)
            // The loop drains the whole inbox before it polls again, so only a sleeping loop needs waking,
            // and one wake-up serves every operation queued until it drains.
            if inbox.sleeping {
                inbox.sleeping = false
                curl_multi_wakeup(multi)
            }
            return true
        }
    }

    private func run() {
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        // Foundation keeps `Thread.name` to itself on Linux; the system name is what tools show.
        _ = outflow_name_current_thread("outflow-http")
        var operations: [Operation] = []
        let executor = asUnownedTaskExecutor()
        while true {
            // Jobs run here queue more work (a task resumed with its answer submits its next request, a
            // finished child task resumes its parent); taking that at once, before driving the transfers,
            // gives libcurl every new request in one `curl_multi_perform` instead of one call each. The
            // rounds are bounded so jobs that keep queueing jobs cannot hold the transfers up.
            var stopping = false
            for _ in 0..<Self.drainRounds {
                runResumedJobs(on: executor)
                let empty = inbox.withLock { inbox in
                    swap(&operations, &inbox.operations)
                    inbox.sleeping = false
                    if inbox.stopping { inbox.closed = true }
                    stopping = inbox.stopping
                    return operations.isEmpty
                }
                loopStopping = stopping
                if empty { break }
                for operation in operations {
                    switch operation {
                    case .start(let transfer): start(transfer, stopping: stopping, onLoopThread: false)
                    case .cancel(let transfer): if transfer.slot >= 0 { finish(transfer, .failure(.cancelled(url: transfer.redactedURL))) }
                    case .run(let job): job.runSynchronously(on: executor)
                    }
                }
                operations.removeAll(keepingCapacity: true)
                if stopping { break }
            }
            if stopping { break }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            resumeBatch()
            // Work queued meanwhile (a job resumed by a finished transfer, a request it submitted) is taken
            // at once; only an empty inbox lets the loop sleep until a socket, a timeout or a caller wakes it.
            let idle = resumedJobs.isEmpty && inbox.withLock { inbox in
                guard inbox.operations.isEmpty, !inbox.stopping else { return false }
                inbox.sleeping = true
                return true
            }
            if idle { _ = curl_multi_poll(multi, nil, 0, 1000, nil) }
        }
        for transfer in active { finish(transfer, .failure(.cancelled(url: transfer.redactedURL))) }
        resumeBatch()
        // Their tasks run on the global executor now (`enqueue` forwards there once the inbox is closed).
        for job in resumedJobs { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
        resumedJobs.removeAll()
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    /// Runs the jobs of the callers `finish` resumed, and those they queue while they run.
    private func runResumedJobs(on executor: UnownedTaskExecutor) {
        while !resumedJobs.isEmpty {
            swap(&runningJobs, &resumedJobs)
            for job in runningJobs { job.runSynchronously(on: executor) }
            runningJobs.removeAll(keepingCapacity: true)
        }
    }

    /// How many times the loop takes newly queued work before it drives the transfers again.
    private static let drainRounds = 8

    private func start(_ transfer: CurlTransfer, stopping: Bool, onLoopThread: Bool) {
        if stopping || transfer.isCancelled {
            transfer.resume(.failure(.cancelled(url: transfer.redactedURL)))
            return
        }
        guard let handle = idleHandles.popLast() ?? CurlEasyHandle(settings: settings) else {
            transfer.resume(.failure(.transport(url: transfer.redactedURL, code: Int(CURLE_OUT_OF_MEMORY.rawValue), detail: "out of memory")))
            return
        }
        var code = transfer.configure(on: handle)
        if code == CURLE_OK, curl_multi_add_handle(multi, handle.easy) != CURLM_OK { code = CURLE_FAILED_INIT }
        guard code == CURLE_OK else {
            // A handle whose options were not all set is dropped rather than reused.
            transfer.handle = nil
            transfer.resume(transfer.result(code, on: handle))
            return
        }
        transfer.callerOnLoopThread = onLoopThread
        transfer.slot = active.count
        active.append(transfer)
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            var context: UnsafeMutablePointer<CChar>?
            guard outflow_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &context) == CURLE_OK, let context else { continue }
            let handle = Unmanaged<CurlEasyHandle>.fromOpaque(UnsafeRawPointer(context)).takeUnretainedValue()
            guard let transfer = handle.transfer?.takeUnretainedValue(), transfer.slot >= 0 else { continue }
            finish(transfer, transfer.result(message.pointee.data.result, on: handle))
        }
    }

    private func finish(_ transfer: CurlTransfer, _ result: consuming Result<HTTPResponse, HTTPError>) {
        if let handle = transfer.handle {
            _ = curl_multi_remove_handle(multi, handle.easy)
            handle.transfer = nil
            transfer.handle = nil
            recycle(handle)
        }
        let last = active.removeLast()
        if last !== transfer {
            active[transfer.slot] = last
            last.slot = transfer.slot
        }
        transfer.slot = -1
        if transfer.callerOnLoopThread {
            resumingOnLoop = true
            transfer.resume(result)
            resumingOnLoop = false
        } else {
            pendingResumes.append((transfer, result))
        }
    }

    /// Answers the callers on the cooperative pool whose transfers ended in this round, with one wake-up.
    ///
    /// Resuming a task on the pool wakes a worker thread, which (on a busy core) runs at once, before
    /// the loop resumes the next one: a round that ends k transfers cost k wake-ups and 2k thread
    /// switches. One task that resumes them all costs one. A task that runs on this thread (it prefers
    /// the loop executor) is resumed directly instead, as is a lone caller.
    private func resumeBatch() {
        guard !pendingResumes.isEmpty else { return }
        if pendingResumes.count == 1 {
            let (transfer, result) = pendingResumes.removeLast()
            transfer.resume(result)
            return
        }
        let batch = pendingResumes
        pendingResumes.removeAll(keepingCapacity: true)
        Task.detached {
            for (transfer, result) in batch { transfer.resume(result) }
        }
    }

    /// Keeps a finished handle for the next request, which changes only the options it needs
    /// (`CurlEasyHandle.prepare`); its connections live in the multi handle anyway.
    private func recycle(_ handle: CurlEasyHandle) {
        guard idleHandles.count < Self.maxIdleHandles else { return }
        idleHandles.append(handle)
    }
}

/// `curl_global_init` must run once before any other libcurl call and is not thread-safe in every
/// build; a static let runs it exactly once, under Swift's lazy-global lock.
enum CurlGlobal {
    private static let done: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    static func initialize() { _ = done }
}
