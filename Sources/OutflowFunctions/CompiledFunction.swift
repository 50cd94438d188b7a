import OutflowCore

/// Where a function runs (DESIGN section 8; docs/functions.md says what each allows).
public enum FunctionHost: Sendable {
    /// In Outflow's process: the command line's default, trusted code.
    case inProcess
    /// In the workspace's worker subprocess.
    case worker(FunctionWorker)
}

/// What runs a compiled source: one per pipeline, called with a batch of `user` arguments.
protocol FunctionEngine: AnyObject, Sendable {
    /// Calls `transform` once per argument, in order; each result is the returned value or why
    /// that call failed. Lines the function printed go to `log`.
    func call(_ arguments: [ValueObject], log: (String) -> Void) -> [Result<Value, FunctionError>]

    /// Transforms rows `rows` of `batch`: the argument of each as `input` builds it, the user from
    /// each result as `output` checks it. Hosts convert straight between slots and their own
    /// objects here; the default goes through ``Value``s and ``call(_:log:)``.
    func transform(
        _ batch: ProfileBatch, rows: [Int], input: FunctionInput, output: FunctionOutput, action: MappingAction, log: (String) -> Void
    ) -> [Result<ValueObject, FunctionError>]
}

extension FunctionEngine {
    func transform(
        _ batch: ProfileBatch, rows: [Int], input: FunctionInput, output: FunctionOutput, action: MappingAction, log: (String) -> Void
    ) -> [Result<ValueObject, FunctionError>] {
        transformByValues(batch, rows: rows, input: input, output: output, action: action, log: log)
    }

    func transformByValues(
        _ batch: ProfileBatch, rows: [Int], input: FunctionInput, output: FunctionOutput, action: MappingAction, log: (String) -> Void
    ) -> [Result<ValueObject, FunctionError>] {
        call(rows.map { input.argument(batch, row: $0) }, log: log).map { result in
            switch result {
            case .success(let value): return output.user(from: value, action: action)
            case .failure(let error): return .failure(error)
            }
        }
    }
}

/// A pipeline's `transformation.function`, compiled once and then called per batch of profiles
/// (DESIGN section 8), in this process (the command line's default host).
///
/// Compiling runs the source once: a syntax error, an exception at the top level, or a missing
/// `transform` is a ``ValidationError`` at `<path>.transformation.function.source` with the
/// interpreter's message and line. Calling never throws: each profile gets a user or a
/// ``FunctionError``, and the run goes on.
///
/// ```swift
/// let function = try CompiledFunction(pipeline, profileSchema: workspace.warehouse.profiles.schema,
///                                     path: "pipelines[0]")
/// for (row, result) in zip(rows, function.transform(batch, rows: rows, action: .create)) {
///     switch result {
///     case .success(let user): send(user)
///     case .failure(let error): record(row, stage: "transform", error.message)
///     }
/// }
/// ```
///
/// In-process functions are trusted code, like the workspace file itself: they run with
/// Outflow's permissions. See docs/functions.md.
public final class CompiledFunction: Sendable {
    public let language: TransformationFunction.Language
    /// Seconds one call may run before it is interrupted.
    public let timeout: Double
    private let engine: any FunctionEngine
    private let input: FunctionInput
    private let output: FunctionOutput
    private let log: @Sendable (String) -> Void

    /// Compiles `pipeline.transformation.function` for rows of `profileSchema` (default: inSchema).
    ///
    /// - Parameters:
    ///   - path: the JSON path of the pipeline in its file (`pipelines[3]`), prefixed to diagnostics.
    ///   - log: receives what the function prints (`print` in Python, `console.log` in JavaScript),
    ///     one batch's output at a time; by default it goes to standard error, never to standard output.
    public convenience init(
        _ pipeline: Pipeline, profileSchema: ObjectType? = nil, path: String = "", host: FunctionHost = .inProcess,
        log: @escaping @Sendable (String) -> Void = CompiledFunction.standardErrorLog
    ) throws(ValidationError) {
        guard let function = pipeline.transformation.function else {
            throw ValidationError([Diagnostic(path: Self.sourcePath(path), message: "the pipeline has no function")])
        }
        try self.init(
            function, inSchema: pipeline.inSchema, outSchema: pipeline.outSchema, profileSchema: profileSchema,
            timeout: pipeline.functionTimeout ?? Pipeline.defaultFunctionTimeout, path: path, host: host, log: log)
    }

