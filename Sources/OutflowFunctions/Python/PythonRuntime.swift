import CPython
import Dispatch
import Foundation

typealias PyObjectPointer = UnsafeMutablePointer<PyObject>

/// The process's one embedded CPython interpreter, started on first use and never finalized.
///
/// It starts isolated from the environment (the recipe that works with Debian's libpython3.11:
/// `use_environment = 0`, `home = /usr`, `executable = /usr/bin/python3.11`), without signal
/// handlers, so Ctrl-C stays Outflow's. Inside, `os.environ` is empty and `sys.stdout`/`sys.stderr`
/// write to a buffer that each batch drains to the run log, so `print` never reaches stdout.
final class PythonRuntime: @unchecked Sendable {
    static let home = "/usr"
    static let executable = "/usr/bin/python3.11"

    /// The runtime, or why the interpreter could not start.
    static let shared: Result<PythonRuntime, FunctionCompileError> = PythonRuntime.start()

    // Objects of the bootstrap module, alive for the whole process (held under the GIL only).
    let builtins: PyObjectPointer
    let decimalType: PyObjectPointer
    let uuidType: PyObjectPointer
    let datetimeType: PyObjectPointer
    let dateType: PyObjectPointer
    let timeType: PyObjectPointer
    let timeoutType: PyObjectPointer
    let makeDatetime: PyObjectPointer
    let makeDate: PyObjectPointer
    let makeTime: PyObjectPointer
    let readDatetime: PyObjectPointer
    let readDate: PyObjectPointer
    let readTime: PyObjectPointer
    let describeException: PyObjectPointer
    let drainLog: PyObjectPointer
    /// The datetime module's C API, to make and read datetimes without running Python code.
    let datetimeAPI: UnsafeMutableRawPointer
    let watchdog: PythonWatchdog

    private static let bootstrap = """
        import sys, os, io, decimal, datetime, uuid, posix

        class _RunLog(io.TextIOBase):
            def __init__(self):
                self.parts = []
            def writable(self):
                return True
            def write(self, text):
                self.parts.append(str(text))
                return len(text)
            def drain(self):
                text = "".join(self.parts)
                self.parts.clear()
                return text

        _log = _RunLog()
        sys.stdout = _log
        sys.stderr = _log
        # Replace, not clear: clearing os.environ would unset Outflow's own environment variables.
        os.environ = {}
        os.environb = {}
        posix.environ.clear()

        class FunctionTimeout(BaseException):
            \"\"\"Raised inside a transform call that ran past its time limit.\"\"\"

        _UTC = datetime.timezone.utc
        _EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
        _NAIVE_EPOCH = datetime.datetime(1970, 1, 1)
        _DAY_ONE = 719163

        def _make_datetime(seconds, microseconds):
            return _EPOCH + datetime.timedelta(seconds=seconds, microseconds=microseconds)

        def _make_date(days):
            return datetime.date.fromordinal(days + _DAY_ONE)

        def _make_time(nanoseconds):
            seconds, nanos = divmod(nanoseconds, 1_000_000_000)
            minutes, second = divmod(seconds, 60)
            hour, minute = divmod(minutes, 60)
            return datetime.time(hour, minute, second, nanos // 1000)

        def _read_datetime(value):
            if value.tzinfo is not None and value.utcoffset() is not None:
                value = value.astimezone(_UTC)
            delta = value.replace(tzinfo=None) - _NAIVE_EPOCH
            return (delta.days * 86400 + delta.seconds, delta.microseconds)

        def _read_date(value):
            return value.toordinal() - _DAY_ONE

        def _read_time(value):
            return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000_000 + value.microsecond * 1000

        def _describe(error):
            name = type(error).__name__
            if isinstance(error, SyntaxError):
                return f"{name}: {error.msg} (line {error.lineno})"
            line = None
            trace = error.__traceback__
            while trace is not None:
                if trace.tb_frame.f_code.co_filename == "<transform>":
                    line = trace.tb_lineno
                trace = trace.tb_next
            text = str(error)
            message = f"{name}: {text}" if text else name
            return f"{message} (line {line})" if line is not None else message
        """

