// The HTTP client side of the client-vs-raw-libcurl benchmark (issue 5): posts N copies of a body
// with C requests in flight and prints requests per second. C tasks each send their next request as
// soon as their last is answered, as raw multi adds a finished handle again at once, so the figure is
// the client's cost and not that of making tasks. Run by Benchmarks/http/run-http-bench.sh beside raw
// libcurl multi. MODE picks the caller:
//   client                  `HTTPClient.send` from tasks on the cooperative pool
//   client-executor         `HTTPClient.send` from tasks that prefer `client.taskExecutor`
//   retrying                `RetryingHTTPClient.send` (what a connector calls) from tasks on the pool
//   retrying-executor       the same from tasks that prefer `client.taskExecutor` (the curl loop
//                           thread): the connectors' path, whose delivery tasks the engine starts there
//   retrying-executor-tasks the same with one new task per request (the engine makes one per batch),
//                           which adds the cost of making and ending a task to each request
import Foundation
import OutflowHTTP
import Synchronization

let arguments = CommandLine.arguments
let modes = ["client", "client-executor", "retrying", "retrying-executor", "retrying-executor-tasks"]
guard arguments.count == 5 || arguments.count == 6, let total = Int(arguments[3]), let concurrency = Int(arguments[4]),
    let body = FileManager.default.contents(atPath: arguments[2])
else {
    FileHandle.standardError.write(Data("usage: HTTPBench URL BODYFILE N C [\(modes.joined(separator: "|"))]\n".utf8))
    exit(64)
}
let mode = arguments.count == 6 ? arguments[5] : "client"
guard modes.contains(mode) else {
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(64)
}
let url = arguments[1]
let bytes = Array(body)
let client = HTTPClient()
let transport: any HTTPTransport = mode.hasPrefix("client") ? client : RetryingHTTPClient(transport: client)
let preference: (any TaskExecutor)? = mode.contains("executor") ? client.taskExecutor : nil
var request = HTTPRequest(method: .post, url: url, body: bytes, isIdempotent: true)
request.headers["Content-Type"] = "application/json"
request.headers["Authorization"] = "Bearer bench"
let template = request

@Sendable func post() async -> Int {
    (try? await transport.send(template))?.status == 200 ? 0 : 1
}

/// Keeps `concurrency` requests in flight until `total` have finished: `concurrency` tasks, each
/// sending its next request as soon as its last one is answered, taking numbers from a shared counter;
/// returns the failures. `@concurrent` so the group's parent runs on the cooperative pool (or on the
/// preferred executor), not on the main actor.
@concurrent func drive() async -> Int {
    let issued = Counter()
    return await withTaskGroup(of: Int.self) { group in
        for _ in 0..<min(concurrency, total) {
            group.addTask(executorPreference: preference) {
                var failed = 0
                while issued.next() < total { failed += await post() }
                return failed
            }
        }
        return await group.reduce(0, +)
    }
}

/// The same with one task per request: a new task starts whenever one ends.
@concurrent func driveTaskPerRequest() async -> Int {
    await withTaskExecutorPreference(preference) {
        await withTaskGroup(of: Int.self) { group in
            var next = 0
            var failed = 0
            for _ in 0..<min(concurrency, total) {
                next += 1
                group.addTask(executorPreference: preference) { await post() }
            }
            while let outcome = await group.next() {
                failed += outcome
                if next < total {
                    next += 1
                    group.addTask(executorPreference: preference) { await post() }
                }
            }
            return failed
        }
    }
}

/// Request numbers the tasks share.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}

let clock = ContinuousClock()
let start = clock.now
let failed = mode.hasSuffix("-tasks") ? await driveTaskPerRequest() : await drive()
let elapsed = clock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(#"{"client":"Outflow \#(mode)","requests":\#(total),"failed":\#(failed),"seconds":\#(String(format: "%.3f", seconds)),"requestsPerSecond":\#(Int(Double(total) / seconds))}"#)
client.shutdown()
exit(failed == 0 ? 0 : 1)
