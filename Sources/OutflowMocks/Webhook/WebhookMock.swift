// A webhook receiver, for the generic webhook connector (DESIGN 9b): JSON batches POSTed to a
// configurable path, signed as Standard Webhooks specifies (https://www.standardwebhooks.com,
// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
import Foundation
import Hummingbird
import OutflowCore

/// The webhook mock: records every delivery it accepts; `GET /__mock/users` lists them.
///
/// A webhook has no credential scheme of its own: without `--token` any request is accepted; with
/// `--token V`, `Authorization: Bearer V` is required. With a secret, a delivery whose Standard
/// Webhooks signature does not verify gets 401 and is not recorded. Repeats (same `webhook-id`)
/// are recorded again: the connector delivers at least once and receivers drop repeats themselves.
struct WebhookMock: MockAPI {
    let path: String
    let secret: String?
    let deliveries = WebhookDeliveries()

    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule] {
        switch setting {
        case .default, .off: return []
        case .custom(let count, let window): return [RateLimitRule(policy: "webhook", limit: count, window: window) { _, _ in true }]
        }
    }

    func authenticationFailure(_ request: Request, token: String?) -> Response? {
        guard let token else { return nil }
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return MockHTTP.json(["error": "unauthorized"], status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
        }
        return nil
    }

    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response {
        let seconds = max(1, (MockDuration.milliseconds(retryAfter) + 999) / 1000)
        return MockHTTP.json(["error": "too many requests"], status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
    }

    func serverError(_ status: HTTPResponse.Status) -> Response {
        MockHTTP.json(["error": .string(status.reasonPhrase.lowercased())], status: status)
    }

    func decorate(_ response: inout Response, limit: RateLimitStatus?) {}

    func users() async -> [JSONValue] { await deliveries.all() }
    func load(_ users: [JSONValue]) async throws(MockLoadError) { await deliveries.append(contentsOf: users) }
    func reset() async { await deliveries.removeAll() }

    func addRoutes(to group: RouterGroup<MockRequestContext>) {
        let deliveries = self.deliveries
        let signer = secret.map(StandardWebhookSignature.init(secret:))
        group.post(RouterPath(path)) { request, context in
            let bytes = try await MockHTTP.bodyBytes(request, context: context)
            let id = request.headers[MockHTTP.name("webhook-id")]
            let timestamp = request.headers[MockHTTP.name("webhook-timestamp")]
            if let signer {
                do throws(StandardWebhookSignature.Failure) {
                    try signer.verify(id: id, timestamp: timestamp, signature: request.headers[MockHTTP.name("webhook-signature")], body: bytes)
                } catch {
                    return MockHTTP.json(["error": .string(error.description)], status: .unauthorized)
                }
            }
            let body: JSONValue
            do throws(JSONSyntaxError) {
                body = try JSONParser.parse(bytes: bytes)
            } catch {
                return MockHTTP.json(["error": .string("the body is not JSON: \(error)")], status: .badRequest)
            }
            await deliveries.append(contentsOf: [
                .object(jsonObject([
                    "webhookId": id.map { .string($0) } ?? .null,
                    "webhookTimestamp": timestamp.map { .string($0) } ?? .null,
                    "receivedAt": .string(HubSpotContact.timestamp(Date())),
                    "body": body,
                ]))
            ])
            return MockHTTP.empty(.noContent)
        }
    }
}

/// The deliveries received, in arrival order.
actor WebhookDeliveries {
    private var items: [JSONValue] = []
    func all() -> [JSONValue] { items }
    func append(contentsOf new: [JSONValue]) { items.append(contentsOf: new) }
    func removeAll() { items.removeAll() }
}
