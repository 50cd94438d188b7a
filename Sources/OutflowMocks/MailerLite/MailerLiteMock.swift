// MailerLite API (connect.mailerlite.com, the "new" MailerLite), as its public reference documents it:
//   https://developers.mailerlite.com/docs/#authentication          (Authorization: Bearer token; 401 "Unauthenticated.")
//   https://developers.mailerlite.com/docs/#rates                   (120 requests per minute; X-RateLimit-Limit/-Remaining; 429 with Retry-After)
//   https://developers.mailerlite.com/docs/#validation-errors       (422 {"message","errors":{field:[...]}})
//   https://developers.mailerlite.com/docs/subscribers.html#create-upsert-subscriber
//                                                                   (POST /api/subscribers: 201 created, 200 updated, non-destructive)
//   https://developers.mailerlite.com/docs/subscribers.html#fetch-a-subscriber   (GET /api/subscribers/{id or email})
//   https://developers.mailerlite.com/docs/subscribers.html#update-a-subscriber  (PUT /api/subscribers/{id})
//   https://developers.mailerlite.com/docs/fields.html#list-all-fields          (GET /api/fields)
//   https://developers.mailerlite.com/docs/batching.html            (POST /api/batch: up to 50 requests; total, successful, failed, responses)
import Foundation
import Hummingbird
import HTTPTypes
import OutflowCore

/// The MailerLite mock: the subscribers of one account, with MailerLite's paths, `{"data":...}`
/// bodies, 422 validation errors, the batch endpoint and its per-minute limit.
///
/// Not imitated: groups and segments (group ids are kept, not checked), forms, deleting and
/// forgetting subscribers, `GET /api/subscribers` listing and its filters, creating fields, field
/// types (every field is text), double opt-in, and the import endpoint.
struct MailerLiteMock: MockAPI {
    let store: MailerLiteStore
    /// The calendar of `X-RateLimit-Reset` (`MockOptions.clock`).
    let clock: MockClock

    // MARK: MockAPI

    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule] {
        switch setting {
        case .off: return []
        case .default: return [RateLimitRule(policy: "minute", limit: 120, window: .seconds(60)) { _, _ in true }]
        case .custom(let count, let window): return [RateLimitRule(policy: "minute", limit: count, window: window) { _, _ in true }]
        }
    }

    func authenticationFailure(_ request: Request, token: String?) -> Response? {
        let header = request.headers[.authorization] ?? ""
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return MailerLiteError.unauthenticated.response }
        let credential = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        guard !credential.isEmpty, token == nil || credential == token else { return MailerLiteError.unauthenticated.response }
        return nil
    }

    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response {
        var response = MailerLiteError.tooManyAttempts.response
        let seconds = RateLimitStatus.seconds(retryAfter)
        response.headers[MockHTTP.name("Retry-After")] = String(seconds)
        response.headers[MockHTTP.name("X-RateLimit-Limit")] = String(rule.limit)
        response.headers[MockHTTP.name("X-RateLimit-Remaining")] = "0"
        // Rounded up: a reset truncated to the current second would name a time before the window frees.
        response.headers[MockHTTP.name("X-RateLimit-Reset")] = String(Int((clock.date().timeIntervalSince1970 + Double(seconds)).rounded(.up)))
        return response
    }

    func serverError(_ status: HTTPResponse.Status) -> Response { MailerLiteError.server(status).response }

    func decorate(_ response: inout Response, limit: RateLimitStatus?) {
        guard let limit, response.headers[MockHTTP.name("X-RateLimit-Limit")] == nil else { return }
        response.headers[MockHTTP.name("X-RateLimit-Limit")] = String(limit.limit)
        response.headers[MockHTTP.name("X-RateLimit-Remaining")] = String(limit.remaining)
    }

    func users() async -> [JSONValue] { await store.allUsers() }
    func load(_ users: [JSONValue]) async throws(MockLoadError) { try await store.load(users) }
    func reset() async { await store.reset() }

    // MARK: Routes

    func addRoutes(to group: RouterGroup<MockRequestContext>) {
        let store = self.store
        group.get("api/fields") { request, _ in
            await Self.perform(method: "GET", path: request.uri.path, body: .null, store: store).response
        }
        group.get("api/subscribers/:id") { request, _ in
            await Self.perform(method: "GET", path: request.uri.path, body: .null, store: store).response
        }
        group.post("api/subscribers") { request, context in
            await Self.withBody(request, context) { body in await Self.perform(method: "POST", path: request.uri.path, body: body, store: store) }
        }
        group.put("api/subscribers/:id") { request, context in
            await Self.withBody(request, context) { body in await Self.perform(method: "PUT", path: request.uri.path, body: body, store: store) }
        }
        group.post("api/batch") { request, context in
            await Self.withBody(request, context) { body in
                do throws(MailerLiteError) {
                    return MailerLiteAnswer(status: 200, body: try await MailerLiteBatch.run(body, store: store))
                } catch {
                    return MailerLiteAnswer(error: error)
                }
            }
        }
    }

    /// One API request by method and path, shared by the routes and by `/api/batch`.
    static func perform(method: String, path: String, body: JSONValue, store: MailerLiteStore) async -> MailerLiteAnswer {
        let parts = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        do throws(MailerLiteError) {
            switch (method, parts.count, parts.first, parts.dropFirst().first) {
            case ("GET", 2, "api", "fields"):
                return MailerLiteAnswer(status: 200, body: ["data": .array(await store.fields())])
            case ("GET", 3, "api", "subscribers"):
                return MailerLiteAnswer(status: 200, body: ["data": try await store.find(parts[2]).json])
            case ("POST", 2, "api", "subscribers"):
                guard let object = body.objectValue else { throw .validation("email", "The email field is required.") }
                let (subscriber, created) = try await store.upsert(object)
                return MailerLiteAnswer(status: created ? 201 : 200, body: ["data": subscriber.json])
            case ("PUT", 3, "api", "subscribers"):
                guard let object = body.objectValue else { throw .validation("fields", "The body must be an object.") }
                return MailerLiteAnswer(status: 200, body: ["data": try await store.update(parts[2], object).json])
            default:
                throw .notFound
            }
        } catch {
            return MailerLiteAnswer(error: error)
        }
    }

    static func withBody(_ request: Request, _ context: MockRequestContext, _ handle: (JSONValue) async -> MailerLiteAnswer) async -> Response {
        let result: Result<JSONValue, JSONSyntaxError>
        do {
            result = try await MockHTTP.jsonBody(request, context: context)
        } catch {
            return MailerLiteError(status: .badRequest, message: "The request body could not be read.").response
        }
        switch result {
        case .success(let body): return await handle(body).response
        case .failure: return MailerLiteError(status: .badRequest, message: "The request body is not valid JSON.").response
        }
    }
}
