import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks

/// A HubSpot mock started for one test and a ``ConnectorClient`` of the embedded HubSpot connector
/// pointed at it, with short retry waits so injected faults cost milliseconds.
///
/// ```swift
/// try await HubSpotMockHarness.with(users: [["email": "a@x.com"]]) { hubspot in
///     let report = try await harness.run(hubspot.client)
///     let emails = try await hubspot.emails()
/// }
/// ```
struct HubSpotMockHarness {
    let server: MockServer
    let client: ConnectorClient
    let http: HTTPClient

    static func with(
        users: [[String: String]]? = nil, usersFile: String? = nil, faults: String? = nil, seed: UInt64 = 7,
        _ body: (HubSpotMockHarness) async throws -> Void
    ) async throws {
        var options = MockOptions()
        options.seed = seed
        if let faults { options.faults = try FaultSpec.parse(faults) }
        if let usersFile {
            options.users = Array(try Data(contentsOf: URL(fileURLWithPath: usersFile)))
        } else if let users {
            let list = users.enumerated().map { index, properties -> [String: Any] in ["id": String(index + 1), "properties": properties] }
            options.users = Array(try JSONSerialization.data(withJSONObject: ["users": list]))
        }
        let server = try await MockServer.start(.hubspot, options: options)
        let http = HTTPClient(configuration: .init(allowHosts: ["127.0.0.1", "localhost"]))
        var connector = try ConnectorRegistry.embedded().require("hubspot")
        connector.retry.policy.baseDelay = .milliseconds(5)
        connector.retry.policy.maxDelay = .milliseconds(50)
        connector.retry.policy.maxAttempts = 8
        let client = try ConnectorClient(
            connector: connector, settings: ["baseURL": .string(server.origin), "accessToken": "test-token"], transport: http, environment: [:])
        let harness = HubSpotMockHarness(server: server, client: client, http: http)
        do {
            try await body(harness)
        } catch {
            http.shutdown()
            await server.stop()
            throw error
        }
        http.shutdown()
        await server.stop()
    }

    /// The contacts the mock holds (`GET /__mock/users`), as property objects in creation order.
    func contacts() async throws -> [JSONObject] {
        let response = try await http.send(HTTPRequest(method: .get, url: server.origin + "/__mock/users"))
        let document = try JSONParser.parse(bytes: Array(response.body))
        guard case .array(let users)? = document["users"] else { return [] }
        return users.compactMap { user in
            if case .object(let properties)? = user["properties"] { return properties }
            return nil
        }
    }

    /// The emails the mock holds, lower-cased, in creation order.
    func emails() async throws -> [String] {
        try await contacts().compactMap { contact in
            if case .string(let email)? = contact["email"] { return email.lowercased() }
            return nil
        }
    }

    /// Requests the mock answered on routes whose path contains one of `fragments`, whatever their status.
    func requests(to fragments: [String]) async throws -> Int {
        let response = try await http.send(HTTPRequest(method: .get, url: server.origin + "/__mock/stats"))
        guard case .object(let routes)? = try JSONParser.parse(bytes: Array(response.body))["routes"] else { return 0 }
        var total = 0
        for route in routes.members where fragments.contains(where: { route.key.contains($0) }) {
            guard case .object(let byStatus) = route.value else { continue }
            for status in byStatus.members {
                if case .number(let count) = status.value { total += Int(count) ?? 0 }
            }
        }
        return total
    }

    /// Write requests: batch create, update and upsert.
    func writes() async throws -> Int {
        try await requests(to: ["batch/create", "batch/update", "batch/upsert"])
    }
}
