import Foundation
@testable import OutflowConnectors
import OutflowCore
import Testing

/// Reading connector files: errors name the file and JSON path; the registry's sources and overrides.
@Suite("Connector files and registry")
struct ConnectorFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedFilesMatchTheConnectorsFolder() throws {
        let folder = Self.repository.appendingPathComponent("connectors")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(EmbeddedConnectorFiles.files.map(\.name) == names, "run connectors/embed.py")
        for file in EmbeddedConnectorFiles.files {
            let onDisk = try String(contentsOf: folder.appendingPathComponent(file.name), encoding: .utf8)
            #expect(file.text == String(onDisk.trimmingSuffix("\n")), "\(file.name) differs from its embedded copy: run connectors/embed.py")
        }
        #expect(try ConnectorRegistry.embedded().sorted.map { $0.name + ".json" } == names)
    }

    @Test(
        arguments: [
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "create": {"request": {"path": "/a"}, "item": {}, "batchSize": "ten", "wrapper": "w"}}"#,
                "create.batchSize", "expected an integer"
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "create": {"request": {"path": "/a", "method": "FETCH"}, "item": {}}}"#,
                "create.request.method", "expected GET, POST"
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "lookup": [{"properties": ["email"], "mode": "perUser", "request": {"path": "/a"}, "match": "email"}], "create": {"request": {"path": "/a"}, "item": {}}}"#,
                "lookup[0].mode", "perValue"
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "create": {"request": {"path": "/a"}, "item": {"e": "{{ md5(user.email }}"}}}"#,
                "create.item.e", "expected"
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "create": {"request": {"path": "/a"}, "item": {}}, "rateLimit": {"groups": {"default": {"requests": 5, "per": "soon"}}}}"#,
                "rateLimit.groups.default.per", "expected a duration"
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "create": {"request": {"path": "/a"}, "item": {}}, "auth": {"type": "beare"}}"#,
                "auth.type", "did you mean \"bearer\""
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "create": {"request": {"path": "/a"}, "item": {}}, "retrys": {}}"#,
                "retrys", "did you mean \"retry\""
            ),
            (
                #"{"name": "x", "schema": {"open": true}, "create": {"request": {"path": "/a"}, "item": {}}}"#,
                "settings", "baseURL"
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "create": {"request": {"path": "/a", "encoding": "from"}, "item": {}}}"#,
                "create.request.encoding", "did you mean \"form\""
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "lookup": [{"properties": ["email"], "request": {"path": "/a"}, "match": "email", "join": " OR "}], "create": {"request": {"path": "/a"}, "item": {}}}"#,
                "lookup[0].join", "needs \"item\""
            ),
            (
                #"{"name": "x", "settings": [{"name": "baseURL"}], "schema": {"open": true}, "create": {"request": {"path": "/a"}, "item": {}}, "rateLimit": {"groups": {"default": [{"requests": 5, "per": "1s"}, {"requests": 0, "per": "1m"}]}}}"#,
                "rateLimit.groups.default[1].requests", "expected an integer from 1"
            ),
        ] as [(String, String, String)]
    )
    func parseErrorsNameTheFileAndPath(text: String, path: String, message: String) {
        do {
            _ = try Connector.parse(Array(text.utf8), file: "connectors/x.json")
            Issue.record("expected an error at \(path)")
        } catch {
            let match = error.diagnostics.first { $0.path == path }
            #expect(match != nil, "\(error)")
            #expect(match?.file == "connectors/x.json")
            #expect(match?.message.contains(message) == true, "\(error)")
        }
    }

    @Test func aSyntaxErrorNamesLineAndColumn() {
        do {
            _ = try Connector.parse(Array("{\n  \"name\": \"x\",\n  oops\n}".utf8), file: "c.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("c.json: invalid JSON at line 3"), "\(error)")
        }
    }

    @Test func aFolderAddsAndOverridesAndReportsBadFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("connectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let hubspot = try String(contentsOf: Self.repository.appendingPathComponent("connectors/hubspot.json"), encoding: .utf8)
        try hubspot.replacingOccurrences(of: "\"title\": \"HubSpot\"", with: "\"title\": \"HubSpot (ours)\"")
            .write(to: folder.appendingPathComponent("hubspot.json"), atomically: true, encoding: .utf8)
        try hubspot.replacingOccurrences(of: "\"name\": \"hubspot\"", with: "\"name\": \"acme\"")
            .write(to: folder.appendingPathComponent("acme.json"), atomically: true, encoding: .utf8)
        let registry = try ConnectorRegistry.load(override: folder.path)
        #expect(registry.connector(named: "hubspot")?.title == "HubSpot (ours)")
        #expect(registry.connector(named: "acme") != nil)
        #expect(registry.connector(named: "mailchimp")?.source == "embedded")
        #expect(registry.knownNames.isSuperset(of: ["klaviyo", "brevo", "intercom", "mailerlite", "stripe", "webhook"]))

        try "{\"name\": 3}".write(to: folder.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
        do {
            _ = try ConnectorRegistry.load(override: folder.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.contains { $0.file?.hasSuffix("broken.json") == true && $0.path == "name" })
        }
        #expect(throws: ConnectorFileError.self) { _ = try ConnectorRegistry.load(override: folder.path + "/nope") }
    }

    @Test func allEightConnectorsAreAvailableAndAnUnknownOneHasASuggestion() throws {
        let registry = try ConnectorRegistry.embedded()
        for name in ["hubspot", "mailchimp", "webhook", "klaviyo", "brevo", "intercom", "mailerlite", "stripe"] {
            #expect(throws: Never.self) { _ = try registry.require(name) }
        }
        #expect(ConnectorRegistry.planned.isEmpty)
        do {
            _ = try registry.require("hubspto")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("did you mean \"hubspot\""))
        }
    }

    @Test func connectionSettingsAreValidatedWithoutPrintingSecrets() throws {
        let registry = try ConnectorRegistry.embedded()
        let connections = [
            Connection(id: 1, name: "a", connector: "hubspot", settings: ["acessToken": "s3cret-value"]),
            Connection(id: 2, name: "b", connector: "mailchimp", settings: ["apiKey": "${MC_KEY}", "listId": "L", "statusIfNew": "maybe"]),
            Connection(id: 3, name: "c", connector: "nosuch", settings: ["anything": 1]),
            Connection(id: 4, name: "d", connector: "hubspot", settings: [:], mock: MockSettings()),
        ]
        let problems = registry.validate(connections, file: "w.json")
        let text = problems.map(\.description)
        #expect(
            text.contains { $0.hasPrefix("w.json: connections[0].settings.acessToken: unknown setting; did you mean \"accessToken\"?") },
            "\(text)"
        )
        #expect(text.contains("w.json: connections[0].settings.accessToken: is required"))
        #expect(text.contains { $0.hasPrefix("w.json: connections[1].settings.statusIfNew: must be one of") })
        #expect(!text.contains { $0.contains("s3cret-value") })
        #expect(!text.contains { $0.contains("connections[2]") || $0.contains("connections[3]") })
        #expect(problems.count == 3)
    }

    @Test("validation checks the API origin a run resolves: given, derived or defaulted; not for mocks or ${NAME} settings")
    func validationChecksTheResolvedBaseURL() throws {
        let registry = try ConnectorRegistry.embedded()
        let connections = [
            Connection(id: 1, name: "a", connector: "hubspot", settings: ["accessToken": "t", "baseURL": "api.hubapi.com"]),
            Connection(id: 2, name: "b", connector: "webhook", settings: ["url": "ftp://example.com/in"]),
            Connection(id: 3, name: "c", connector: "mailchimp", settings: ["apiKey": "nodc", "listId": "L"]),
            Connection(id: 4, name: "d", connector: "hubspot", settings: ["accessToken": "t", "baseURL": "${HS_BASE}"]),
            Connection(id: 5, name: "e", connector: "hubspot", settings: [:], mock: MockSettings()),
            Connection(id: 6, name: "f", connector: "mailchimp", settings: ["apiKey": "k-us6", "listId": "L"]),
            Connection(id: 7, name: "g", connector: "hubspot", settings: ["accessToken": "t", "baseURL": "http://127.0.0.1:8089"]),
        ]
        let text = registry.validate(connections, file: "w.json").map(\.description)
        #expect(
            text == [
                "w.json: connections[0].settings.baseURL: must be an http or https URL, found \"api.hubapi.com\"",
                "w.json: connections[1].settings: baseURL must be an http or https URL, found \"ftp://example.com/in\"",
                "w.json: connections[2].settings: baseURL is not set, and these settings give it no default",
            ])
        // The client refuses the same settings with the same words.
        do {
            _ = try ConnectorClient(connector: TestConnectors.connector("hubspot"), connection: connections[0], transport: HTTPClientStub())
            Issue.record("expected the client to refuse the settings")
        } catch {
            #expect(error.description.hasSuffix("baseURL must be an http or https URL, found \"api.hubapi.com\""), "\(error)")
        }
    }

    @Test func environmentReferencesResolveAndAMissingOneIsNamed() throws {
        let hubspot = TestConnectors.connector("hubspot")
        let resolved = try hubspot.settings.resolve(["accessToken": "${HS_TOKEN}"], environment: ["HS_TOKEN": "t0k"])
        #expect(resolved["accessToken"] == "t0k")
        #expect(resolved["baseURL"] == "https://api.hubapi.com")
        #expect(throws: SettingsError(message: "environment variable HS_TOKEN (setting \"accessToken\") is not set")) {
            _ = try hubspot.settings.resolve(["accessToken": "${HS_TOKEN}"], environment: [:])
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: Character) -> Substring {
        var text = self[...]
        while text.last == suffix { text = text.dropLast() }
        return text
    }
}
