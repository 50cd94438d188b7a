// The HTTP client side of the client-vs-raw-libcurl benchmark (issue 5): posts N copies of a body
// with C requests in flight, one Swift task per request, and prints requests per second. Run by
// Benchmarks/http/run-http-bench.sh beside raw libcurl multi. MODE picks the caller:
//   client            `HTTPClient.send` from tasks on the cooperative pool
//   retrying          `RetryingHTTPClient.send` (what a connector calls) from tasks on the cooperative pool
//   retrying-executor the same, from tasks that prefer `client.taskExecutor` (the curl loop thread)
import Foundation
import OutflowHTTP

let arguments = CommandLine.arguments
let modes = ["client", "retrying", "retrying-executor"]
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
let transport: any HTTPTransport = mode == "client" ? client : RetryingHTTPClient(transport: client)
let preference: (any TaskExecutor)? = mode == "retrying-executor" ? client.taskExecutor : nil
var request = HTTPRequest(method: .post, url: url, body: bytes, isIdempotent: true)
request.headers["Content-Type"] = "application/json"
request.headers["Authorization"] = "Bearer bench"
let template = request

@Sendable func post() async -> Int {
    (try? await transport.send(template))?.status == 200 ? 0 : 1
}

/// Keeps `concurrency` requests in flight, one task per request, until `total` have finished; returns
/// the failures. `@concurrent` so the group's parent runs on the cooperative pool (or on the preferred
/// executor), not on the main actor, which would add a hop to the main thread per request.
@concurrent func drive() async -> Int {
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

let clock = ContinuousClock()
let start = clock.now
let failed = await drive()
let elapsed = clock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(#"{"client":"Outflow \#(mode)","requests":\#(total),"failed":\#(failed),"seconds":\#(String(format: "%.3f", seconds)),"requestsPerSecond":\#(Int(Double(total) / seconds))}"#)
client.shutdown()
exit(failed == 0 ? 0 : 1)
