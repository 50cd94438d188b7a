import Foundation
import OutflowHTTP
import Testing

/// The client's event loop as a task executor (`HTTPClient.taskExecutor`), and the reuse of easy
/// handles and borrowed bodies that both ways of calling the client rely on.
@Suite("HTTPClient task executor and handle reuse", .serialized)
struct HTTPClientExecutorTests {
    /// Waits (without sleeping a fixed time) until `condition` holds, or fails after `seconds`.
    static func poll(seconds: Double = 20, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw PollTimeout() }
            await Task.yield()
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    struct PollTimeout: Error {}

    @Test("200 concurrent POSTs from tasks preferring the loop executor each get their own body back")
    func manyOnExecutor() async throws {
        try await withServer(script: { request, _ in ScriptedResponse(status: 200, body: request.body) }) { server in
            let client = HTTPClient()
            let echoed = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
                for index in 0..<200 {
                    group.addTask(executorPreference: client.taskExecutor) {
                        let body = Array(#"{"user":\#(index),"pad":"\#(String(repeating: "x", count: index * 37))"}"#.utf8)
                        var request = HTTPRequest(method: .post, url: server.origin + "/u", body: body, isIdempotent: index.isMultiple(of: 2))
                        request.headers["Content-Type"] = "application/json"
                        let response = try await client.send(request)
                        #expect(response.status == 200)
                        return (index, response.body)
                    }
                }
                return try await group.reduce(into: [Int: [UInt8]]()) { $0[$1.0] = $1.1 }
            }
            #expect(echoed.count == 200)
            for (index, body) in echoed {
                #expect(body == Array(#"{"user":\#(index),"pad":"\#(String(repeating: "x", count: index * 37))"}"#.utf8))
            }
        }
    }

