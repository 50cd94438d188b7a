import Foundation
import Testing

/// `outflow connectors list|show`, `outflow connections test|schema` and `validate --remote`, run as a user would.
@Suite struct ConnectorsCommandTests {
    static let demo = CLIProcess.fixture("workspaces/demo.json")

    @Test func listShowsTheBuiltInAndPlannedConnectors() throws {
        let result = try CLIProcess.run(["connectors", "list"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdoutLines
        #expect(lines.contains("hubspot\tHubSpot\tlookup,create,update,upsert\tembedded"))
        #expect(lines.contains("mailchimp\tMailchimp\tlookup,create,update,upsert\tembedded"))
        #expect(lines.contains("webhook\tWebhook\tcreate\tembedded"))
        #expect(lines.contains("klaviyo\tKlaviyo\tlookup,create,update\tembedded"))
        #expect(lines.contains("mailerlite\tMailerLite\tlookup,create,update,upsert\tembedded"))
        #expect(!lines.contains { $0.hasSuffix("planned") })
    }

    @Test func showPrintsSettingsLimitsAndDocs() throws {
        let result = try CLIProcess.run(["connectors", "show", "mailchimp"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("docs: https://mailchimp.com/developer/marketing/api/list-members/"))
        #expect(text.contains("apiKey  (string, required, secret)"))
        #expect(text.contains("statusIfNew  (string, one of subscribed|unsubscribed|cleaned|pending|transactional, default \"subscribed\")"))
        #expect(text.contains("at most 10 requests in flight"))
        #expect(text.contains("upsert: POST /3.0/lists/{{ settings.listId }}, 500 per request, matching email_address"))
        let klaviyo = try CLIProcess.run(["connectors", "show", "klaviyo"])
        #expect(klaviyo.stdout.contains("default: 75 requests per 1 s and 700 requests per 60 s"), "\(klaviyo.stdout)")
        let missing = try CLIProcess.run(["connectors", "show", "hubspto"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("did you mean \"hubspot\""))
    }

    @Test func aConnectorsFolderOverridesAndBrokenFilesNameTheirPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-connectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let hubspot = try String(contentsOf: CLIProcess.root.appendingPathComponent("connectors/hubspot.json"), encoding: .utf8)
        try hubspot.replacingOccurrences(of: "\"title\": \"HubSpot\"", with: "\"title\": \"Our HubSpot\"")
            .write(to: folder.appendingPathComponent("hubspot.json"), atomically: true, encoding: .utf8)
        let listed = try CLIProcess.run(["connectors", "list", "--connectors", folder.path])
        #expect(
            listed.stdoutLines.contains { $0.hasPrefix("hubspot\tOur HubSpot\t") && $0.hasSuffix(folder.appendingPathComponent("hubspot.json").path) }
        )
        try
            #"{"name": "broken", "settings": [], "schema": {"open": true}, "create": {"request": {"path": "/x"}, "item": {}, "batchSize": 0, "wrapper": "w"}}"#
            .write(to: folder.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
        let broken = try CLIProcess.run(["connectors", "list", "--connectors", folder.path])
        #expect(broken.status == 1)
        #expect(
            broken.stderr.contains(
                folder.appendingPathComponent("broken.json").path + ": create.batchSize: expected an integer from 1 to 10000, found 0"
            )
        )
    }

    @Test func connectionsTestAndSchemaRunAgainstTheMock() throws {
        let tested = try CLIProcess.run(["connections", "test", "1", Self.demo])
        #expect(tested.status == 0, "\(tested.stderr)")
        #expect(tested.stdout == "connection 1 (Demo HubSpot, hubspot, mock): ok\n")
        let schema = try CLIProcess.run(["connections", "schema", "1", Self.demo])
        #expect(schema.status == 0, "\(schema.stderr)")
        #expect(schema.stdoutLines.contains("email\tstring"))
        #expect(schema.stdoutLines.contains("firstname\tstring"))
        #expect(!schema.stdoutLines.contains { $0.hasPrefix("hs_object_id\t") })
        let json = try CLIProcess.run(["connections", "schema", "Demo HubSpot", Self.demo, "--json"])
        #expect(json.stdout.hasPrefix("{\"kind\":\"object\",\"properties\":["))
        let unknown = try CLIProcess.run(["connections", "test", "99", Self.demo])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no connection has the id or name \"99\""))
    }

    /// A workspace in a temporary folder whose connection is `connection` (JSON text).
    func workspace(connection: String, renames: [(String, String)] = []) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-conn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: Self.demo, encoding: .utf8)
        text = text.replacingOccurrences(of: "../profiles/customers.csv", with: CLIProcess.fixture("profiles/customers.csv"))
        let start = text.range(of: "\"connections\": [")!
        let end = text.range(of: "],", range: start.upperBound..<text.endIndex)!
        text.replaceSubrange(start.upperBound..<end.lowerBound, with: connection)
        for (from, to) in renames { text = text.replacingOccurrences(of: from, with: to) }
        try text.write(to: directory.appendingPathComponent("outflow.json"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func anUnreachableApplicationAndAMissingVariableAreClearErrorsWithoutTheSecret() async throws {
        let directory = try workspace(
            connection:
                #"{"id": 1, "name": "Demo HubSpot", "connector": "hubspot", "settings": {"baseURL": "http://127.0.0.1:9", "accessToken": "${HS_TOKEN}"}}"#
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["HS_TOKEN"] = "very-secret-token"
        let result = try CLIProcess.run(["connections", "test", "1"], in: directory, environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("connection 1 (Demo HubSpot): hubspot: test request: could not connect to http://127.0.0.1:9/"))
        #expect(!result.stderr.contains("very-secret-token"))
        environment["HS_TOKEN"] = nil
        let missing = try CLIProcess.run(["connections", "test", "1"], in: directory, environment: environment)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("environment variable HS_TOKEN (setting \"accessToken\") is not set"))
    }

    @Test func validateChecksSettingsAndRemoteSchema() throws {
        let settings = try workspace(connection: #"{"id": 1, "name": "Demo HubSpot", "connector": "hubspot", "settings": {"acessToken": "x"}}"#)
        defer { try? FileManager.default.removeItem(at: settings) }
        let invalid = try CLIProcess.run(["validate"], in: settings)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("connections[0].settings.acessToken: unknown setting; did you mean \"accessToken\"?"))
        #expect(invalid.stderr.contains("connections[0].settings.accessToken: is required"))

        let remote = try CLIProcess.run(["validate", "--remote", Self.demo])
        #expect(remote.status == 0, "\(remote.stderr)")
        let renamed = try workspace(
            connection: #"{"id": 1, "name": "Demo HubSpot", "connector": "hubspot", "settings": {}, "mock": true}"#,
            renames: [
                ("\"city\": \"coalesce", "\"cty\": \"coalesce"), ("\n            \"name\": \"city\",", "\n            \"name\": \"cty\","),
            ]
        )
        defer { try? FileManager.default.removeItem(at: renamed) }
        let local = try CLIProcess.run(["validate"], in: renamed)
        #expect(local.status == 0, "\(local.stderr)")
        let checked = try CLIProcess.run(["validate", "--remote"], in: renamed)
        #expect(checked.status == 1)
        #expect(
            checked.stderr.contains("outSchema.properties[5]: property \"cty\" is not among hubspot's user properties; did you mean \"city\"?"),
            "\(checked.stderr)"
        )
    }
}
