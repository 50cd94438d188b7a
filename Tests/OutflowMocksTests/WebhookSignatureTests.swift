import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The webhook mock's Standard Webhooks signature check.
@Suite("Mocks: webhook signatures")
struct WebhookSignatureTests {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// The example of the Standard Webhooks reference libraries (msg id, timestamp, payload, signature).
    @Test func knownVector() {
        let signer = StandardWebhookSignature(secret: secret)
        let body = Array(#"{"test": 2432232314}"#.utf8)
        #expect(signer.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    private func deliver(_ mock: MockHarness, body: String, headers: [(String, String)]) async throws -> Int {
        var request = HTTPRequest(method: .post, url: mock.server.origin + "/hooks/outflow")
        request.headers = HTTPHeaders(headers + [("Content-Type", "application/json")])
        request.body = Array(body.utf8)
        return try await mock.client.send(request).status
    }

    @Test func signedDeliveriesAreAcceptedOthersRefused() async throws {
        var options = MockOptions()
        options.webhookPath = "/hooks/outflow"
        options.webhookSecret = secret
        try await withMock(.webhook, options: options) { mock in
            let signer = StandardWebhookSignature(secret: secret)
            let body = #"{"users":[{"email":"a@example.org"}]}"#
            let now = Int(Date().timeIntervalSince1970)
            let signature = signer.sign(id: "msg_1", timestamp: now, body: Array(body.utf8))
            let good = [("webhook-id", "msg_1"), ("webhook-timestamp", String(now)), ("webhook-signature", "v1,bm90IGl0 " + signature)]
            #expect(try await deliver(mock, body: body, headers: good) == 204)

            let tampered = [("webhook-id", "msg_2"), ("webhook-timestamp", String(now)), ("webhook-signature", signature)]
            #expect(try await deliver(mock, body: body, headers: tampered) == 401)
            let stale = signer.sign(id: "msg_3", timestamp: now - 600, body: Array(body.utf8))
            let old = [("webhook-id", "msg_3"), ("webhook-timestamp", String(now - 600)), ("webhook-signature", stale)]
            #expect(try await deliver(mock, body: body, headers: old) == 401)
            #expect(try await deliver(mock, body: body, headers: []) == 401)

            let deliveries = try await mock.users()
            #expect(deliveries.count == 1)
            #expect(deliveries[0]["webhookId"] == "msg_1")
        }
    }
}
