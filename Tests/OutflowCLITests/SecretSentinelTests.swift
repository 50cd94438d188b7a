import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Testing

/// DESIGN section 4: secrets never appear in logs, errors, `--json` output, the API's responses or
/// (in the clear) the state store. A sentinel secret goes through every command and endpoint a user
/// reaches, and the test fails if it shows up anywhere.
@Suite(.serialized) struct SecretSentinelTests {
    /// The secret; the HubSpot and Mailchimp mocks accept only it, so a run that succeeds proves it
    /// was sent to the application.
    static let sentinel = "sk-SENTINEL-4f1c9e27b5d3a8c06e1f"
    /// The webhook signing secret (used as it is: it has no `whsec_` prefix).
    static let webhookSentinel = "wh-SENTINEL-7a2d5c81e9f04b36"
    /// The literal secret stored through the API.
    static let apiSentinel = "sk-SENTINEL-API-90b3e1d7c2a4f658"
    static let all = [sentinel, webhookSentinel, apiSentinel]

    /// Every place the text of `output` holds a sentinel, as `label: …context…`.
    static func leaks(_ label: String, _ output: String) -> [String] {
        all.compactMap { secret in
            guard let range = output.range(of: secret) else { return nil }
            let start = output.index(range.lowerBound, offsetBy: -80, limitedBy: output.startIndex) ?? output.startIndex
            let end = output.index(range.upperBound, offsetBy: 40, limitedBy: output.endIndex) ?? output.endIndex
            return "\(label): …\(output[start..<end])…"
        }
    }

    /// Every sentinel, as bytes, found in the files of `directory` (the state store and its WAL).
    static func fileLeaks(_ directory: URL) -> [String] {
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let file as URL in files {
            guard let data = try? Data(contentsOf: file) else { continue }
            for secret in all where data.range(of: Data(secret.utf8)) != nil { found.append("\(file.lastPathComponent) holds \(secret)") }
        }
        return found
    }

    /// A workspace whose connections carry the sentinel through `${VAR}`: HubSpot and Mailchimp
    /// at mocks that accept only it, a webhook signed with it, a HubSpot whose mock wants another
    /// token (so its run fails authentication and prints errors), and a bundled mock connection.
    static func workspace(hubspot: String, mailchimp: String, webhook: String, refusing: String) -> String {
        let schema = #"{ "kind": "object", "properties": [ { "name": "id", "type": { "kind": "int", "bitSize": 32 } }, { "name": "email", "type": { "kind": "string" }, "nullable": true } ] }"#
        func pipeline(_ id: Int, _ connection: Int, _ out: String, _ mapping: String, _ outSchema: String) -> String {
            #"{ "id": \#(id), "name": "P\#(id)", "connection": \#(connection), "target": "User", "enabled": true, "matching": { "in": "email", "out": "\#(out)" }, "exportMode": "CreateOrUpdate", "transformation": { "mapping": { \#(mapping) } }, "inSchema": { "kind": "object", "properties": [ { "name": "email", "type": { "kind": "string" }, "nullable": true } ] }, "outSchema": { "kind": "object", "properties": [ \#(outSchema) ] } }"#
        }
        let hubspotOut = #"{ "name": "email", "type": { "kind": "string" }, "nullable": true }, { "name": "firstname", "type": { "kind": "string" }, "nullable": true }"#
        let mailchimpOut = #"{ "name": "email_address", "type": { "kind": "string" }, "nullable": true }, { "name": "merge_fields", "type": { "kind": "object", "properties": [ { "name": "FNAME", "type": { "kind": "string" }, "nullable": true } ] }, "nullable": true }"#
        let webhookOut = #"{ "name": "email", "type": { "kind": "string" }, "nullable": true }, { "name": "name", "type": { "kind": "string" }, "nullable": true }"#
        return """
            { "name": "secrets",
              "warehouse": { "profiles": { "path": "p.csv", "schema": \(schema), "key": "id" } },
              "connections": [
                { "id": 1, "name": "HubSpot", "connector": "hubspot", "settings": { "baseURL": "\(hubspot)", "accessToken": "${SENTINEL_TOKEN}" } },
                { "id": 2, "name": "Mailchimp", "connector": "mailchimp", "settings": { "baseURL": "\(mailchimp)", "apiKey": "${SENTINEL_TOKEN}", "listId": "a1b2c3d4e5" } },
                { "id": 3, "name": "Webhook", "connector": "webhook", "settings": { "url": "\(webhook)/webhook", "secret": "${SENTINEL_WEBHOOK}", "headers": { "X-Api-Key": "${SENTINEL_TOKEN}" } } },
                { "id": 4, "name": "Refusing", "connector": "hubspot", "settings": { "baseURL": "\(refusing)", "accessToken": "${SENTINEL_TOKEN}" } },
                { "id": 5, "name": "Mock", "connector": "hubspot", "settings": { "accessToken": "${SENTINEL_TOKEN}" }, "mock": true } ],
              "pipelines": [
                \(pipeline(1, 1, "email", #""firstname": "email""#, hubspotOut)),
                \(pipeline(2, 2, "email_address", #""merge_fields.FNAME": "email""#, mailchimpOut)),
                \(pipeline(3, 3, "email", #""name": "email""#, webhookOut)),
                \(pipeline(4, 4, "email", #""firstname": "email""#, hubspotOut)),
                \(pipeline(5, 5, "email", #""firstname": "email""#, hubspotOut)) ] }
            """
    }

