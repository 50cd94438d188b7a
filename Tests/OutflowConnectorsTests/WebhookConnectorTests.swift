import Foundation
import OutflowConnectors
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The webhook connector against the webhook mock: batches, headers, Standard Webhooks signatures
/// and the deterministic `webhook-id`.
@Suite("Webhook connector")
struct WebhookConnectorTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    @Test func cannotLookUpAndDeliversEveryUserAsCreated() async throws {
        try await withConnector(.webhook) { (harness) async throws in
            #expect(harness.client.capabilities.canLookup == false)
            await #expect(throws: ApplicationError.self) { _ = try await harness.client.lookup(property: "email", values: [.string("a@b.c")]) }
            let results = await harness.client.create([user(["email": .string("a@example.org")]), user(["email": .string("b@example.org")])])
            #expect(results.allSatisfy { $0.isCreated })
            let deliveries = try await harness.users()
            #expect(deliveries.count == 1)
            #expect(deliveries[0]["body"]?["type"] == "users")
            guard case .array(let items)? = deliveries[0]["body"]?["users"] else {
                Issue.record("no users array")
                return
            }
            #expect(items.map { $0["user"]?["email"] } == ["a@example.org", "b@example.org"])
            #expect(items.map { $0["id"] }.compactMap { $0 }.count == 2)
            #expect(results.map(\.id) == items.map { $0["id"].flatMap { if case .string(let s) = $0 { s } else { nil } } })
        }
    }

    @Test func batchSizeIsAConnectionSetting() async throws {
        let server = try await MockServer.start(.webhook)
        defer { Task { await server.stop() } }
        let http = HTTPClient(configuration: .init(allowHosts: ["127.0.0.1"]))
        let client = try ConnectorClient(
            connector: TestConnectors.connector("webhook"),
            settings: ["url": .string(server.origin + "/webhook"), "batchSize": 2],
            transport: http,
            environment: [:]
        )
        #expect(client.capabilities.createBatchSize == 2)
        let results = await client.create((0..<5).map { user(["n": .int(Int64($0))]) })
        #expect(results.count == 5)
        #expect(results.allSatisfy { $0.isCreated })
        let response = try await http.send(HTTPRequest(url: server.origin + "/__mock/users"))
        guard case .array(let deliveries)? = try JSONParser.parse(bytes: response.body)["users"] else {
            Issue.record("no deliveries")
            return
        }
        #expect(deliveries.count == 3)
    }

    @Test func signedDeliveriesVerifyAndCarryConfiguredHeaders() async throws {
        var options = MockOptions()
        options.webhookSecret = Self.secret
        options.token = "hook-token"
        let settings: JSONObject = ["url": "placeholder", "secret": .string(Self.secret), "headers": ["Authorization": "Bearer hook-token"]]
        let server = try await MockServer.start(.webhook, options: options)
        defer { Task { await server.stop() } }
        var given = settings
        given["url"] = .string(server.origin + "/webhook")
        let http = HTTPClient(configuration: .init(allowHosts: ["127.0.0.1"]))
        let client = try ConnectorClient(connector: TestConnectors.connector("webhook"), settings: given, transport: http, environment: [:])
        let results = await client.create([user(["email": .string("a@example.org")])])
        #expect(results[0].isCreated, "\(results[0])")
        // A wrong secret is refused by the receiver (401), which the connector reports.
        given["secret"] = .string("whsec_" + Data("another key".utf8).base64EncodedString())
        let wrong = try ConnectorClient(connector: TestConnectors.connector("webhook"), settings: given, transport: http, environment: [:])
        let refused = await wrong.create([user(["email": .string("a@example.org")])])
        #expect(refused[0].failure?.contains("authentication failed") == true)
    }

    @Test func webhookIdIsDeterministicFromPipelineMatchingValueAndPayload() async throws {
        try await withConnector(.webhook) { (harness) async throws in
            let context = WriteContext(pipelineID: 7, matchingProperty: "email")
            let users = [user(["email": .string("a@example.org"), "plan": .string("pro")])]
            _ = await harness.client.create(users, context: context)
            _ = await harness.client.create(users, context: context)
            _ = await harness.client.create(users, context: WriteContext(pipelineID: 8, matchingProperty: "email"))
            _ = await harness.client.create([user(["email": .string("a@example.org"), "plan": .string("free")])], context: context)
            let ids = try await harness.users().map { $0["webhookId"] }
            #expect(ids.count == 4)
            #expect(ids[0] == ids[1])
            #expect(ids[0] != ids[2])
            #expect(ids[0] != ids[3])
            if case .string(let id)? = ids[0] { #expect(id.hasPrefix("msg_")) } else { Issue.record("no webhook-id") }
        }
    }

    @Test func testSendsAnEmptyDelivery() async throws {
        try await withConnector(.webhook) { (harness) async throws in
            try await harness.client.test()
            #expect(try await harness.users().first?["body"]?["type"] == "test")
        }
    }
}