    /// Compiles `function` for the given schemas.
    public init(
        _ function: TransformationFunction, inSchema: ObjectType, outSchema: ObjectType, profileSchema: ObjectType? = nil,
        timeout: Double = Pipeline.defaultFunctionTimeout, path: String = "", host: FunctionHost = .inProcess,
        log: @escaping @Sendable (String) -> Void = CompiledFunction.standardErrorLog
    ) throws(ValidationError) {
        let here = Self.sourcePath(path)
        do throws(FunctionCompileError) {
            switch (host, function.language) {
            case (.inProcess, .python): engine = try PythonFunction(source: function.source, timeout: timeout)
            case (.inProcess, .javaScript): engine = try JavaScriptFunction(source: function.source, timeout: timeout)
            case (.worker(let worker), let language):
                engine = try WorkerFunction(worker: worker, language: language, source: function.source, timeout: timeout)
            }
        } catch {
            throw ValidationError([Diagnostic(path: here, message: error.message)])
        }
        language = function.language
        self.timeout = timeout
        input = FunctionInput(function, inSchema: inSchema, rowSchema: profileSchema ?? inSchema)
        output = FunctionOutput(function, outSchema: outSchema)
        self.log = log
    }

    private static func sourcePath(_ path: String) -> String {
        path.isEmpty ? "transformation.function.source" : path + ".transformation.function.source"
    }

    /// Transforms rows `rows` of `batch` (whose schema is the `profileSchema` given at compile
    /// time), calling into the interpreter once per batch; one result per row, in order.
    public func transform(_ batch: ProfileBatch, rows: some Sequence<Int>, action: MappingAction) -> [Result<ValueObject, FunctionError>] {
        transform(batch, rows: Array(rows), action: action)
    }

    /// Transforms rows `rows` of `batch`, given as a range.
    public func transform(_ batch: ProfileBatch, rows: Range<Int>, action: MappingAction) -> [Result<ValueObject, FunctionError>] {
        var list: [Int] = []
        list.reserveCapacity(rows.count)
        for row in rows { list.append(row) }
        return transform(batch, rows: list, action: action)
    }

    /// Transforms rows `rows` of `batch`, given as an array.
    public func transform(_ batch: ProfileBatch, rows: [Int], action: MappingAction) -> [Result<ValueObject, FunctionError>] {
        guard batch.width == input.rowWidth else {
            let error = FunctionError(message: "the profile batch has \(batch.width) properties but the function was compiled for \(input.rowWidth)")
            return rows.map { _ in .failure(error) }
        }
        return engine.transform(batch, rows: rows, input: input, output: output, action: action, log: log)
    }

    /// Transforms profiles given as objects (top-level properties looked up by name), as tests do.
    ///
    /// They go through a batch of the compiled profile schema, so the path taken is the one of
    /// ``transform(_:rows:action:)``.
    public func transform(_ profiles: [ValueObject], action: MappingAction) -> [Result<ValueObject, FunctionError>] {
        var batch = ProfileBatch(schema: input.rowSchema)
        for (index, profile) in profiles.enumerated() {
            let row = batch.appendRow(record: index + 1, line: index + 1)
            for (slot, property) in input.rowSchema.properties.enumerated() {
                if let value = profile[property.name] { batch[row, slot] = value }
            }
        }
        return engine.transform(batch, rows: Array(0..<batch.count), input: input, output: output, action: action, log: log)
    }

    /// Transforms one profile given as an object.
    public func transform(_ profile: ValueObject, action: MappingAction) -> Result<ValueObject, FunctionError> {
        transform([profile], action: action)[0]
    }

    /// Writes what a function printed to standard error, each line prefixed `function: `.
    public static let standardErrorLog: @Sendable (String) -> Void = { text in
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { return }
        StandardError.write(lines.map { "function: " + $0 }.joined(separator: "\n") + "\n")
    }
}

/// Why a source cannot be used: the interpreter's message and line.
struct FunctionCompileError: Error {
    var message: String
}