    struct Fixture {
        var directory: URL
        var environment: [String: String]
        var mocks: [BackgroundCLI]
    }

    static func fixture() async throws -> Fixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let hubspot = try await BackgroundCLI.start(["mock", "hubspot", "--port", "0", "--token", sentinel, "--log-level", "trace"])
        let mailchimp = try await BackgroundCLI.start(["mock", "mailchimp", "--port", "0", "--token", sentinel, "--log-level", "trace"])
        let webhook = try await BackgroundCLI.start(["mock", "webhook", "--port", "0", "--secret", webhookSentinel, "--log-level", "trace"])
        let refusing = try await BackgroundCLI.start(["mock", "hubspot", "--port", "0", "--token", "another-token"])
        let text = workspace(hubspot: hubspot.origin, mailchimp: mailchimp.origin, webhook: webhook.origin, refusing: refusing.origin)
        try text.write(to: directory.appendingPathComponent("outflow.json"), atomically: true, encoding: .utf8)
        try "id,email\n1,ada@example.org\n2,alan@example.org\n3,\n".write(to: directory.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["SENTINEL_TOKEN"] = sentinel
        environment["SENTINEL_WEBHOOK"] = webhookSentinel
        return Fixture(directory: directory, environment: environment, mocks: [hubspot, mailchimp, webhook, refusing])
    }

