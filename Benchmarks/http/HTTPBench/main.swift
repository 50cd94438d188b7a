// The client-vs-raw-libcurl benchmark (issue 5): posts a body with C requests in flight and prints
// requests per second, for raw libcurl multi (Benchmarks/http/RawMulti, in C, linked in) and Outflow's
// client in several modes, in one process. Run by Benchmarks/http/run-http-bench.sh.
//
//   HTTPBench URL BODYFILE REQUESTS IN_FLIGHT MODE[,MODE...] [SLICES]
//
// With SLICES, each mode's REQUESTS are sent in SLICES slices, and every slice runs each mode once
// (in an order shuffled for each slice), after one unreported warm-up slice of each: a mode and the
// raw baseline are measured moments apart (a slice of 1,000 requests takes a few dozen milliseconds),
// so the VM's slow and fast spells fall on both; separate processes seconds apart let single
// comparisons move by -25% to +50% here. One JSON line per mode and slice. run-http-bench.sh gives
// each client mode processes of its own (`raw,MODE`): after the pool modes, glibc's heap trimming
// slows the executor modes for the rest of a process (docs/performance.md).
//
// C tasks each send their next request as soon as their last is answered, as raw multi adds a
// finished handle again at once, so the figure is the client's cost and not that of making tasks.
// MODE picks the caller:
//   raw                     raw libcurl multi (the baseline; RawMulti/raw_multi.c)
//   client                  `HTTPClient.send` from tasks on the cooperative pool
//   client-executor         `HTTPClient.send` from tasks that prefer `client.taskExecutor`
//   retrying                `RetryingHTTPClient.send` (what a connector calls) from tasks on the pool
//   retrying-executor       the same from tasks that prefer `client.taskExecutor` (the curl loop
//                           thread): the connectors' path, whose delivery tasks the engine starts there
//   retrying-executor-tasks the same with one new task per request (the engine makes one per batch),
//                           which adds the cost of making and ending a task to each request
import Foundation
import OutflowHTTP
import RawMulti
import Synchronization

let arguments = CommandLine.arguments
let knownModes = ["raw", "client", "client-executor", "retrying", "retrying-executor", "retrying-executor-tasks"]
guard arguments.count == 5 || arguments.count == 6 || arguments.count == 7, let total = Int(arguments[3]), let concurrency = Int(arguments[4]),
    total > 0, concurrency > 0, let body = FileManager.default.contents(atPath: arguments[2])
else {
    FileHandle.standardError.write(Data("usage: HTTPBench URL BODYFILE REQUESTS IN_FLIGHT [MODE[,MODE...]] [SLICES]\n  modes: \(knownModes.joined(separator: ", "))\n".utf8))
    exit(64)
}
let modes = arguments.count >= 6 ? arguments[5].split(separator: ",").map(String.init) : ["client"]
let slices = arguments.count == 7 ? Int(arguments[6]) ?? 0 : 1
for mode in modes where !knownModes.contains(mode) {
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(64)
}
guard slices > 0, total >= slices else {
    FileHandle.standardError.write(Data("SLICES must be between 1 and REQUESTS\n".utf8))
    exit(64)
}
let url = arguments[1]
let bytes = Array(body)
let client = HTTPClient()
let retrying = RetryingHTTPClient(transport: client)
var request = HTTPRequest(method: .post, url: url, body: bytes, isIdempotent: true)
request.headers["Content-Type"] = "application/json"
request.headers["Authorization"] = "Bearer bench"
let template = request

/// Keeps `concurrency` requests in flight until `count` have finished: `concurrency` tasks, each
/// sending its next request as soon as its last one is answered, taking numbers from a shared counter;
/// returns the failures. `@concurrent` so the group's parent runs on the cooperative pool (or on the
/// preferred executor), not on the main actor.
@concurrent func drive(_ count: Int, through transport: any HTTPTransport, preferring preference: (any TaskExecutor)?) async -> Int {
    let issued = Counter()
    return await withTaskGroup(of: Int.self) { group in
        for _ in 0..<min(concurrency, count) {
            group.addTask(executorPreference: preference) {
                var failed = 0
                while issued.next() < count { failed += await post(through: transport) }
                return failed
            }
        }
        return await group.reduce(0, +)
    }
}

