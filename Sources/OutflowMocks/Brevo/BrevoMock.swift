// Brevo (formerly Sendinblue) API v3 contacts, as Brevo's public reference documents them:
//   https://developers.brevo.com/reference/get-attributes          (GET /v3/contacts/attributes)
//   https://developers.brevo.com/reference/get-contact-info        (GET /v3/contacts/{identifier}?identifierType=email_id|contact_id|ext_id|phone_id)
//   https://developers.brevo.com/reference/create-contact          (POST /v3/contacts: 201 {"id"}, 204 with updateEnabled, 400 duplicate_parameter)
//   https://developers.brevo.com/reference/update-contact          (PUT /v3/contacts/{identifier}: 204)
//   https://developers.brevo.com/reference/update-batch-contacts   (POST /v3/contacts/batch: 204; 404 document_not_found naming the indexes,
//                                                                   as reported in https://github.com/sendinblue/APIv3-php-library/issues/257)
//   https://developers.brevo.com/docs/api-limits                   (contacts endpoints: 10 requests per second and 36,000 per hour)
//   https://developers.brevo.com/docs/limit-headers                (x-sib-ratelimit-limit/-remaining/-reset in seconds; 429, no Retry-After)
//   https://developers.brevo.com/docs/how-it-works#error-codes     (error body {"code","message"})
import Foundation
import Hummingbird
import HTTPTypes
import OutflowCore

/// The Brevo mock: the contacts of one account, with Brevo's paths, bodies, `{"code","message"}`
/// errors and `x-sib-ratelimit-*` headers.
///
/// Not imitated: lists and folders, `GET /v3/contacts` listing, import jobs, deleting, creating
/// attributes, attribute types (every attribute is text), double opt-in, the OAuth bearer
/// alternative, and the higher limits of Professional and Enterprise plans (the general 10/s and 36,000/h apply).
struct BrevoMock: MockAPI {
    let store: BrevoStore

    // MARK: MockAPI

    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule] {
        switch setting {
        case .off: return []
        case .default:
            return [
                RateLimitRule(policy: "contacts", limit: 10, window: .seconds(1)) { _, _ in true },
                RateLimitRule(policy: "contacts-hourly", limit: 36_000, window: .seconds(3600)) { _, _ in true },
            ]
        case .custom(let count, let window): return [RateLimitRule(policy: "contacts", limit: count, window: window) { _, _ in true }]
        }
    }

    func authenticationFailure(_ request: Request, token: String?) -> Response? {
        let key = request.headers[MockHTTP.name("api-key")]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !key.isEmpty, token == nil || key == token else { return BrevoError.keyNotFound.response }
        return nil
    }

    /// Brevo signals the limit with its headers only: no Retry-After.
    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response {
        var response = BrevoError.tooManyRequests.response
        response.headers[MockHTTP.name("x-sib-ratelimit-limit")] = String(rule.limit)
        response.headers[MockHTTP.name("x-sib-ratelimit-remaining")] = "0"
        response.headers[MockHTTP.name("x-sib-ratelimit-reset")] = String(RateLimitStatus.seconds(retryAfter))
        return response
    }

    func serverError(_ status: HTTPResponse.Status) -> Response { BrevoError.server(status).response }

    func decorate(_ response: inout Response, limit: RateLimitStatus?) {
        guard let limit, response.headers[MockHTTP.name("x-sib-ratelimit-limit")] == nil else { return }
        response.headers[MockHTTP.name("x-sib-ratelimit-limit")] = String(limit.limit)
        response.headers[MockHTTP.name("x-sib-ratelimit-remaining")] = String(limit.remaining)
        response.headers[MockHTTP.name("x-sib-ratelimit-reset")] = String(limit.resetSeconds)
    }

    func users() async -> [JSONValue] { await store.allUsers() }
    func load(_ users: [JSONValue]) async throws(MockLoadError) { try await store.load(users) }
    func reset() async { await store.reset() }

    // MARK: Routes

    func addRoutes(to group: RouterGroup<MockRequestContext>) {
        let store = self.store
        group.get("v3/contacts/attributes") { _, _ in
            MockHTTP.json(["attributes": .array(await store.attributes())])
        }
        group.get("v3/contacts/:identifier") { request, context in
            await Self.respond { () throws(BrevoError) in
                let identifier = MockHTTP.pathParameter(context, "identifier")
                return MockHTTP.json(try await store.find(identifier, type: Self.identifierType(request)).json)
            }
        }
        group.post("v3/contacts") { request, context in
            await Self.respond { () throws(BrevoError) in
                guard let id = try await store.create(try await Self.object(request, context)) else { return MockHTTP.empty(.noContent) }
                return MockHTTP.json(["id": .number(String(id))], status: .created)
            }
        }
        group.put("v3/contacts/:identifier") { request, context in
            await Self.respond { () throws(BrevoError) in
                let identifier = MockHTTP.pathParameter(context, "identifier")
                try await store.update(identifier, type: Self.identifierType(request), try await Self.object(request, context))
                return MockHTTP.empty(.noContent)
            }
        }
        group.post("v3/contacts/batch") { request, context in
            await Self.respond { () throws(BrevoError) in
                let body = try await Self.object(request, context)
                guard let contacts = body["contacts"]?.arrayValue else { throw .missing("contacts is required") }
                try await store.batch(contacts)
                return MockHTTP.empty(.noContent)
            }
        }
    }

    static func identifierType(_ request: Request) -> String? {
        MockHTTP.query(request).last { $0.key == "identifierType" }?.value
    }

    static func object(_ request: Request, _ context: MockRequestContext) async throws(BrevoError) -> JSONObject {
        let result: Result<JSONValue, JSONSyntaxError>
        do {
            result = try await MockHTTP.jsonBody(request, context: context)
        } catch {
            throw .invalid("The request body could not be read")
        }
        guard case .success(let value) = result, let object = value.objectValue else { throw .invalid("Input must be a valid JSON object") }
        return object
    }

    static func respond(_ body: () async throws(BrevoError) -> Response) async -> Response {
        do throws(BrevoError) {
            return try await body()
        } catch {
            return error.response
        }
    }
}