    @Test("no command prints the secret of a ${VAR} setting, and the state store does not hold it")
    func commands() async throws {
        let fixture = try await Self.fixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        var found: [String] = []
        var statuses: [String: Int32] = [:]
        func run(_ arguments: [String]) throws -> CLIProcess.Result {
            let result = try CLIProcess.run(arguments + ["--log-level", "trace"], in: fixture.directory, environment: fixture.environment)
            let label = arguments.joined(separator: " ")
            statuses[label] = result.status
            found += Self.leaks(label + " (stdout)", result.stdout) + Self.leaks(label + " (stderr)", result.stderr)
            return result
        }
        let ws = "outflow.json"
        _ = try run(["validate", ws])
        _ = try run(["validate", ws, "--remote"])
        for id in 1...5 { _ = try run(["preview", ws, "--pipeline", "\(id)"]) }
        _ = try run(["run", ws, "--dry-run", "--json"])
        _ = try run(["run", ws, "--dry-run"])
        let json = try run(["run", ws, "--json"])
        _ = try run(["run", ws, "--full"])
        for id in 1...5 {
            _ = try run(["connections", "test", "\(id)", ws])
            _ = try run(["connections", "schema", "\(id)", ws])
        }
        for name in ["hubspot", "mailchimp", "webhook"] { _ = try run(["connectors", "show", name]) }
        _ = try run(["runs", "list", ws])
        _ = try run(["runs", "list", ws, "--json"])
        let runIds = json.stdoutLines.compactMap { line -> Int? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["runId"] as? Int
        }
        #expect(runIds.count == 5, "\(json.stdout)")
        for id in runIds {
            for command in ["show", "errors"] {
                _ = try run(["runs", command, "\(id)", ws])
                _ = try run(["runs", command, "\(id)", ws, "--json"])
            }
        }
        for mock in fixture.mocks { mock.stop() }

        // The secret did reach the applications (each mock accepts only the sentinel), and the
        // refused connection did fail with its error printed.
        #expect(json.stdout.contains(#""pipeline":1,"status":"finished""#), "\(json.stdout)")
        #expect(json.stdout.contains(#""pipeline":2,"status":"finished""#), "\(json.stdout)")
        #expect(json.stdout.contains(#""pipeline":3,"status":"finished""#), "\(json.stdout)")
        #expect(json.stdout.contains(#""pipeline":4,"status":"failed""#) && json.stdout.contains("authentication failed"), "\(json.stdout)")
        #expect(json.stdout.contains(#""created":2"#))
        #expect(statuses["connections test 1 outflow.json"] == 0)
        #expect(statuses["connections test 4 outflow.json"] == 1)
        found += Self.fileLeaks(fixture.directory)
        #expect(found.isEmpty, "the secret leaked:\n\(found.joined(separator: "\n"))")
    }

