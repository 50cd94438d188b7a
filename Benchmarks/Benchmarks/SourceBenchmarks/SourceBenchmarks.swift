import Benchmark
import Foundation
import OutflowCore
import OutflowSources

/// Decode + filter of a generated 8-column CSV (DESIGN section 2's hot path, issue 2's figure).
/// Goal: at least 5M profiles/s on one core; peak memory at most 100 MB for 10M rows.
/// Sizes are 1M and 10M rows unless `OUTFLOW_BENCH_ROWS` / `OUTFLOW_BENCH_MEMORY_ROWS` say otherwise
/// (Benchmarks/report/run-report.sh --quick); the size is part of each benchmark's name.
let benchmarks: @Sendable () -> Void = {
    let rows = BenchData.rows
    let size = BenchData.label(rows)

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        maxDuration: .seconds(30),
        maxIterations: 5
    )

    // Each iteration reads the whole file: profiles/s = rows / wall clock.
    Benchmark("CSV decode, \(size) profiles x 8 columns") { _ in
        blackHole(try readAll(rows: rows, filtered: false))
    } setup: {
        _ = try BenchData.ensure(rows: rows)
    }

    Benchmark("CSV decode + filter, \(size) profiles x 8 columns") { _ in
        blackHole(try readAll(rows: rows, filtered: true))
    } setup: {
        _ = try BenchData.ensure(rows: rows)
    }

    Benchmark("CSV decode + filter + six-property mapping, \(size) profiles") { _ in
        blackHole(try MappingBench.run(rows: rows))
    } setup: {
        _ = try BenchData.ensure(rows: rows)
    }

    // Each iteration transforms the profiles built in memory (no decoding): profiles/s =
    // rows / wall clock. The plain Python loop's time is printed beside it (standard error).
    Benchmark("Python function, six fields, \(size) profiles (in memory)") { _ in
        blackHole(FunctionBench.run(FunctionBench.python, FunctionBench.profiles))
    } setup: {
        _ = FunctionBench.profiles
        if let seconds = try? FunctionBench.plainPythonLoop(rows: rows) {
            FileHandle.standardError.write(Data("plain Python loop over \(rows) prebuilt dicts: \(seconds) s\n".utf8))
        }
    }

    Benchmark("JavaScript function, six fields, \(size) profiles (in memory)") { _ in
        blackHole(FunctionBench.run(FunctionBench.javaScript, FunctionBench.profiles))
    } setup: {
        _ = FunctionBench.profiles
    }

    // The same functions in the worker subprocess (`outflow function-worker`), batches crossing
    // the pipe; registered only when OUTFLOW_BIN names the outflow binary. Fewer iterations: one
    // takes about ten times an in-process one.
    if FunctionBench.workerExecutable != nil {
        let workerConfiguration = Benchmark.Configuration(
            metrics: [.wallClock], timeUnits: .milliseconds, maxDuration: .seconds(30), maxIterations: 3)
        Benchmark("Python function, worker host, \(size) profiles (in memory)", configuration: workerConfiguration) { _ in
            blackHole(FunctionBench.run(FunctionBench.pythonWorker, FunctionBench.profiles))
        } setup: {
            _ = FunctionBench.profiles
            _ = FunctionBench.pythonWorker
        }

        Benchmark("JavaScript function, worker host, \(size) profiles (in memory)", configuration: workerConfiguration) { _ in
            blackHole(FunctionBench.run(FunctionBench.javaScriptWorker, FunctionBench.profiles))
        } setup: {
            _ = FunctionBench.profiles
            _ = FunctionBench.javaScriptWorker
        }
    }

    Benchmark(
        "CSV decode + filter, \(BenchData.label(BenchData.memoryRows)) profiles (peak memory)",
        configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 1)
    ) { _ in
        blackHole(try readAll(rows: BenchData.memoryRows, filtered: true))
    } setup: {
        _ = try BenchData.ensure(rows: BenchData.memoryRows)
    }
}

/// Reads every profile of the file of `rows` rows; returns how many the filter kept.
func readAll(rows: Int, filtered: Bool) throws -> Int {
    let path = try BenchData.ensure(rows: rows)
    var issues: [Diagnostic] = []
    guard let schema = ObjectType.decodeSchema(try JSONParser.parse(BenchData.schemaJSON), path: "", issues: &issues),
        let filterModel = Filter.decode(try JSONParser.parse(BenchData.filterJSON), path: "", issues: &issues)
    else { throw ValidationError(issues) }
    let filter = try CompiledFilter(filterModel, schema: schema)
    let source = ProfileSource(path: path, format: .csv, schema: schema)
    var reader = try ProfileReaders.open(source, url: URL(fileURLWithPath: path), displayPath: path)
    var batch = ProfileBatch(schema: schema)
    var kept = 0
    var read = 0
    while try reader.next(into: &batch) {
        read += batch.count
        if filtered {
            for row in 0..<batch.count where batch.errors[row] == nil && filter.matches(batch, row: row) { kept += 1 }
        }
    }
    precondition(read == rows, "read \(read) of \(rows) rows")
    return kept
}
