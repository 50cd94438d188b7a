import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks

/// A mock server started in-process on a free loopback port, and a connector client pointed at it.
///
/// ```swift
/// try await withConnector(.hubspot) { (harness) async throws in
///     let results = await harness.client.create([user("ada@example.org")])
/// }
/// ```
struct ConnectorHarness {
    let server: MockServer
    let client: ConnectorClient
    let http: HTTPClient

    /// `GET /__mock/users` -> the users array.
    func users() async throws -> [JSONValue] {
        let response = try await http.send(HTTPRequest(url: server.origin + "/__mock/users"))
        guard case .array(let users)? = try JSONParser.parse(bytes: response.body)["users"] else { return [] }
        return users
    }

    /// `GET /__mock/stats`.
    func stats() async throws -> JSONValue {
        try JSONParser.parse(bytes: try await http.send(HTTPRequest(url: server.origin + "/__mock/stats")).body)
    }

    /// How many API requests the mock answered with `status` (a string such as "429" or "dropped") on any route.
    func count(status: String) async throws -> Int {
        guard case .object(let routes)? = try await stats()["routes"] else { return 0 }
        return routes.members.reduce(0) { sum, route in
            sum + (Int(route.value[status].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? "0") ?? 0)
        }
    }

    func total() async throws -> Int {
        if case .number(let n)? = try await stats()["total"] { return Int(n) ?? -1 }
        return -1
    }
}

enum TestConnectors {
    static let registry: ConnectorRegistry = {
        do { return try ConnectorRegistry.embedded() } catch { fatalError("the embedded connectors do not parse: \(error)") }
    }()

    static func connector(_ name: String) -> Connector {
        guard let connector = registry.connector(named: name) else { fatalError("no embedded connector \(name)") }
        return connector
    }

    /// A retry policy that waits little, so fault tests stay fast.
    static func quick(_ connector: Connector) -> Connector {
        var connector = connector
        connector.retry.policy.baseDelay = .milliseconds(5)
        connector.retry.policy.maxDelay = .milliseconds(50)
        connector.retry.policy.maxAttempts = 8
        return connector
    }

    static let mailchimpList = "a1b2c3d4e5"
}

/// Starts the mock of `kind`, builds a client of `connector` (default: the embedded one of that
/// name) with `settings` plus `baseURL` = the mock's origin, runs `body`, and stops the mock.
func withConnector(
    _ kind: MockKind,
    connector: Connector? = nil,
    settings: JSONObject? = nil,
    options: MockOptions = MockOptions(),
    _ body: (ConnectorHarness) async throws -> Void
) async throws {
    let server = try await MockServer.start(kind, options: options)
    let http = HTTPClient(configuration: .init(allowHosts: ["127.0.0.1", "localhost"]))
    do {
        let connector = connector ?? TestConnectors.connector(kind.rawValue)
        var given = settings ?? defaultSettings(kind, origin: server.origin)
        if given["baseURL"] == nil, kind != .webhook { given["baseURL"] = .string(server.origin) }
        let client = try ConnectorClient(connector: connector, settings: given, transport: http, environment: [:])
        try await body(ConnectorHarness(server: server, client: client, http: http))
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

func defaultSettings(_ kind: MockKind, origin: String) -> JSONObject {
    switch kind {
    case .hubspot: return ["baseURL": .string(origin), "accessToken": "test-token"]
    case .mailchimp: return ["baseURL": .string(origin), "apiKey": "key-us1", "listId": .string(TestConnectors.mailchimpList)]
    case .webhook: return ["url": .string(origin + "/webhook")]
    case .klaviyo, .brevo, .mailerlite: return ["baseURL": .string(origin), "apiKey": "test-key"]
    case .intercom: return ["baseURL": .string(origin), "accessToken": "test-token"]
    case .stripe: return ["baseURL": .string(origin), "secretKey": "sk_test_token"]
    }
}

/// A user object from path/value pairs; dotted paths become nested objects.
func user(_ pairs: KeyValuePairs<String, Value>) -> ValueObject {
    var object = ValueObject()
    for (path, value) in pairs {
        let parts = path.split(separator: ".").map(String.init)
        object = setting(object, parts[...], value)
    }
    return object
}

private func setting(_ object: ValueObject, _ parts: ArraySlice<String>, _ value: Value) -> ValueObject {
    var object = object
    guard let first = parts.first else { return object }
    if parts.count == 1 {
        object[first] = value
    } else {
        var inner = ValueObject()
        if case .object(let existing)? = object[first] { inner = existing }
        object[first] = .object(setting(inner, parts.dropFirst(), value))
    }
    return object
}

/// The users file of a mock, from JSON text.
func mockUsers(_ json: String) -> MockOptions {
    var options = MockOptions()
    options.users = Array(json.utf8)
    return options
}

extension WriteResult {
    var id: String? {
        switch self {
        case .created(let id), .updated(let id): id
        default: nil
        }
    }
    var isCreated: Bool { if case .created = self { true } else { false } }
    var isUpdated: Bool { if case .updated = self { true } else { false } }
    var failure: String? {
        switch self {
        case .failed(let message): message
        case .rejected(let error): error.description
        default: nil
        }
    }
}

/// A transport that never connects: for clients whose construction alone is under test.
struct HTTPClientStub: HTTPTransport {
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        throw .connectionRefused(url: request.url, detail: "stub")
    }
}

/// Matching values from text.
func strings(_ texts: String...) -> [Value] { texts.map { .string($0) } }
