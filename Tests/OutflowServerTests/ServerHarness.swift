import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowServer
import OutflowStore
import OutflowWorkspace

/// A server on a free loopback port with its own state store in a temporary folder, the demo
/// workspace imported (its connection is a bundled mock, so runs reach nothing off this machine),
/// and an admin and a workspace token. Every test starts one and stops it.
///
/// ```swift
/// let server = try await ServerHarness.start()
/// defer { Task { await server.stop() } }   // or: await server.stop() at the end
/// let (status, body) = try await server.request(.get, "/v1/pipelines", token: server.workspaceToken)
/// ```
struct ServerHarness: Sendable {
    let server: OutflowServer
    let directory: URL
    let adminToken: String
    /// A token for workspace "demo".
    let workspaceToken: String
    let http: HTTPClient

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let demoFile = repository.appendingPathComponent("fixtures/workspaces/demo.json").path

    /// Starts a server. `configure` adjusts the configuration (secret key, clock, scheduler).
    static func start(
        importDemo: Bool = true, configure: (inout ServerConfiguration) throws -> Void = { _ in }
    ) async throws -> ServerHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = ServerConfiguration(
            statePath: directory.appendingPathComponent("state.sqlite").path, registry: try ConnectorRegistry.embedded(), functionHost: .inProcess)
        configuration.port = 0
        configuration.allowHosts = ["127.0.0.1", "localhost"]
        configuration.schedulerEnabled = false
        configuration.logger.logLevel = .warning
        configuration.baseDirectory = repository.appendingPathComponent("fixtures/workspaces").path
        if importDemo {
            guard case .object(let document) = try WorkspaceFile.readDocument(path: demoFile) else { throw HarnessError("demo.json is not an object") }
            configuration.imports = [WorkspaceImport(document: document, directory: repository.appendingPathComponent("fixtures/workspaces").path)]
        }
        try configure(&configuration)
        let server = try await OutflowServer.start(configuration)
        let admin = try TokenIssuer.create(workspace: nil, store: server.services.store)
        let workspace = try TokenIssuer.create(workspace: "demo", store: server.services.store)
        return ServerHarness(server: server, directory: directory, adminToken: admin, workspaceToken: workspace, http: HTTPClient())
    }

    func stop() async {
        await server.stop()
        http.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends a request; `body` is JSON text. Returns the status and the body parsed as JSON
    /// (`.null` when empty).
    func request(
        _ method: HTTPMethod, _ path: String, body: String? = nil, token: String?, headers: [(String, String)] = []
    ) async throws -> (status: Int, body: JSONValue) {
        let response = try await raw(method, path, body: body, token: token, headers: headers)
        let json: JSONValue = response.body.isEmpty ? .null : try JSONParser.parse(bytes: response.body)
        return (response.status, json)
    }

    func raw(_ method: HTTPMethod, _ path: String, body: String? = nil, token: String?, headers: [(String, String)] = []) async throws -> HTTPResponse {
        var fields = headers
        if let token { fields.append(("Authorization", "Bearer \(token)")) }
        if body != nil { fields.append(("Content-Type", "application/json")) }
        return try await http.send(HTTPRequest(method: method, url: server.origin + path, headers: HTTPHeaders(fields), body: body.map { Array($0.utf8) }))
    }

    /// Waits until `condition` holds (polling every 50 ms), up to `timeout` seconds.
    func eventually(timeout: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("condition not met within \(timeout) s")
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
