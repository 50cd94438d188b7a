import Foundation
import OutflowHTTP
import Testing

// Serialized: these tests time connections and count accepted sockets, which parallel traffic from
// the other tests of the suite would blur.
@Suite("HTTPClient against a local server", .serialized)
struct HTTPClientTests {
    /// A 20 KB JSON document: a batch of 100 users, the size the engine posts.
    static let batchJSON: [UInt8] = {
        let users = (0..<100).map { index in
            #"{"email":"user\#(index)@example.com","firstname":"Ada\#(index)","lastname":"Lovelace","plan":"pro","score":\#(index * 7)}"#
        }
        var json = #"{"inputs":["# + users.joined(separator: ",") + "]}"
        while json.utf8.count < 20_000 { json += " " }
        return Array(json.utf8)
    }()

    @Test("POST of a 20 KB JSON body and its echo come back intact, headers both ways")
    func postRoundTrip() async throws {
        try await withServer(script: { request, _ in
            ScriptedResponse(
                status: 201,
                headers: [("Content-Type", "application/json"), ("X-Echo-Trace", request.header("X-Trace") ?? "missing")],
                body: request.body
            )
        }) { server in
            let client = HTTPClient()
            var request = HTTPRequest(method: .post, url: server.origin + "/crm/v3/objects/contacts/batch/create")
            request.headers["Content-Type"] = "application/json"
            request.headers["X-Trace"] = "abc-123"
            request.body = Self.batchJSON
            let response = try await client.send(request)
            #expect(response.status == 201)
            #expect(response.body == Self.batchJSON)
            #expect(response.headers["x-echo-trace"] == "abc-123")
            #expect(response.headers["CONTENT-TYPE"] == "application/json")
            let received = try #require(server.requests.first)
            #expect(received.method == "POST")
            #expect(received.path == "/crm/v3/objects/contacts/batch/create")
            #expect(received.header("Content-Type") == "application/json")
            #expect(received.header("Expect") == nil)
            #expect(received.body.count == Self.batchJSON.count)
        }
    }