    @Test("the API never returns or logs a secret, and stores a literal one sealed")
    func api() async throws {
        let fixture = try await Self.fixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let literal = try await BackgroundCLI.start(["mock", "hubspot", "--port", "0", "--token", Self.apiSentinel])
        var environment = fixture.environment
        environment["OUTFLOW_SECRET_KEY"] = Data(repeating: 42, count: 32).base64EncodedString()
        let ws = fixture.directory.appendingPathComponent("outflow.json").path
        let admin = try #require(try CLIProcess.run(["tokens", "create", "--admin", ws], environment: environment).stdoutLines.first)
        let token = try #require(try CLIProcess.run(["tokens", "create", "--workspace", "secrets", ws], environment: environment).stdoutLines.first)
        let server = try await BackgroundCLI.start(
            ["serve", ws, "--port", "0", "--allow-hosts", "127.0.0.1,localhost", "--log-level", "trace"], environment: environment)
        var found: [String] = []
        var bodies: [String: (Int, String)] = [:]
        @discardableResult
        func send(_ method: String, _ path: String, _ body: String? = nil, token: String = token) async throws -> (status: Int, body: String) {
            var request = URLRequest(url: try #require(URL(string: server.origin + path)))
            request.httpMethod = method
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let text = String(decoding: data, as: UTF8.self)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            bodies["\(method) \(path)"] = (status, text)
            found += Self.leaks("\(method) \(path) -> \(status)", text)
            return (status, text)
        }
        func id(_ text: String, _ key: String) -> String {
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
            return (object?[key]).map { "\($0)" } ?? ""
        }

        // A literal secret through the API, then a pipeline on it.
        let created = try await send(
            "POST", "/v1/connections", #"{"name":"Literal","connector":"hubspot","settings":{"baseURL":"\#(literal.origin)","accessToken":"\#(Self.apiSentinel)"}}"#)
        #expect(created.status == 200, "\(created.body)")
        let connection = id(created.body, "id")
        let pipelineBody = #"{"name":"Literal","connection":\#(connection),"target":"User","enabled":true,"filter":null,"matching":{"in":"email","out":"email"},"exportMode":"CreateOrUpdate","updateOnDuplicates":false,"transformation":{"mapping":{"firstname":"email"}},"inSchema":{"kind":"object","properties":[{"name":"email","type":{"kind":"string"},"nullable":true}]},"outSchema":{"kind":"object","properties":[{"name":"email","type":{"kind":"string"},"nullable":true},{"name":"firstname","type":{"kind":"string"},"nullable":true}]}}"#
        let pipeline = try await send("POST", "/v1/pipelines", pipelineBody)
        #expect(pipeline.status == 200, "\(pipeline.body)")
        let literalPipeline = id(pipeline.body, "id")
        // Requests that fail with the secret in them: an unknown setting, a bad connector.
        let unknown = try await send(
            "PUT", "/v1/connections/\(connection)", #"{"name":"Literal","connector":"hubspot","settings":{"acessToken":"\#(Self.apiSentinel)"}}"#)
        #expect(unknown.status == 422, "\(unknown.body)")
        try await send("POST", "/v1/connections", #"{"name":"X","connector":"nosuch","settings":{"apiKey":"\#(Self.apiSentinel)"}}"#)
        try await send("POST", "/v1/connections", #"{"name":"X","connector":"hubspot","settings":{"accessToken":5,"baseURL":"\#(Self.apiSentinel)"}}"#)
        // A PUT that leaves the secret out keeps it.
        let kept = try await send("PUT", "/v1/connections/\(connection)", #"{"name":"Literal","connector":"hubspot","settings":{"baseURL":"\#(literal.origin)"}}"#)
        #expect(kept.status == 200 || kept.status == 204, "\(kept.body)")

        // Run every pipeline; wait for each to end.
        var runs: [(String, String)] = []
        for pipeline in ["1", "2", "3", "4", "5", literalPipeline] {
            let started = try await send("POST", "/v1/pipelines/\(pipeline)/runs")
            #expect(started.status == 200, "\(pipeline): \(started.body)")
            runs.append((pipeline, id(started.body, "runId")))
        }
        for (pipeline, run) in runs {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let status = try await send("GET", "/v1/pipelines/\(pipeline)/runs/\(run)/status")
                if id(status.body, "status") == "finished" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let job = try await send("POST", "/sources/secrets/start")
        if job.status == 200 {
            let run = id(job.body, "runId")
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, id(try await send("GET", "/sources/secrets/runs/\(run)/status").body, "status") != "finished" {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        for path in [
            "/v1/workspaces/secrets", "/v1/workspaces/secrets/revisions", "/v1/connections", "/v1/pipelines",
            "/v1/connections/1", "/v1/connections/2", "/v1/connections/3", "/v1/connections/4", "/v1/connections/5", "/v1/connections/\(connection)",
            "/v1/pipelines/1", "/v1/pipelines/\(literalPipeline)", "/openapi.json", "/health",
        ] {
            try await send("GET", path)
        }
        try await send("GET", "/v1/workspaces", token: admin)
        try await send("GET", "/metrics", token: admin)
        try await send("POST", "/v1/workspaces/secrets/validate")
        let log = server.stop()
        literal.stop()
        for mock in fixture.mocks { mock.stop() }

        // The runs did send: the literal secret was unsealed for its run, the refused one failed.
        let literalRun = bodies["GET /v1/pipelines/\(literalPipeline)/runs/\(runs.last?.1 ?? "")/status"]?.1 ?? ""
        #expect(literalRun.contains(#""created":2"#), "\(literalRun)")
        let refusedRun = bodies["GET /v1/pipelines/4/runs/\(runs[3].1)/status"]?.1 ?? ""
        #expect(refusedRun.contains("authentication failed"), "\(refusedRun)")
        #expect(!log.isEmpty)
        found += Self.leaks("serve log", log)
        found += Self.fileLeaks(fixture.directory)
        #expect(found.isEmpty, "the secret leaked:\n\(found.joined(separator: "\n"))")
    }

    @Test func theLeakCheckFindsASentinel() {
        #expect(Self.leaks("x", "a \(Self.apiSentinel) b").count == 1)
        #expect(Self.leaks("x", "sk-SENTINEL").isEmpty)
    }
}
