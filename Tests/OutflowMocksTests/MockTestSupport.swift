import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks

/// A mock server and an OutflowHTTP client pointed at it, for one test.
///
/// ```swift
/// try await withMock(.hubspot) { mock in
///     let answer = try await mock.post("/crm/v3/objects/contacts/batch/create", #"{"inputs":[]}"#)
/// }
/// ```
struct MockHarness {
    let server: MockServer
    let client: HTTPClient
    var token = "test-token"

    struct Answer {
        let status: Int
        let headers: HTTPHeaders
        let text: String
        var json: JSONValue { (try? JSONParser.parse(text)) ?? .null }
    }

    func send(_ method: HTTPMethod, _ path: String, _ body: String? = nil, authorization: String?? = .none) async throws(HTTPError) -> Answer {
        var request = HTTPRequest(method: method, url: server.origin + path)
        switch authorization {
        case .none: request.headers["Authorization"] = "Bearer \(token)"
        case .some(let value?): request.headers["Authorization"] = value
        case .some(nil): break
        }
        if let body {
            request.headers["Content-Type"] = "application/json"
            request.body = Array(body.utf8)
        }
        let response = try await client.send(request)
        return Answer(status: response.status, headers: response.headers, text: response.text)
    }

    /// A request with exactly `headers` (no default credential), for APIs whose scheme is not Bearer.
    func request(
        _ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String = "application/json", headers: [(String, String)]
    ) async throws(HTTPError) -> Answer {
        var request = HTTPRequest(method: method, url: server.origin + path)
        for (name, value) in headers { request.headers[name] = value }
        if let body {
            request.headers["Content-Type"] = contentType
            request.body = Array(body.utf8)
        }
        let response = try await client.send(request)
        return Answer(status: response.status, headers: response.headers, text: response.text)
    }

    /// `GET /__mock/stats`.
    func stats() async throws -> JSONValue {
        try await send(.get, "/__mock/stats", authorization: .some(nil)).json
    }

    func get(_ path: String) async throws(HTTPError) -> Answer { try await send(.get, path) }
    func post(_ path: String, _ body: String) async throws(HTTPError) -> Answer { try await send(.post, path, body) }

    /// `GET /__mock/users` as a list.
    func users() async throws -> [JSONValue] {
        let answer = try await send(.get, "/__mock/users", authorization: .some(nil))
        return answer.json["users"]?.array ?? []
    }
}

/// Starts `kind`, runs `body`, and stops the server and the client whatever happens.
func withMock<T>(
    _ kind: MockKind, options: MockOptions = MockOptions(), _ body: (MockHarness) async throws -> T
) async throws -> T {
    let server = try await MockServer.start(kind, options: options)
    let client = HTTPClient()
    let harness = MockHarness(server: server, client: client)
    do {
        let result = try await body(harness)
        client.shutdown()
        await server.stop()
        return result
    } catch {
        client.shutdown()
        await server.stop()
        throw error
    }
}

/// Options with the fixture users loaded.
func hubspotOptions(_ configure: (inout MockOptions) throws -> Void = { _ in }) rethrows -> MockOptions {
    var options = MockOptions()
    options.users = Array(FileManager.default.contents(atPath: fixturePath("apps/hubspot-users.json"))!)
    try configure(&options)
    return options
}

/// Options with `fixtures/apps/NAME-users.json` loaded.
func appOptions(_ name: String, _ configure: (inout MockOptions) throws -> Void = { _ in }) rethrows -> MockOptions {
    var options = MockOptions()
    options.users = Array(FileManager.default.contents(atPath: fixturePath("apps/\(name)-users.json")) ?? Data())
    try configure(&options)
    return options
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func fixturePath(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent("fixtures").appendingPathComponent(relative).path
}

extension JSONValue {
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }
    var array: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
    var int: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }
}
