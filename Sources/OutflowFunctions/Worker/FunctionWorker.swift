import Dispatch
import Foundation
import CPython
import OutflowCore
#if canImport(Glibc)
import Glibc
#endif

/// A worker subprocess that runs a workspace's functions away from Outflow's process (DESIGN
/// section 8): `outflow function-worker`, started with an empty environment, in `/`, holding no
/// descriptor of Outflow's but its two pipes, so it has neither the secrets of the environment
/// nor the state store's file.
///
/// Functions compiled with ``FunctionHost/worker(_:)`` send it their source once and then one
/// request per batch. A worker that exits (a crash, `os._exit`) or does not answer within the
/// batch's time (the function's limit × the batch's calls + ``margin``) is killed if need be, the
/// batch's profiles fail, and the next batch starts a new worker, which compiles the functions
/// again. Batches of all the workspace's functions go through the one worker, one at a time.
///
/// ```swift
/// let worker = FunctionWorker(executable: "/usr/local/bin/outflow")
/// let function = try CompiledFunction(pipeline, host: .worker(worker))
/// ```
public final class FunctionWorker: @unchecked Sendable {
    /// The program to run, and its arguments (`outflow function-worker`).
    public let executable: String
    public let arguments: [String]
    /// Seconds added to a batch's time before the worker is declared hung.
    public let margin: Double

    private struct Source {
        var language: TransformationFunction.Language
        var source: String
        var timeout: Double
    }

    private struct Running {
        var pid: pid_t
        /// Where requests are written (the worker's standard input).
        var requests: Int32
        /// Where answers are read (the worker's standard output).
        var answers: Int32
    }

    private let lock = NSLock()
    private var running: Running?
    private var sources: [Int: Source] = [:]
    private var nextID = 1
    /// How many workers were started, for tests and logs.
    public private(set) var starts = 0