/// The same with one task per request: a new task starts whenever one ends.
@concurrent func driveTaskPerRequest(_ count: Int, through transport: any HTTPTransport, preferring preference: (any TaskExecutor)?) async -> Int {
    await withTaskExecutorPreference(preference) {
        await withTaskGroup(of: Int.self) { group in
            var next = 0
            var failed = 0
            for _ in 0..<min(concurrency, count) {
                next += 1
                group.addTask(executorPreference: preference) { await post(through: transport) }
            }
            while let outcome = await group.next() {
                failed += outcome
                if next < count {
                    next += 1
                    group.addTask(executorPreference: preference) { await post(through: transport) }
                }
            }
            return failed
        }
    }
}

@Sendable func post(through transport: any HTTPTransport) async -> Int {
    (try? await transport.send(template))?.status == 200 ? 0 : 1
}

/// Request numbers the tasks share.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}

/// One slice of `mode`: `count` requests; returns the seconds and the failures.
func run(_ mode: String, _ count: Int, raw: OpaquePointer) async -> (seconds: Double, failed: Int) {
    if mode == "raw" {
        var failed: Int32 = 0
        let seconds = raw_multi_run(raw, Int32(count), &failed)
        return (seconds, Int(failed))
    }
    let transport: any HTTPTransport = mode.hasPrefix("client") ? client : retrying
    let preference: (any TaskExecutor)? = mode.contains("executor") ? client.taskExecutor : nil
    let clock = ContinuousClock()
    let start = clock.now
    let failed =
        mode.hasSuffix("-tasks")
        ? await driveTaskPerRequest(count, through: transport, preferring: preference)
        : await drive(count, through: transport, preferring: preference)
    let elapsed = clock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, failed)
}

// The body stays alive for the whole run: raw multi's handles borrow it (CURLOPT_POSTFIELDS).
let rawBody = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(1, bytes.count))
_ = rawBody.initialize(from: bytes.map { CChar(bitPattern: $0) })
guard let raw = raw_multi_open(url, rawBody.baseAddress, bytes.count, Int32(concurrency)) else {
    FileHandle.standardError.write(Data("raw multi: libcurl could not make its handles\n".utf8))
    exit(1)
}
var anyFailed = false
if slices > 1 {
    // A slice of each mode first, not reported: connections opened, code and pages warm, for all alike.
    for mode in modes { anyFailed = await run(mode, min(1000, total / slices), raw: raw).failed > 0 || anyFailed }
}
for slice in 0..<slices {
    // Requests split as evenly as REQUESTS allows; every mode sends the same number in a slice.
    let count = total / slices + (slice < total % slices ? 1 : 0)
    // A new order every slice, so no mode always follows the same one: a mode that ran on the
    // cooperative pool leaves its worker threads winding down on the core for a moment, which slowed
    // whichever mode a fixed rotation always put after it (by ten points, measured).
    let order = modes.shuffled()
    for mode in order {
        let (seconds, failed) = await run(mode, count, raw: raw)
        anyFailed = anyFailed || failed > 0
        let name = mode == "raw" ? "raw libcurl multi" : "Outflow \(mode)"
        let sliceField = slices > 1 ? #","slice":\#(slice)"# : ""
        print(#"{"client":"\#(name)"\#(sliceField),"requests":\#(count),"failed":\#(failed),"seconds":\#(String(format: "%.4f", seconds)),"requestsPerSecond":\#(Int(Double(count) / seconds))}"#)
    }
}
raw_multi_close(raw)
client.shutdown()
exit(anyFailed ? 1 : 0)