    @Test("response headers as received: any case, repeats in order, values trimmed, rate-limit fields read, copies editable")
    func receivedHeaders() async throws {
        try await withServer(script: { _, _ in
            ScriptedResponse(
                status: 429,
                headers: [
                    ("Set-Cookie", "a=1"), ("X-HubSpot-RateLimit-Remaining", " 0 "), ("set-cookie", "b=2"),
                    ("x-hubspot-ratelimit-interval-milliseconds", "\t2500"), ("X-Empty", ""), ("Caf\u{e9}-Name", "ok"),
                ],
                body: Array("{}".utf8)
            )
        }) { server in
            let client = HTTPClient()
            let response = try await client.send(HTTPRequest(url: server.origin + "/limited"))
            #expect(response.status == 429)
            let headers = response.headers
            #expect(headers["SET-COOKIE"] == "a=1")
            #expect(headers.values(for: "set-cookie") == ["a=1", "b=2"])
            #expect(headers["x-hubspot-ratelimit-remaining"] == "0")
            #expect(headers["X-Empty"] == "")
            #expect(headers.contains("x-empty"))
            #expect(!headers.contains("X-Missing"))
            #expect(headers["CAF\u{c9}-NAME"] == "ok")
            #expect(headers["content-length"] == "2")
            #expect(RateLimitSignals.wait(status: response.status, headers: headers, unixTime: 0) == 2.5)
            // The same fields as a list built by hand: equal, iterated in order, and a copy can be changed.
            let names = headers.map(\.name)
            #expect(
                names == [
                    "Content-Length", "Set-Cookie", "X-HubSpot-RateLimit-Remaining", "set-cookie",
                    "x-hubspot-ratelimit-interval-milliseconds", "X-Empty", "Caf\u{e9}-Name",
                ]
            )
            #expect(headers == HTTPHeaders(headers.map { ($0.name, $0.value) }))
            #expect(headers.count == 7)
            var edited = headers
            edited["set-cookie"] = nil
            edited.add("X-Added", "1")
            #expect(edited.count == 6)
            #expect(edited["X-Added"] == "1" && edited["Set-Cookie"] == nil)
            #expect(headers.values(for: "Set-Cookie").count == 2)
        }
    }

    @Test("GET, PUT, PATCH and DELETE send their method; a body-less GET sends no body")
    func methods() async throws {
        try await withServer(script: { request, _ in .status(200, body: "\(request.method) \(request.body.count)") }) { server in
            let client = HTTPClient()
            for method in [HTTPMethod.get, .put, .patch, .delete] {
                let body: [UInt8]? = method == .get || method == .delete ? nil : Array("{}".utf8)
                let response = try await client.send(HTTPRequest(method: method, url: server.origin + "/x", body: body))
                #expect(response.text == "\(method.rawValue) \(body?.count ?? 0)")
            }
        }
    }

    @Test("sequential requests reuse one kept-alive connection")
    func keepAlive() async throws {
        try await withServer { server in
            let client = HTTPClient()
            for _ in 0..<50 {
                let response = try await client.send(HTTPRequest(url: server.origin + "/ping"))
                #expect(response.status == 200)
            }
            #expect(server.requests.count == 50)
            #expect(server.connectionsAccepted == 1)
        }
    }

    @Test("100 concurrent requests all complete, and a second wave reuses the connections")
    func concurrent() async throws {
        try await withServer(script: { request, _ in ScriptedResponse(status: 200, body: Array(request.path.utf8), delay: 0.01) }) { server in
            let client = HTTPClient()
            for wave in 0..<2 {
                // Each task must get the answer to its own request: the loop answers the tasks of a round
                // together (`CurlEventLoop.resumeBatch`).
                let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                    for index in 0..<100 {
                        group.addTask { (index, try await client.send(HTTPRequest(url: server.origin + "/u/\(index)")).text) }
                    }
                    return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
                }
                #expect(answers == Dictionary(uniqueKeysWithValues: (0..<100).map { ($0, "/u/\($0)") }), "wave \(wave)")
            }
            #expect(server.requests.count == 200)
            #expect(server.connectionsAccepted <= 100)
        }
    }

    @Test("a server slower than the request timeout gives .timeout after the request was sent")
    func timeout() async throws {
        try await withServer(script: { _, _ in ScriptedResponse(status: 200, delay: 2) }) { server in
            let client = HTTPClient()
            let started = Date()
            let error = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(url: server.origin + "/slow", timeout: .milliseconds(300)))
            }
            // The server answers after 2 s: a .timeout error proves the limit fired first, without a
            // wall-clock bound that a loaded CI machine could break.
            _ = started
            guard case .timeout(let url, let sent, _) = error else {
                Issue.record("expected a timeout, got \(String(describing: error))")
                return
            }
            #expect(sent)
            #expect(url == server.origin + "/slow")
        }
    }

    @Test("nobody listening gives .connectionRefused, not sent")
    func connectionRefused() async throws {
        let port = try closedLoopbackPort()
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(HTTPRequest(url: "http://127.0.0.1:\(port)/x"))
        }
        guard case .connectionRefused(let url, _) = error else {
            Issue.record("expected connection refused, got \(String(describing: error))")
            return
        }
        #expect(url == "http://127.0.0.1:\(port)/x")
        #expect(error?.mayHaveReachedServer == false)
    }

    @Test("a name that does not resolve gives .dns, not sent")
    func dns() async throws {
        // RFC 6761 reserves .invalid: it never resolves.
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(HTTPRequest(url: "http://outflow-test.invalid/x", timeout: .seconds(10)))
        }
        guard case .dns(let url, _) = error else {
            Issue.record("expected a DNS failure, got \(String(describing: error))")
            return
        }
        #expect(url == "http://outflow-test.invalid/x")
    }

    @Test("TLS against a server that does not speak it gives .tls")
    func tlsFailure() async throws {
        let server = try TestHTTPServer(rawReply: Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
        defer { server.stop() }
        do {
            let error = await #expect(throws: HTTPError.self) {
                try await HTTPClient().send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/x", timeout: .seconds(5)))
            }
            guard case .tls = error else {
                Issue.record("expected a TLS failure, got \(String(describing: error))")
                return
            }
        }
    }

    @Test("a connection closed after the request, without an answer, gives .connectionReset (sent)")
    func closedWithoutAnswer() async throws {
        try await withServer(script: { _, _ in ScriptedResponse(action: .closeWithoutResponse) }) { server in
            let error = await #expect(throws: HTTPError.self) {
                try await HTTPClient().send(HTTPRequest(method: .post, url: server.origin + "/create", body: Array("{}".utf8)))
            }
            guard case .connectionReset(_, let sent, _) = error else {
                Issue.record("expected a reset, got \(String(describing: error))")
                return
            }
            #expect(sent)
        }
    }

    @Test("a create dropped on a reused connection is not silently re-sent by libcurl")
    func noHiddenResendOfCreate() async throws {
        // libcurl re-sends a request on a fresh connection when a reused one closes before any answer;
        // for a create that may already have been applied, that would be a duplicate.
        try await withServer(script: { request, _ in
            request.method == "POST" && request.connection == 0 ? ScriptedResponse(action: .closeWithoutResponse) : .status(200)
        }) { server in
            let client = HTTPClient()
            #expect(try await client.send(HTTPRequest(url: server.origin + "/warm-up")).status == 200)
            let error = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(method: .post, url: server.origin + "/create", body: Array("{}".utf8)))
            }
            #expect(error?.mayHaveReachedServer == true)
            #expect(server.requests.count == 2)
            // An idempotent request in the same situation may be re-sent: it is harmless.
            let put = try await client.send(HTTPRequest(method: .put, url: server.origin + "/put", body: Array("{}".utf8)))
            #expect(put.status == 200)
        }
    }

    @Test("a host outside allowHosts is refused before anything is sent")
    func allowHosts() async throws {
        try await withServer { server in
            let client = HTTPClient(configuration: .init(allowHosts: ["LOCALHOST", "api.hubapi.com"]))
            let error = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(url: server.origin + "/x"))
            }
            #expect(error == .hostNotAllowed(host: "127.0.0.1", url: server.origin + "/x"))
            #expect(server.connectionsAccepted == 0)
            let allowed = try await client.send(HTTPRequest(url: "http://localhost:\(server.port)/x"))
            #expect(allowed.status == 200)
            // The userinfo trick must not smuggle another host past the check.
            let smuggled = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(url: "http://localhost@127.0.0.1:\(server.port)/x"))
            }
            #expect(smuggled == .hostNotAllowed(host: "127.0.0.1", url: "http://***@127.0.0.1:\(server.port)/x"))
            #expect(server.requests.count == 1)
        }
    }

    @Test("error messages carry no Authorization value, userinfo or secret query value")
    func redactedErrors() async throws {
        let port = try closedLoopbackPort()
        var request = HTTPRequest(url: "http://admin:hunter22@127.0.0.1:\(port)/v1/users?api_key=sk_live_123456&limit=5")
        request.headers["Authorization"] = "Bearer pat-na1-secret-token"
        let error = await #expect(throws: HTTPError.self) { try await HTTPClient().send(request) }
        let message = try #require(error).description
        for secret in ["hunter22", "admin", "sk_live_123456", "pat-na1-secret-token"] {
            #expect(!message.contains(secret), "\(message) leaks \(secret)")
        }
        #expect(message.contains("http://***@127.0.0.1:\(port)/v1/users?api_key=***&limit=5"))
        #expect(!request.description.contains("sk_live_123456"))
    }

    @Test("a header value with a line break is refused before sending")
    func headerInjection() async throws {
        try await withServer { server in
            var request = HTTPRequest(url: server.origin + "/x")
            request.headers["X-Name"] = "ok\r\nX-Injected: yes"
            let error = await #expect(throws: HTTPError.self) { try await HTTPClient().send(request) }
            #expect(error == .invalidHeader(url: server.origin + "/x", name: "X-Name"))
            #expect(server.connectionsAccepted == 0)
        }
    }

    @Test("the client's own fields: its user agent and the encodings it decodes, unless a request sets them")
    func clientFields() async throws {
        try await withServer { server in
            let client = HTTPClient(configuration: .init(userAgent: "Outflow/test"))
            _ = try await client.send(HTTPRequest(url: server.origin + "/default"))
            var own = HTTPRequest(method: .post, url: server.origin + "/own", body: Array("{}".utf8))
            own.headers["user-agent"] = "Mine/1"
            own.headers["Accept-Encoding"] = "identity"
            _ = try await client.send(own)
            // Back to the defaults on the same handle: the request's fields do not stick to it.
            _ = try await client.send(HTTPRequest(url: server.origin + "/default-again"))
            let requests = server.requests
            #expect(requests.map(\.path) == ["/default", "/own", "/default-again"])
            for index in [0, 2] {
                #expect(requests[index].header("User-Agent") == "Outflow/test")
                let accepted = try #require(requests[index].header("Accept-Encoding"))
                #expect(accepted.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains("gzip"))
            }
            // Sent once each, the request's value and not the client's beside it.
            #expect(requests[1].headers.filter { $0.0.lowercased() == "user-agent" }.map(\.1) == ["Mine/1"])
            #expect(requests[1].headers.filter { $0.0.lowercased() == "accept-encoding" }.map(\.1) == ["identity"])
            let silent = HTTPClient(configuration: .init(userAgent: ""))
            _ = try await silent.send(HTTPRequest(url: server.origin + "/no-agent"))
            #expect(server.requests.last?.header("User-Agent") == nil)
        }
    }

    @Test("a gzip-encoded answer comes back decoded")
    func gzipAnswerDecoded() async throws {
        // gzip.compress(b'{"status":"COMPLETE","note":"decoded by libcurl"}', mtime=0) in Python.
        let compressed: [UInt8] = [
            31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 171, 86, 42, 46, 73, 44, 41, 45, 86, 178, 82, 114, 246, 247, 13, 240, 113, 13,
            113, 85, 210, 81, 202, 203, 47, 73, 5, 138, 164, 164, 38, 231, 167, 164, 166, 40, 36, 85, 42, 228, 100, 38,
            37, 151, 22, 229, 40, 213, 2, 0, 239, 161, 223, 3, 49, 0, 0, 0,
        ]
        try await withServer(script: { _, _ in
            ScriptedResponse(status: 200, headers: [("Content-Encoding", "gzip"), ("Content-Type", "application/json")], body: compressed)
        }) { server in
            let response = try await HTTPClient().send(HTTPRequest(url: server.origin + "/gzip"))
            #expect(response.text == #"{"status":"COMPLETE","note":"decoded by libcurl"}"#)
        }
    }

    @Test("a line break is refused on a handle whose last request had clean fields, and the next request is sent")
    func headerInjectionAfterCleanRequest() async throws {
        // The loop checks fields when it builds a handle's header list, which it skips for fields equal to
        // the last request's: a bad field must never pass as "the same as last time".
        try await withServer { server in
            let client = HTTPClient()
            var clean = HTTPRequest(url: server.origin + "/clean")
            clean.headers["X-Name"] = "ok"
            var bad = HTTPRequest(url: server.origin + "/bad")
            bad.headers["X-Name"] = "ok\nX-Injected: yes"
            var badName = HTTPRequest(url: server.origin + "/bad-name")
            badName.headers["X-Name\r\nX-Injected"] = "ok"
            let first = try await client.send(clean)
            #expect(first.status == 200)
            for request in [bad, badName, bad] {
                let error = await #expect(throws: HTTPError.self) { try await client.send(request) }
                guard case .invalidHeader(let url, _) = error else {
                    Issue.record("expected invalidHeader, got \(String(describing: error))")
                    continue
                }
                #expect(url == request.url)
            }
            let after = try await client.send(clean)
            #expect(after.status == 200)
            #expect(server.requests.map(\.path) == ["/clean", "/clean"])
            #expect(server.requests.allSatisfy { $0.header("X-Injected") == nil && $0.header("X-Name") == "ok" })
        }
    }

    @Test("an invalid URL or another scheme is refused with .invalidURL")
    func invalidURL() async throws {
        for url in ["not a url", "ftp://example.com/file", "file:///etc/passwd"] {
            let error = await #expect(throws: HTTPError.self) { try await HTTPClient().send(HTTPRequest(url: url)) }
            guard case .invalidURL = error else {
                Issue.record("\(url): expected invalidURL, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test("cancelling the task cancels the request in flight")
    func cancellation() async throws {
        try await withServer(script: { _, _ in ScriptedResponse(status: 200, delay: 30) }) { server in
            let client = HTTPClient()
            let task = Task { try await client.send(HTTPRequest(url: server.origin + "/slow")) }
            try await Task.sleep(for: .milliseconds(100))
            let started = Date()
            task.cancel()
            let result = await task.result
            // The server answers after 30 s; ending well before it means the request was cancelled.
            // The gap is that wide so that no scheduling delay on a loaded machine can close it.
            #expect(Date().timeIntervalSince(started) < 20)
            #expect(throws: HTTPError.cancelled(url: server.origin + "/slow")) { try result.get() }
        }
    }
}