    private init(namespace: PyObjectPointer) throws(FunctionCompileError) {
        func item(_ name: String) throws(FunctionCompileError) -> PyObjectPointer {
            guard let object = PyDict_GetItemString(namespace, name) else {
                throw FunctionCompileError(message: "the Python bootstrap did not define \(name)")
            }
            outflow_py_incref(object)
            return object
        }
        func member(_ module: String, _ name: String) throws(FunctionCompileError) -> PyObjectPointer {
            guard let owner = PyDict_GetItemString(namespace, module), let object = PyObject_GetAttrString(owner, name) else {
                PyErr_Clear()
                throw FunctionCompileError(message: "the Python module \(module) has no \(name)")
            }
            return object
        }
        builtins = try item("__builtins__")
        decimalType = try member("decimal", "Decimal")
        uuidType = try member("uuid", "UUID")
        datetimeType = try member("datetime", "datetime")
        dateType = try member("datetime", "date")
        timeType = try member("datetime", "time")
        timeoutType = try item("FunctionTimeout")
        makeDatetime = try item("_make_datetime")
        makeDate = try item("_make_date")
        makeTime = try item("_make_time")
        readDatetime = try item("_read_datetime")
        readDate = try item("_read_date")
        readTime = try item("_read_time")
        describeException = try item("_describe")
        drainLog = try member("_log", "drain")
        guard let api = outflow_py_datetime_api() else {
            PyErr_Clear()
            throw FunctionCompileError(message: "the Python datetime module has no C API")
        }
        datetimeAPI = api
        watchdog = PythonWatchdog()
    }

    private static func start() -> Result<PythonRuntime, FunctionCompileError> {
        var buffer = [CChar](repeating: 0, count: 512)
        let status = outflow_py_initialize(home, executable, &buffer, buffer.count)
        if status != 0 {
            let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(FunctionCompileError(message: "the Python interpreter could not start (\(executable), home \(home)): \(reason)"))
        }
        let state = PyGILState_Ensure()
        defer { PyGILState_Release(state) }
        guard let namespace = PyDict_New(), let builtins = PyImport_ImportModule("builtins") else {
            return .failure(FunctionCompileError(message: "the Python interpreter could not create a namespace"))
        }
        PyDict_SetItemString(namespace, "__builtins__", builtins)
        outflow_py_decref(builtins)
        guard let result = PyRun_StringFlags(bootstrap, Py_file_input, namespace, namespace, nil) else {
            let reason = PythonRuntime.fetchErrorText()
            return .failure(FunctionCompileError(message: "the Python interpreter could not be prepared: \(reason)"))
        }
        outflow_py_decref(result)
        do {
            let runtime = try PythonRuntime(namespace: namespace)
            runtime.watchdog.start(timeoutType: runtime.timeoutType)
            return .success(runtime)
        } catch {
            return .failure(error)
        }
    }

    /// The pending exception as `Type: message (line N)`, clearing it. Needs the GIL.
    func takeErrorText() -> String {
        var type: PyObjectPointer?
        var value: PyObjectPointer?
        var trace: PyObjectPointer?
        PyErr_Fetch(&type, &value, &trace)
        PyErr_NormalizeException(&type, &value, &trace)
        defer {
            outflow_py_xdecref(type)
            outflow_py_xdecref(value)
            outflow_py_xdecref(trace)
        }
        guard let value else { return "unknown Python error" }
        if let trace { PyException_SetTraceback(value, trace) }
        guard let text = PyObject_CallOneArg(describeException, value) else {
            PyErr_Clear()
            return "Python error"
        }
        defer { outflow_py_decref(text) }
        return PythonRuntime.string(text) ?? "Python error"
    }

    /// True when the pending exception is the watchdog's timeout. Needs the GIL.
    func pendingTimeout() -> Bool {
        PyErr_ExceptionMatches(timeoutType) != 0
    }

    /// What the function printed since the last drain. Needs the GIL.
    func drain() -> String {
        guard let text = PyObject_CallNoArgs(drainLog) else {
            PyErr_Clear()
            return ""
        }
        defer { outflow_py_decref(text) }
        return PythonRuntime.string(text) ?? ""
    }

    /// Used only before the runtime exists, when `_describe` is not available yet.
    private static func fetchErrorText() -> String {
        var type: PyObjectPointer?
        var value: PyObjectPointer?
        var trace: PyObjectPointer?
        PyErr_Fetch(&type, &value, &trace)
        defer {
            outflow_py_xdecref(type)
            outflow_py_xdecref(value)
            outflow_py_xdecref(trace)
        }
        guard let value, let text = PyObject_Str(value) else { return "unknown error" }
        defer { outflow_py_decref(text) }
        return string(text) ?? "unknown error"
    }

    /// The UTF-8 text of a str, or nil (and no pending error) when it cannot be encoded.
    static func string(_ object: PyObjectPointer) -> String? {
        var size = 0
        guard let bytes = PyUnicode_AsUTF8AndSize(object, &size) else {
            PyErr_Clear()
            return nil
        }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: size) { String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self) }
    }
}

/// Runs `body` holding the GIL, from any thread.
@inline(__always)
func withGIL<R>(_ body: () throws(FunctionCompileError) -> R) throws(FunctionCompileError) -> R {
    let state = PyGILState_Ensure()
    defer { PyGILState_Release(state) }
    return try body()
}