    /// The running program's own executable, for `outflow` to start workers of itself.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    public init(executable: String = FunctionWorker.currentExecutable, arguments: [String] = ["function-worker"], margin: Double = 5) {
        self.executable = executable
        self.arguments = arguments
        self.margin = margin
        // A write to a worker that just died must fail, not end Outflow.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        if let running { stop(running) }
    }

    /// The process id of the running worker, if one runs.
    public var pid: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return running?.pid
    }

    // MARK: Functions

    /// Compiles a source in the worker; its id for ``call(_:_:timeout:log:)``.
    func compile(_ language: TransformationFunction.Language, source: String, timeout: Double) throws(FunctionCompileError) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let id = nextID
        nextID += 1
        let entry = Source(language: language, source: source, timeout: timeout)
        let worker = try ensureRunning()
        if let error = compile(id, entry, on: worker) {
            throw FunctionCompileError(message: error)
        }
        sources[id] = entry
        return id
    }

    /// Forgets a function (its CompiledFunction is gone).
    func drop(_ id: Int) {
        lock.lock()
        defer { lock.unlock() }
        sources[id] = nil
        if let running {
            _ = FunctionWire.write(.object(JSONObject([("op", .string("drop")), ("id", .number(String(id)))])), to: running.requests)
        }
    }

    /// Runs one batch of calls of function `id`.
    func call(_ id: Int, _ arguments: [ValueObject], timeout: Double, log: (String) -> Void) -> [Result<Value, FunctionError>] {
        lock.lock()
        defer { lock.unlock() }
        let worker: Running
        do throws(FunctionCompileError) {
            worker = try ensureRunning()
        } catch {
            return arguments.map { _ in .failure(FunctionError(message: "the function worker could not start: \(error.message)")) }
        }
        var request = FunctionWireBinary.Writer(message: FunctionWireBinary.Message.call)
        request.u64(UInt64(id))
        request.u32(arguments.count)
        for argument in arguments { request.value(.object(argument)) }
        let seconds = timeout * Double(max(arguments.count, 1)) + margin
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let answer: [UInt8]
        do throws(FunctionWire.ReadFailure) {
            guard FunctionWire.write(frame: request.bytes, to: worker.requests) else { throw .closed }
            answer = try FunctionWire.readFrame(from: worker.answers, deadline: deadline)
        } catch {
            let message = failure(error, worker, seconds: seconds)
            return arguments.map { _ in .failure(FunctionError(message: message)) }
        }
        do throws(FunctionWire.Malformed) {
            var reader = FunctionWireBinary.Reader(answer)
            guard try reader.byte() == FunctionWireBinary.Message.answer, try reader.u32() == arguments.count else { throw FunctionWire.Malformed() }
            var results: [Result<Value, FunctionError>] = []
            results.reserveCapacity(arguments.count)
            for _ in arguments.indices {
                switch try reader.byte() {
                case 0: results.append(.success(try reader.value()))
                case 1: results.append(.failure(FunctionError(message: try reader.string())))
                default: throw FunctionWire.Malformed()
                }
            }
            let printed = try reader.string()
            if !printed.isEmpty { log(printed) }
            return results
        } catch {
            let message = failure(.malformed, worker, seconds: seconds)
            return arguments.map { _ in .failure(FunctionError(message: message)) }
        }
    }

    // MARK: Process

    /// Stops the worker after a failed exchange; the message its batch's profiles fail with.
    private func failure(_ error: FunctionWire.ReadFailure, _ worker: Running, seconds: Double) -> String {
        running = nil
        let status = stop(worker)
        switch error {
        case .timedOut:
            return "the function worker did not answer within \(FunctionError.seconds((seconds * 10).rounded() / 10)) and was stopped; the next batch starts a new one"
        case .closed:
            return "the function worker \(status) while running this batch; the next batch starts a new one"
        case .malformed:
            return "the function worker sent an answer Outflow cannot read and was stopped; the next batch starts a new one"
        }
    }

    /// Kills (if still running) and reaps a worker; how it ended, in words.
    @discardableResult
    private func stop(_ worker: Running) -> String {
        close(worker.requests)
        close(worker.answers)
        var status: Int32 = 0
        // A worker that closed its output is exiting: give it a moment before the kill.
        for _ in 0..<50 {
            let reaped = waitpid(worker.pid, &status, WNOHANG)
            if reaped == worker.pid { return Self.describe(status) }
            if reaped < 0 { return "stopped" }
            usleep(2_000)
        }
        kill(worker.pid, SIGKILL)
        _ = waitpid(worker.pid, &status, 0)
        return Self.describe(status)
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        return "was killed by signal \(signal)"
    }

    private func ensureRunning() throws(FunctionCompileError) -> Running {
        if let running { return running }
        let worker = try spawn()
        running = worker
        starts += 1
        // A new worker compiles every function it hosted before.
        for (id, source) in sources.sorted(by: { $0.key < $1.key }) {
            _ = compile(id, source, on: worker)
        }
        return worker
    }

    /// Sends a compile request; the compile error's message, or nil when it compiled.
    private func compile(_ id: Int, _ entry: Source, on worker: Running) -> String? {
        let request = JSONValue.object(JSONObject([
            ("op", .string("compile")), ("id", .number(String(id))), ("language", .string(entry.language.rawValue)),
            ("source", .string(entry.source)), ("timeout", .number(String(entry.timeout))),
        ]))
        let seconds = entry.timeout + margin
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        do throws(FunctionWire.ReadFailure) {
            guard FunctionWire.write(request, to: worker.requests) else { throw .closed }
            let answer = try FunctionWire.read(from: worker.answers, deadline: deadline)
            if case .object(let object) = answer, case .string(let message)? = object["error"] { return message }
            return nil
        } catch {
            return failure(error, worker, seconds: seconds)
        }
    }

    /// A pipe whose ends other children do not inherit.
    private static func pipe(_ ends: inout [Int32]) -> Bool {
        guard Glibc.pipe(&ends) == 0 else { return false }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    private func spawn() throws(FunctionCompileError) -> Running {
        var toWorker: [Int32] = [0, 0]
        var fromWorker: [Int32] = [0, 0]
        guard Self.pipe(&toWorker) else { throw FunctionCompileError(message: "no pipe: \(String(cString: strerror(errno)))") }
        guard Self.pipe(&fromWorker) else {
            close(toWorker[0])
            close(toWorker[1])
            throw FunctionCompileError(message: "no pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toWorker[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromWorker[1], 1)
        // Nothing of Outflow's but the two pipes and stderr reaches the worker (a state store's file
        // among them). Closed here, before exec: the worker closing them itself once it runs also
        // closed the descriptors its own runtime had opened (libdispatch's epoll), and it died with
        // SIGILL on its first call now and then.
        _ = outflow_spawn_file_actions_addclosefrom(&actions, 3)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // An empty environment: nothing of Outflow's (credentials, PYTHON* variables) reaches it.
        let environment: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environment)
        close(toWorker[0])
        close(fromWorker[1])
        guard status == 0 else {
            close(toWorker[1])
            close(fromWorker[0])
            throw FunctionCompileError(message: "\(executable) could not be started: \(String(cString: strerror(status)))")
        }
        return Running(pid: pid, requests: toWorker[1], answers: fromWorker[0])
    }
}

/// Runs a compiled source in a ``FunctionWorker``.
final class WorkerFunction: FunctionEngine, @unchecked Sendable {
    private let worker: FunctionWorker
    private let id: Int
    private let timeout: Double

    init(worker: FunctionWorker, language: TransformationFunction.Language, source: String, timeout: Double) throws(FunctionCompileError) {
        self.worker = worker
        self.timeout = timeout
        id = try worker.compile(language, source: source, timeout: timeout)
    }

    deinit {
        worker.drop(id)
    }

    func call(_ arguments: [ValueObject], log: (String) -> Void) -> [Result<Value, FunctionError>] {
        worker.call(id, arguments, timeout: timeout, log: log)
    }
}