    @Test("RetryingHTTPClient with a rate limiter works from tasks preferring the loop executor")
    func retryingOnExecutor() async throws {
        try await withServer(script: { _, index in index == 0 ? .status(503) : .status(200, body: "ok") }) { server in
            let client = HTTPClient()
            let api = RetryingHTTPClient(
                transport: client,
                policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(10)),
                limiter: RateLimiter(limits: ["default": RateLimit(1000, per: .seconds(1))])
            )
            let response = try await withTaskExecutorPreference(client.taskExecutor) {
                try await api.send(HTTPRequest(url: server.origin + "/retry"))
            }
            #expect(response.status == 200)
            #expect(response.attempts == 2)
        }
    }

    @Test("cancelling a task that prefers the loop executor cancels its request in flight")
    func cancellationOnExecutor() async throws {
        try await withServer(script: { _, _ in ScriptedResponse(status: 200, delay: 30) }) { server in
            let client = HTTPClient()
            let task = Task(executorPreference: client.taskExecutor) {
                try await client.send(HTTPRequest(url: server.origin + "/slow"))
            }
            try await Self.poll { server.requests.count == 1 }
            let started = Date()
            task.cancel()
            let result = await task.result
            #expect(Date().timeIntervalSince(started) < 20)
            #expect(throws: HTTPError.cancelled(url: server.origin + "/slow")) { try result.get() }
        }
    }

    /// The error `send` throws for `request`, or nil when it is answered.
    static func error(of request: HTTPRequest, on client: HTTPClient) async -> HTTPError? {
        do {
            _ = try await client.send(request)
            return nil
        } catch {
            return error
        }
    }

    @Test("a task cancelled before it sends gets .cancelled and nothing reaches the server, on the pool and on the loop")
    func alreadyCancelledTaskSendsNothing() async throws {
        try await withServer(script: { _, _ in .status(200) }) { server in
            let client = HTTPClient()
            for preference in [nil, client.taskExecutor] as [(any TaskExecutor)?] {
                let error = await Task(executorPreference: preference) { () async -> HTTPError? in
                    withUnsafeCurrentTask { $0?.cancel() }
                    return await Self.error(of: HTTPRequest(method: .post, url: server.origin + "/never", body: Array("{}".utf8)), on: client)
                }.value
                #expect(error == .cancelled(url: server.origin + "/never"))
            }
            // A request after them goes through, so the loop is still serving.
            let after = try await client.send(HTTPRequest(url: server.origin + "/after"))
            #expect(after.status == 200)
            #expect(server.requests.map(\.path) == ["/after"])
        }
    }

    @Test("shutting the client down fails the requests of tasks on its executor, and those tasks still finish")
    func shutdownOnExecutor() async throws {
        try await withServer(script: { _, _ in ScriptedResponse(status: 200, delay: 30) }) { server in
            let client = HTTPClient()
            let tasks = (0..<4).map { index in
                Task(executorPreference: client.taskExecutor) { () async -> (HTTPError?, Int) in
                    do {
                        _ = try await client.send(HTTPRequest(url: server.origin + "/slow/\(index)"))
                        return (nil, index)
                    } catch let error as HTTPError {
                        // Runs after the loop ended: the job must have found another executor.
                        return (error, index)
                    } catch {
                        return (nil, index)
                    }
                }
            }
            // With PIPEWAIT libcurl holds the other three until it knows whether the first connection can
            // multiplex, so only one request reaches the server; the others wait inside libcurl.
            try await Self.poll { !server.requests.isEmpty }
            client.shutdown()
            for task in tasks {
                let (error, index) = await task.value
                #expect(error == .cancelled(url: server.origin + "/slow/\(index)"))
            }
            // A request after shutdown, from a task preferring the stopped loop, is refused, not stranded.
            let late = await Task(executorPreference: client.taskExecutor) { () async -> HTTPError? in
                await Self.error(of: HTTPRequest(url: server.origin + "/late"), on: client)
            }.value
            #expect(late == .cancelled(url: server.origin + "/late"))
        }
    }

    @Test("a reused handle carries nothing of the previous request: method, body, headers, create-safety")
    func handleReuseLeaksNothing() async throws {
        try await withServer(script: { request, _ in
            // A HEAD answer has no body; any bytes would be read as the start of the next answer.
            .status(200, body: request.method == "HEAD" ? "" : "\(request.method) \(request.body.count)")
        }) { server in
            let client = HTTPClient()
            // One at a time, so every request after the first takes the handle the previous one left.
            var put = HTTPRequest(method: .put, url: server.origin + "/a", body: Array(repeating: UInt8(ascii: "p"), count: 5000))
            put.headers["X-Only-First"] = "1"
            put.headers["Content-Type"] = "application/json"
            let create = HTTPRequest(method: .post, url: server.origin + "/c", body: Array("{}".utf8), isIdempotent: false)
            let sequence: [(HTTPRequest, String)] = [
                (put, "PUT 5000"),
                (HTTPRequest(url: server.origin + "/b"), "GET 0"),
                (create, "POST 2"),
                (HTTPRequest(method: .post, url: server.origin + "/d", body: []), "POST 0"),
                (HTTPRequest(method: .delete, url: server.origin + "/e"), "DELETE 0"),
                (HTTPRequest(method: .head, url: server.origin + "/f"), ""),
                (HTTPRequest(url: server.origin + "/g"), "GET 0"),
            ]
            for (request, expected) in sequence {
                let response = try await client.send(request)
                #expect(response.status == 200)
                #expect(response.text == expected, "\(request.method.rawValue) \(request.url)")
            }
            let received = server.requests
            #expect(received.map(\.method) == ["PUT", "GET", "POST", "POST", "DELETE", "HEAD", "GET"])
            #expect(received[0].header("X-Only-First") == "1")
            #expect(received.dropFirst().allSatisfy { $0.header("X-Only-First") == nil })
            #expect(received[1].header("Content-Type") == nil)
            #expect(received[2].body == Array("{}".utf8))
            #expect(received.allSatisfy { $0.header("Expect") == nil })
        }
    }

    /// One request of the reuse sequence, and what the server must see of it.
    struct Step {
        var request: HTTPRequest
        var method: String
        var bodyCount: Int

        init(_ method: HTTPMethod, body: String? = nil, idempotent: Bool? = nil, contentType: String? = nil, sees: String? = nil) {
            request = HTTPRequest(method: method, url: "", body: body.map { Array($0.utf8) }, isIdempotent: idempotent)
            if let contentType { request.headers["Content-Type"] = contentType }
            self.method = sees ?? method.rawValue
            bodyCount = body?.utf8.count ?? 0
        }
    }

    /// Every request follows one that set other options on the same handle: GET after a POST with a
    /// body, HEAD after PUT, GET after HEAD, a create after an idempotent POST and the reverse, a custom
    /// method after POST, a body-less POST after a custom method with a body...
    static let reuseSequence: [Step] = [
        Step(.put, body: String(repeating: "p", count: 5000), contentType: "application/json"),
        Step(.get),
        Step(.post, body: "abc", idempotent: true, contentType: "application/json"),
        Step(.get),
        Step(.put, body: "four"),
        Step(.head),
        Step(.get),
        Step(.post, body: "idem", idempotent: true),
        Step(.post, body: "{}", idempotent: false, contentType: "application/json"),
        Step(.post, body: "again", idempotent: true),
        Step(.post, body: "{}", idempotent: false),
        Step("PURGE"),
        Step(.post, body: "xy"),
        Step("REPORT", body: "rb", contentType: "text/plain"),
        Step(.delete),
        Step(.patch, body: "patch!", contentType: "application/merge-patch+json"),
        Step(.head),
        Step(.post, body: ""),
        Step("OPTIONS"),
        Step(.get),
    ]

    @Test("every method and body combination after every other on a reused handle: method, body, headers as sent")
    func handleReuseEveryCombination() async throws {
        try await withServer(script: { request, _ in
            .status(200, body: request.method == "HEAD" ? "" : "\(request.method) \(request.body.count)")
        }) { server in
            let client = HTTPClient()
            // One at a time: each request takes the handle the previous one left.
            for (index, step) in Self.reuseSequence.enumerated() {
                var request = step.request
                request.url = server.origin + "/step\(index)"
                request.headers["X-Step"] = String(index)
                let response = try await client.send(request)
                #expect(response.status == 200)
                #expect(response.text == (step.method == "HEAD" ? "" : "\(step.method) \(step.bodyCount)"), "step \(index)")
            }
            let received = server.requests
            try #require(received.count == Self.reuseSequence.count)
            for (index, (step, seen)) in zip(Self.reuseSequence, received).enumerated() {
                #expect(seen.method == step.method, "step \(index)")
                #expect(seen.path == "/step\(index)")
                #expect(seen.body.count == step.bodyCount, "step \(index)")
                #expect(seen.header("X-Step") == String(index), "step \(index)")
                #expect(seen.headers.filter { $0.0.lowercased() == "x-step" }.count == 1, "step \(index)")
                #expect(seen.header("Content-Type") == step.request.headers["Content-Type"], "step \(index)")
                #expect(seen.header("Expect") == nil, "step \(index)")
                let sendsLength = step.request.body != nil || ["POST", "PUT", "PATCH"].contains(step.method)
                #expect((seen.header("Content-Length") != nil) == sendsLength, "step \(index)")
            }
        }
    }

    @Test("requests of one shape in a row on a reused handle: each sends its own body, size and URL")
    func sameShapeRequestsSendTheirOwnBodies() async throws {
        try await withServer(script: { request, _ in
            .status(200, body: "\(request.path) \(String(decoding: request.body, as: UTF8.self))")
        }) { server in
            let client = HTTPClient()
            // Same method, kind and headers each time, so the handle keeps everything but the body (and
            // its size, when it changes); a body of the same size with other bytes comes in between.
            let bodies = ["[1,2,3]", "[4,5,6]", "[7]", String(repeating: "x", count: 70_000), "", "[8,9,0]"]
            for (index, body) in bodies.enumerated() {
                let path = index == 3 ? "/other" : "/batch"
                var request = HTTPRequest(method: .post, url: server.origin + path, body: Array(body.utf8), isIdempotent: true)
                request.headers["Content-Type"] = "application/json"
                let response = try await client.send(request)
                #expect(response.text == "\(path) \(body)", "request \(index)")
            }
            // Creates in a row keep the read callback, each reading its own body from the start.
            for body in ["{\"a\":1}", "{\"b\":22}", "{\"b\":33}"] {
                let response = try await client.send(HTTPRequest(method: .post, url: server.origin + "/create", body: Array(body.utf8)))
                #expect(response.text == "/create \(body)")
            }
            let received = server.requests
            #expect(received.map { String(decoding: $0.body, as: UTF8.self) } == bodies + ["{\"a\":1}", "{\"b\":22}", "{\"b\":33}"])
            #expect(received.map(\.path) == ["/batch", "/batch", "/batch", "/other", "/batch", "/batch", "/create", "/create", "/create"])
        }
    }

    @Test("a create after a create on a reused handle still refuses libcurl's hidden re-send")
    func createAfterCreateIsNotResent() async throws {
        try await withServer(script: { request, _ in
            request.body == Array("second".utf8) && request.connection == 0 ? ScriptedResponse(action: .closeWithoutResponse) : .status(200)
        }) { server in
            let client = HTTPClient()
            let first = try await client.send(HTTPRequest(method: .post, url: server.origin + "/create", body: Array("first".utf8)))
            #expect(first.status == 200)
            let error = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(method: .post, url: server.origin + "/create", body: Array("second".utf8)))
            }
            #expect(error?.mayHaveReachedServer == true)
            #expect(server.requests.map { String(decoding: $0.body, as: UTF8.self) } == ["first", "second"])
        }
    }

    @Test("a reused handle takes each request's own timeout, shorter or longer than the last")
    func reusedHandleTakesEachTimeout() async throws {
        try await withServer(script: { request, _ in
            var answer = ScriptedResponse.status(200, body: "ok")
            if request.path == "/slow" { answer.delay = 0.4 }
            return answer
        }) { server in
            let client = HTTPClient()
            let slowURL = server.origin + "/slow"
            let patient = try await client.send(HTTPRequest(url: slowURL, timeout: .seconds(5)))
            #expect(patient.text == "ok")
            let error = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(url: slowURL, timeout: .milliseconds(100)))
            }
            guard case .timeout = error else {
                Issue.record("expected a timeout, got \(String(describing: error))")
                return
            }
            let again = try await client.send(HTTPRequest(url: slowURL, timeout: .seconds(5)))
            #expect(again.text == "ok")
        }
    }

    @Test("a create on a handle an idempotent POST used before still refuses libcurl's hidden re-send")
    func createAfterIdempotentPostIsNotResent() async throws {
        try await withServer(script: { request, _ in
            request.path == "/create" && request.connection == 0 ? ScriptedResponse(action: .closeWithoutResponse) : .status(200)
        }) { server in
            let client = HTTPClient()
            let upsert = HTTPRequest(method: .post, url: server.origin + "/upsert", body: Array("[1]".utf8), isIdempotent: true)
            let first = try await client.send(upsert)
            #expect(first.status == 200)
            let error = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(method: .post, url: server.origin + "/create", body: Array("{}".utf8)))
            }
            #expect(error?.mayHaveReachedServer == true)
            #expect(server.requests.map(\.path) == ["/upsert", "/create"])
        }
    }
}
