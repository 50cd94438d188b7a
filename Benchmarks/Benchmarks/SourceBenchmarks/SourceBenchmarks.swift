import Benchmark
import Foundation
import OutflowCore
import OutflowSources

/// Decode + filter of a generated 8-column CSV (DESIGN section 2's hot path, issue 2's figure).
/// Goal: at least 5M profiles/s on one core; peak memory at most 100 MB for 10M rows.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        maxDuration: .seconds(30),
        maxIterations: 5
    )

    // Each iteration reads the whole file: profiles/s = 1,000,000 / wall clock.
    Benchmark("CSV decode, 1M profiles x 8 columns") { _ in
        blackHole(try readAll(rows: 1_000_000, filtered: false))
    } setup: {
        _ = try BenchData.ensure(rows: 1_000_000)
    }

    Benchmark("CSV decode + filter, 1M profiles x 8 columns") { _ in
        blackHole(try readAll(rows: 1_000_000, filtered: true))
    } setup: {
        _ = try BenchData.ensure(rows: 1_000_000)
    }

    Benchmark("CSV decode + filter + six-property mapping, 1M profiles") { _ in
        blackHole(try MappingBench.run(rows: 1_000_000))
    } setup: {
        _ = try BenchData.ensure(rows: 1_000_000)
    }

    // Each iteration transforms 1M profiles built in memory (no decoding): profiles/s =
    // 1,000,000 / wall clock. The plain Python loop's time is printed beside it (standard error).
    Benchmark("Python function, six fields, 1M profiles (in memory)") { _ in
        blackHole(FunctionBench.run(FunctionBench.python, FunctionBench.million))
    } setup: {
        _ = FunctionBench.million
        if let seconds = try? FunctionBench.plainPythonLoop(rows: 1_000_000) {
            FileHandle.standardError.write(Data("plain Python loop over 1M prebuilt dicts: \(seconds) s\n".utf8))
        }
    }

    Benchmark("JavaScript function, six fields, 1M profiles (in memory)") { _ in
        blackHole(FunctionBench.run(FunctionBench.javaScript, FunctionBench.million))
    } setup: {
        _ = FunctionBench.million
    }

    Benchmark(
        "CSV decode + filter, 10M profiles (peak memory)",
        configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 1)
    ) { _ in
        blackHole(try readAll(rows: 10_000_000, filtered: true))
    } setup: {
        _ = try BenchData.ensure(rows: 10_000_000)
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
