// The HTTP client side of the client-vs-raw-libcurl benchmark (issue 5): posts N copies of a body
// with C requests in flight through `HTTPClient` (the async API over libcurl multi the connectors use)
// and prints requests per second. Run by Benchmarks/http/run-http-bench.sh beside raw libcurl multi.
import Foundation
import OutflowHTTP

let arguments = CommandLine.arguments
guard arguments.count == 5, let total = Int(arguments[3]), let concurrency = Int(arguments[4]),
    let body = FileManager.default.contents(atPath: arguments[2])
else {
    FileHandle.standardError.write(Data("usage: HTTPBench URL BODYFILE N C\n".utf8))
    exit(64)
}
let url = arguments[1]
let bytes = Array(body)
let client = HTTPClient()
var request = HTTPRequest(method: .post, url: url, body: bytes, isIdempotent: true)
request.headers["Content-Type"] = "application/json"
request.headers["Authorization"] = "Bearer bench"
let template = request

let clock = ContinuousClock()
let start = clock.now
let failed = await withTaskGroup(of: Int.self) { group in
    var next = 0
    var failed = 0
    for _ in 0..<min(concurrency, total) {
        next += 1
        group.addTask { (try? await client.send(template))?.status == 200 ? 0 : 1 }
    }
    while let outcome = await group.next() {
        failed += outcome
        if next < total {
            next += 1
            group.addTask { (try? await client.send(template))?.status == 200 ? 0 : 1 }
        }
    }
    return failed
}
let elapsed = clock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(#"{"client":"Outflow HTTPClient","requests":\#(total),"failed":\#(failed),"seconds":\#(String(format: "%.3f", seconds)),"requestsPerSecond":\#(Int(Double(total) / seconds))}"#)
client.shutdown()
exit(failed == 0 ? 0 : 1)
