// Mailchimp Marketing API 3.0 list members, as its public reference documents them:
//   https://mailchimp.com/developer/marketing/api/list-members/                            (member shape, subscriber_hash = md5 of the lower-cased email)
//   https://mailchimp.com/developer/marketing/api/list-members/get-member-info/            (GET /lists/{list_id}/members/{subscriber_hash})
//   https://mailchimp.com/developer/marketing/api/list-members/add-or-update-list-member/  (PUT, status_if_new)
//   https://mailchimp.com/developer/marketing/api/list-members/update-list-member/         (PATCH)
//   https://mailchimp.com/developer/marketing/api/lists/batch-subscribe-or-unsubscribe/    (POST /lists/{list_id}, members, update_existing, 500 at most)
//   https://mailchimp.com/developer/marketing/api/list-merges/list-merge-fields/           (GET /lists/{list_id}/merge-fields)
//   https://mailchimp.com/developer/marketing/docs/errors/                                  (problem+json bodies, API Key Missing/Invalid, Resource Not Found)
//   https://mailchimp.com/developer/marketing/docs/fundamentals/                            (Basic auth with any username, 10 simultaneous connections)
import Foundation
import Hummingbird
import HTTPTypes
import OutflowCore

/// The Mailchimp mock: members of the lists (audiences) of one account, with Mailchimp's paths,
/// problem bodies and statuses.
///
/// Not imitated: the 10-simultaneous-connections limit (the shared gate counts requests per window,
/// not connections in flight), the `/batches` endpoint, `POST /lists/{id}/members`, archiving and
/// deleting, member tags/notes/events/activity endpoints, interests, marketing permissions,
/// `fields`/`exclude_fields`, list creation, the data centre in the host name, and Mailchimp's
/// "looks fake" email heuristics.
struct MailchimpMock: MockAPI {
    let store: MailchimpStore

    // MARK: MockAPI

    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule] {
        switch setting {
        // Mailchimp documents a concurrency cap, not a request rate; see the type's comment.
        case .off, .default: return []
        case .custom(let count, let window):
            return [RateLimitRule(policy: "requests", limit: count, window: window) { _, _ in true }]
        }
    }

    /// HTTP Basic with any username and the API key as password.
    func authenticationFailure(_ request: Request, token: String?) -> Response? {
        let header = request.headers[.authorization] ?? ""
        let prefix = "basic "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return MailchimpError.apiKeyMissing.response }
        let encoded = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        guard let decoded = Self.base64Decode(encoded), let colon = decoded.firstIndex(of: ":") else {
            return MailchimpError.apiKeyMissing.response
        }
        let key = String(decoded[decoded.index(after: colon)...])
        guard !key.isEmpty else { return MailchimpError.apiKeyMissing.response }
        guard token == nil || key == token else { return MailchimpError.apiKeyInvalid.response }
        return nil
    }

    static func base64Decode(_ text: String) -> String? {
        var padded = text
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response {
        var error = MailchimpError.tooManyRequests
        if !injected, rule.policy == "requests" {
            error = MailchimpError(
                status: .tooManyRequests, title: "Too Many Requests",
                detail: "You have exceeded the limit of \(rule.limit) requests per \(MockDuration.milliseconds(rule.window)) ms set with --rate-limit.")
        }
        return error.response
    }

    func serverError(_ status: HTTPResponse.Status) -> Response {
        let detail = status == .internalServerError
            ? "An unexpected internal error has occurred. Please contact Support for more information."
            : "The service is temporarily unavailable; please retry."
        return MailchimpError(status: status, title: status.reasonPhrase, detail: detail).response
    }

    func decorate(_ response: inout Response, limit: RateLimitStatus?) {}

    func users() async -> [JSONValue] { await store.allUsers() }
    func load(_ users: [JSONValue]) async throws(MockLoadError) { try await store.load(users) }
    func reset() async { await store.reset() }

    // MARK: Routes

    func addRoutes(to group: RouterGroup<MockRequestContext>) {
        let store = self.store
        let member = "3.0/lists/:listId/members/:hash"
        group.get(RouterPath(member)) { _, context in
            await Self.respond { () throws(MailchimpError) in
                let (list, hash) = Self.ids(context)
                return MockHTTP.json(try await store.member(listId: list, hash: hash).json)
            }
        }
        group.put(RouterPath(member)) { request, context in
            await Self.respond { () throws(MailchimpError) in
                let (list, hash) = Self.ids(context)
                let body = try await Self.body(request, context)
                return MockHTTP.json(try await store.put(listId: list, hash: hash, body: body).json)
            }
        }
        group.patch(RouterPath(member)) { request, context in
            await Self.respond { () throws(MailchimpError) in
                let (list, hash) = Self.ids(context)
                let body = try await Self.body(request, context)
                return MockHTTP.json(try await store.patch(listId: list, hash: hash, body: body).json)
            }
        }
        group.post("3.0/lists/:listId") { request, context in
            await Self.respond { () throws(MailchimpError) in
                let list = context.parameters.get("listId") ?? ""
                let body = try await Self.body(request, context)
                return MockHTTP.json(try await store.batch(listId: list, body: body))
            }
        }
        group.get("3.0/lists/:listId/merge-fields") { request, context in
            await Self.respond { () throws(MailchimpError) in
                let list = context.parameters.get("listId") ?? ""
                let all = try await store.mergeFields(listId: list)
                let count = min(max(request.uri.queryParameters.get("count").flatMap { Int($0) } ?? 10, 1), 1000)
                let offset = max(request.uri.queryParameters.get("offset").flatMap { Int($0) } ?? 0, 0)
                return MockHTTP.json(.object(jsonObject([
                    "merge_fields": .array(Array(all.dropFirst(offset).prefix(count))),
                    "list_id": .string(list),
                    "total_items": .number(String(all.count)),
                ])))
            }
        }
    }

    static func ids(_ context: MockRequestContext) -> (String, String) {
        (context.parameters.get("listId") ?? "", context.parameters.get("hash") ?? "")
    }

    /// Turns a thrown `MailchimpError` into Mailchimp's problem answer.
    static func respond(_ body: () async throws(MailchimpError) -> Response) async -> Response {
        do throws(MailchimpError) {
            return try await body()
        } catch {
            return error.response
        }
    }

    static func body(_ request: Request, _ context: MockRequestContext) async throws(MailchimpError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError>
        do {
            result = try await MockHTTP.jsonBody(request, context: context)
        } catch {
            throw .badJSON("the request body could not be read: \(error)")
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw .badJSON(error.description)
        }
    }
}
