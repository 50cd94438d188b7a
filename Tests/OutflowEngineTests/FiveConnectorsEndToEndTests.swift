import Foundation
import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowHTTP
import OutflowMocks
import OutflowStore
import Testing

/// The engine through each connector of issue #8 against its mock: one CreateOrUpdate sync by
/// email that creates every profile with its name and plan at the connector's own paths, then a
/// re-run that sends nothing at all (every profile `unchanged`: no lookup, no write).
@Suite struct FiveConnectorsEndToEndTests {
    struct Row: Sendable, CustomStringConvertible {
        var kind: MockKind
        var settings: JSONObject
        /// outSchema paths the profile's `name` and `plan` map to (nil: not sent).
        var name: String
        var plan: String?
        var description: String { kind.rawValue }
    }

    static let rows: [Row] = [
        Row(kind: .klaviyo, settings: ["apiKey": "pk_test"], name: "first_name", plan: "properties.plan"),
        Row(kind: .stripe, settings: ["secretKey": "sk_test_e2e"], name: "name", plan: "metadata.plan"),
        Row(kind: .intercom, settings: ["accessToken": "token"], name: "name", plan: "custom_attributes.plan"),
        Row(kind: .brevo, settings: ["apiKey": "xkeysib-e2e"], name: "attributes.FIRSTNAME", plan: "attributes.LASTNAME"),
        Row(kind: .mailerlite, settings: ["apiKey": "token"], name: "fields.name", plan: "fields.company"),
    ]

    static var profiles: [[String: Any]] { (1...12).map { ["id": $0, "email": "p\($0)@example.org", "name": "P\($0)", "plan": $0 % 2 == 0 ? "pro" : "free"] } }

    @Test(arguments: rows)
    func aSyncCreatesEveryProfileAndARerunSendsNothing(_ row: Row) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = try Self.profiles.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("profiles.ndjson"), atomically: true, encoding: .utf8)
        let workspace = try Workspace.decode(try JSONParser.parse(Self.workspace(row)))
        let pipeline = workspace.pipelines[0]
        let store = try StateStore(inMemory: ())

        var options = MockOptions()
        options.rateLimit = .off
        let server = try await MockServer.start(row.kind, options: options)
        let http = HTTPClient(configuration: .init(allowHosts: ["127.0.0.1", "localhost"]))
        defer { http.shutdown() }
        do {
            let connector = try ConnectorRegistry.embedded().require(row.kind.rawValue)
            var settings = row.settings
            settings["baseURL"] = .string(server.origin)
            let client = try ConnectorClient(connector: connector, settings: settings, transport: http, environment: [:])
            func run() async throws -> RunReport {
                try await ExportEngine(
                    workspace: workspace.name, pipeline: pipeline, source: workspace.warehouse.profiles,
                    sourceURL: directory.appendingPathComponent("profiles.ndjson"), client: client, store: store, options: ExportOptions()
                ).run()
            }
            let first = try await run()
            #expect(first.run.status == .finished, "\(first.run.error ?? "")")
            #expect(first.run.counts == RunCounts(read: 12, created: 12), "\(first.errors.map(\.message))")
            let users = try await Self.users(server, http)
            #expect(users.count == 12)
            let p2 = users.first { Self.read($0, "email", row.kind)?.lowercased() == "p2@example.org" }
            #expect(p2.flatMap { Self.read($0, row.name, row.kind) } == "P2")
            if let plan = row.plan { #expect(p2.flatMap { Self.read($0, plan, row.kind) } == "pro") }

            let before = try await Self.total(server, http)
            let second = try await run()
            #expect(second.run.counts == RunCounts(read: 12, unchanged: 12), "\(second.errors.map(\.message))")
            #expect(try await Self.total(server, http) == before, "a re-run with nothing changed sent requests")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// A user's value at a user-schema path, in the shape `/__mock/users` prints (Klaviyo's inside `attributes`).
    static func read(_ user: JSONValue, _ path: String, _ kind: MockKind) -> String? {
        var current: JSONValue? = kind == .klaviyo ? user["attributes"] : user
        for part in path.split(separator: ".") { current = current?[String(part)] }
        if case .string(let text)? = current { return text }
        return nil
    }

    static func users(_ server: MockServer, _ http: HTTPClient) async throws -> [JSONValue] {
        let response = try await http.send(HTTPRequest(url: server.origin + "/__mock/users"))
        guard case .array(let users)? = try JSONParser.parse(bytes: response.body)["users"] else { return [] }
        return users
    }

    static func total(_ server: MockServer, _ http: HTTPClient) async throws -> Int {
        let response = try await http.send(HTTPRequest(url: server.origin + "/__mock/stats"))
        if case .number(let n)? = try JSONParser.parse(bytes: response.body)["total"] { return Int(n) ?? -1 }
        return -1
    }

    /// One pipeline, CreateOrUpdate matching email, mapping name and plan to the row's paths.
    static func workspace(_ row: Row) -> String {
        var mapping = ["\"\(row.name)\": \"name\""]
        var paths = [row.name]
        if let plan = row.plan {
            mapping.append("\"\(plan)\": \"plan\"")
            paths.append(plan)
        }
        return """
            {
              "name": "e2e",
              "warehouse": {"profiles": {"path": "profiles.ndjson", "format": "ndjson", "key": "id",
                "schema": {"kind": "object", "properties": [
                  {"name": "id", "type": {"kind": "int", "bitSize": 64}},
                  {"name": "email", "type": {"kind": "string"}, "nullable": true},
                  {"name": "name", "type": {"kind": "string"}, "nullable": true},
                  {"name": "plan", "type": {"kind": "string"}, "nullable": true}
                ]}}},
              "connections": [{"id": 1, "name": "App", "connector": "\(row.kind.rawValue)", "settings": {}}],
              "pipelines": [{
                "id": 9, "name": "E2E", "connection": 1, "target": "User", "enabled": true, "filter": null,
                "matching": {"in": "email", "out": "email"},
                "exportMode": "CreateOrUpdate", "updateOnDuplicates": false,
                "transformation": {"mapping": {\(mapping.joined(separator: ", "))}},
                "inSchema": {"kind": "object", "properties": [
                  {"name": "email", "type": {"kind": "string"}, "nullable": true},
                  {"name": "name", "type": {"kind": "string"}, "nullable": true},
                  {"name": "plan", "type": {"kind": "string"}, "nullable": true}
                ]},
                "outSchema": \(outSchema(["email"] + paths))
              }]
            }
            """
    }

    /// An object schema holding string properties at dotted `paths`.
    static func outSchema(_ paths: [String]) -> String {
        var top: [String] = []
        var nested: [String: [String]] = [:]
        for path in paths {
            let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 1 {
                top.append(parts[0])
            } else {
                if nested[parts[0]] == nil { top.append(parts[0]) }
                nested[parts[0], default: []].append(parts[1])
            }
        }
        let properties = top.map { name -> String in
            if let inner = nested[name] {
                let members = inner.map { #"{"name": "\#($0)", "type": {"kind": "string"}, "nullable": true}"# }.joined(separator: ", ")
                return #"{"name": "\#(name)", "type": {"kind": "object", "properties": [\#(members)]}, "readOptional": true}"#
            }
            return #"{"name": "\#(name)", "type": {"kind": "string"}, "nullable": true}"#
        }
        return #"{"kind": "object", "properties": [\#(properties.joined(separator: ", "))]}"#
    }
}
