import CPython
import Foundation
import OutflowCore

/// A Python source compiled in its own namespace of the process's interpreter, and its
/// `transform` function.
///
/// Each batch holds the GIL once (taking it per call costs ten times more), converts each `user`
/// straight from typed values with key objects reused across calls, and calls `transform` with a
/// deadline the watchdog enforces.
final class PythonFunction: FunctionEngine, @unchecked Sendable {
    let runtime: PythonRuntime
    let timeout: Double
    /// One batch at a time per function: the key caches below are shared by its calls.
    let lock = NSLock()
    private let namespace: PyObjectPointer
    private let function: PyObjectPointer
    /// Interned key objects of the argument dicts, by name (used under `lock` and the GIL).
    var keys: [String: PyObjectPointer] = [:]
    /// The argument's top-level key objects, in ``FunctionInput/entries`` order (under `lock`).
    var entryKeys: [PyObjectPointer]?
    /// Key objects of returned dicts seen before, with their outPath (under `lock`): functions
    /// return the same interned literals every call, so a pointer comparison finds them.
    var returnedKeys: [(key: PyObjectPointer, leaf: Int, name: String)] = []
    var returnedKeyPointers: [PyObjectPointer] = []

    init(source: String, timeout: Double) throws(FunctionCompileError) {
        let runtime = try PythonRuntime.shared.get()
        self.runtime = runtime
        self.timeout = timeout
        (namespace, function) = try withGIL { () throws(FunctionCompileError) -> (PyObjectPointer, PyObjectPointer) in
            guard let code = Py_CompileStringExFlags(source, "<transform>", Py_file_input, nil, -1) else {
                throw FunctionCompileError(message: runtime.takeErrorText())
            }
            defer { outflow_py_decref(code) }
            guard let namespace = PyDict_New() else { throw FunctionCompileError(message: runtime.takeErrorText()) }
            PyDict_SetItemString(namespace, "__builtins__", runtime.builtins)
            let name = PyUnicode_FromString("transform_module")
            PyDict_SetItemString(namespace, "__name__", name)
            outflow_py_xdecref(name)
            // The top level runs under the same time limit as a call: a loop there must not hang validate.
            let clock = PythonCallClock(threadID: PyThread_get_thread_ident(), seconds: timeout)
            runtime.watchdog.register(clock)
            clock.begin()
            let result = PyEval_EvalCode(code, namespace, namespace)
            if clock.end() { PyThreadState_SetAsyncExc(clock.threadID, nil) }
            runtime.watchdog.unregister(clock)
            guard let result else {
                let timedOut = runtime.pendingTimeout()
                let text = runtime.takeErrorText()
                _ = runtime.drain()
                outflow_py_decref(namespace)
                throw FunctionCompileError(message: timedOut ? "the source's top level ran longer than the \(FunctionError.seconds(timeout)) limit" : text)
            }
            outflow_py_decref(result)
            // What the top level printed is not part of any batch's log.
            _ = runtime.drain()
            guard let function = PyDict_GetItemString(namespace, "transform") else {
                outflow_py_decref(namespace)
                throw FunctionCompileError(message: "the source does not define transform(user)")
            }
            guard PyCallable_Check(function) != 0 else {
                outflow_py_decref(namespace)
                throw FunctionCompileError(message: "transform is not a function; define it with def transform(user):")
            }
            outflow_py_incref(function)
            return (namespace, function)
        }
    }

    deinit {
        let state = PyGILState_Ensure()
        outflow_py_decref(function)
        outflow_py_decref(namespace)
        for key in keys.values { outflow_py_decref(key) }
        for key in entryKeys ?? [] { outflow_py_decref(key) }
        for key in returnedKeys { outflow_py_decref(key.key) }
        PyGILState_Release(state)
    }

    func call(_ arguments: [ValueObject], log: (String) -> Void) -> [Result<Value, FunctionError>] {
        withCall(log: log) { clock in
            var results: [Result<Value, FunctionError>] = []
            results.reserveCapacity(arguments.count)
            for argument in arguments {
                guard let user = dictionary(argument) else {
                    results.append(.failure(FunctionError(message: "the profile could not be passed to Python: " + runtime.takeErrorText())))
                    continue
                }
                switch invoke(user, clock) {
                case .success(let returned):
                    defer { outflow_py_decref(returned) }
                    do throws(FunctionError) {
                        results.append(.success(try value(returned, at: "")))
                    } catch {
                        results.append(.failure(error))
                    }
                case .failure(let error):
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    /// Runs `body` once per batch holding this function's lock and the GIL, with a call clock the
    /// watchdog watches, then hands what the function printed to `log`.
    func withCall<T>(log: (String) -> Void, _ body: (PythonCallClock) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        let state = PyGILState_Ensure()
        defer { PyGILState_Release(state) }
        let clock = PythonCallClock(threadID: PyThread_get_thread_ident(), seconds: timeout)
        runtime.watchdog.register(clock)
        defer { runtime.watchdog.unregister(clock) }
        let result = body(clock)
        let printed = runtime.drain()
        if !printed.isEmpty { log(printed) }
        return result
    }

    /// Calls `transform(user)` under the clock, consuming `user`: the returned object (a new
    /// reference) or why the call failed. Needs the GIL.
    func invoke(_ user: PyObjectPointer, _ clock: PythonCallClock) -> Result<PyObjectPointer, FunctionError> {
        clock.begin()
        let returned = PyObject_CallOneArg(function, user)
        let fired = clock.end()
        outflow_py_decref(user)
        if fired {
            // The timeout may be set but not yet delivered; it must not hit the next call.
            PyThreadState_SetAsyncExc(clock.threadID, nil)
        }
        guard let returned else {
            if fired || runtime.pendingTimeout() {
                PyErr_Clear()
                return .failure(.timeout(timeout))
            }
            return .failure(FunctionError(message: runtime.takeErrorText()))
        }
        return .success(returned)
    }
}
