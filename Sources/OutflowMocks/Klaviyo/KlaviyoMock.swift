// Klaviyo profiles API (JSON:API, revision 2024-10-15 and later), as its public reference documents it:
//   https://developers.klaviyo.com/en/reference/get_profiles            (GET /api/profiles, filter=any(email,[...]), page[size] <= 100, links.next)
//   https://developers.klaviyo.com/en/reference/create_profile          (POST /api/profiles, 201; 409 duplicate_profile with meta.duplicate_profile_id)
//   https://developers.klaviyo.com/en/reference/update_profile          (PATCH /api/profiles/{id}; null clears a field, absent leaves it)
//   https://developers.klaviyo.com/en/reference/get_profile             (GET /api/profiles/{id})
//   https://developers.klaviyo.com/en/docs/authenticate_                (Authorization: Klaviyo-API-Key ..., revision header)
//   https://developers.klaviyo.com/en/docs/filtering_                   (equals, any, comma = AND)
//   https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling
//                                                                       (L tier: 75/s burst, 700/m steady; RateLimit-Limit/-Remaining/-Reset on
//                                                                        non-429 answers, Retry-After on 429; JSON:API errors array)
import Foundation
import Hummingbird
import HTTPTypes
import OutflowCore

/// The Klaviyo mock: the profiles of one account, with Klaviyo's paths, JSON:API documents,
/// statuses, error objects and burst/steady limits.
///
/// Not imitated: lists, segments, subscriptions, events, bulk import jobs, `include`, sparse
/// fieldsets (`fields[profile]`), `sort`, filter operators other than `equals` and `any`,
/// `meta.patch_properties`, OAuth, and Klaviyo's fixed windows (the mock's windows roll, the
/// stricter rule: a client that paces for rolling windows is never refused by fixed ones).
struct KlaviyoMock: MockAPI {
    let store: KlaviyoStore

    static let contentType = "application/vnd.api+json"
    static let maxPageSize = 100
    static let defaultPageSize = 20

    /// A JSON:API document answer.
    static func document(_ body: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        MockHTTP.json(body, status: status, headers: headers, contentType: contentType)
    }

    // MARK: MockAPI

    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule] {
        switch setting {
        case .off: return []
        // Steady first: it is the window Klaviyo's RateLimit-* headers describe.
        case .default:
            return [
                RateLimitRule(policy: "steady", limit: 700, window: .seconds(60)) { _, _ in true },
                RateLimitRule(policy: "burst", limit: 75, window: .seconds(1)) { _, _ in true },
            ]
        case .custom(let count, let window):
            return [RateLimitRule(policy: "steady", limit: count, window: window) { _, _ in true }]
        }
    }

    func authenticationFailure(_ request: Request, token: String?) -> Response? {
        let header = request.headers[.authorization] ?? ""
        let prefix = "klaviyo-api-key "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return KlaviyoError.notAuthenticated.response }
        let key = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return KlaviyoError.notAuthenticated.response }
        guard token == nil || key == token else { return KlaviyoError.authenticationFailed.response }
        return nil
    }

    /// Every Klaviyo API request names the revision it was written against.
    func headerFailure(_ request: Request) -> Response? {
        let revision = request.headers[MockHTTP.name("revision")]?.trimmingCharacters(in: .whitespaces) ?? ""
        return revision.isEmpty ? KlaviyoError.missingRevision.response : nil
    }

    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response {
        let seconds = RateLimitStatus.seconds(retryAfter)
        return KlaviyoError.throttled(retryAfter: seconds).response.with(MockHTTP.name("Retry-After"), String(seconds))
    }

    func serverError(_ status: HTTPResponse.Status) -> Response {
        KlaviyoError.server(status).response
    }

    /// Klaviyo sends the steady window's state on every answer except a 429.
    func decorate(_ response: inout Response, limit: RateLimitStatus?) {
        guard let limit, response.status != .tooManyRequests else { return }
        response.headers[MockHTTP.name("RateLimit-Limit")] = String(limit.limit)
        response.headers[MockHTTP.name("RateLimit-Remaining")] = String(limit.remaining)
        response.headers[MockHTTP.name("RateLimit-Reset")] = String(limit.resetSeconds)
    }

    func users() async -> [JSONValue] { await store.allUsers(origin: Self.defaultOrigin) }
    func load(_ users: [JSONValue]) async throws(MockLoadError) { try await store.load(users) }
    func reset() async { await store.reset() }

    /// Links in `/__mock/users` use Klaviyo's own origin; API answers use the request's.
    static let defaultOrigin = "https://a.klaviyo.com"

    // MARK: Routes

    func addRoutes(to group: RouterGroup<MockRequestContext>) {
        let store = self.store
        // Hummingbird ignores a trailing slash, so Klaviyo's `/api/profiles/` reaches these too.
        do {
            let path = "api/profiles"
            group.get(RouterPath(path)) { request, _ in
                await Self.respond { () throws(KlaviyoError) in try await Self.list(request, store: store) }
            }
            group.post(RouterPath(path)) { request, context in
                await Self.respond { () throws(KlaviyoError) in
                    let attributes = try await Self.attributes(request, context, id: nil)
                    let profile = try await store.create(attributes)
                    return Self.document(Self.single(profile, request), status: .created)
                }
            }
        }
        do {
            let path = "api/profiles/:id"
            group.get(RouterPath(path)) { request, context in
                await Self.respond { () throws(KlaviyoError) in
                    Self.document(Self.single(try await store.profile(MockHTTP.pathParameter(context, "id")), request))
                }
            }
            group.patch(RouterPath(path)) { request, context in
                await Self.respond { () throws(KlaviyoError) in
                    let id = MockHTTP.pathParameter(context, "id")
                    let attributes = try await Self.attributes(request, context, id: id)
                    return Self.document(Self.single(try await store.update(id, attributes), request))
                }
            }
        }
    }

    /// `GET /api/profiles`: filtered, `page[size]` at a time, `links.next` carrying the cursor.
    static func list(_ request: Request, store: KlaviyoStore) async throws(KlaviyoError) -> Response {
        let query = MockHTTP.query(request)
        let value = { (name: String) in query.last { $0.key == name }?.value }
        let filter = try value("filter").map { text throws(KlaviyoError) in try KlaviyoFilter.parse(text) }
        var size = defaultPageSize
        if let text = value("page[size]") {
            guard let number = Int(text), (1...maxPageSize).contains(number) else {
                throw .invalidParameter("page[size] must be an integer between 1 and \(maxPageSize).", parameter: "page[size]")
            }
            size = number
        }
        var offset = 0
        if let cursor = value("page[cursor]") {
            guard let decoded = Self.offset(cursor: cursor) else { throw .invalidParameter("Invalid page cursor.", parameter: "page[cursor]") }
            offset = decoded
        }
        let matches = await store.list(filter)
        let origin = origin(request)
        let page = matches.dropFirst(offset).prefix(size)
        var selfQuery = query.filter { $0.key != "page[cursor]" }
        let link = { (pairs: [(key: String, value: String)]) -> JSONValue in
            let text = pairs.map { FormEncoding.encode($0.key) + "=" + FormEncoding.encode($0.value) }.joined(separator: "&")
            return .string("\(origin)/api/profiles/" + (text.isEmpty ? "" : "?" + text))
        }
        var next: JSONValue = .null
        if offset + page.count < matches.count {
            next = link(selfQuery + [("page[cursor]", Self.cursor(offset: offset + page.count))])
        }
        var prev: JSONValue = .null
        if offset > 0 { prev = link(selfQuery + [("page[cursor]", Self.cursor(offset: max(0, offset - size)))]) }
        if offset > 0 { selfQuery.append(("page[cursor]", Self.cursor(offset: offset))) }
        return document(.object(jsonObject([
            "data": .array(page.map { $0.resource(origin: origin) }),
            "links": .object(jsonObject(["self": link(selfQuery), "next": next, "prev": prev])),
        ])))
    }

    /// Klaviyo's cursors are opaque; the mock's encode an offset.
    static func cursor(offset: Int) -> String {
        Data("offset:\(offset)".utf8).base64EncodedString()
    }

    static func offset(cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("offset:") else { return nil }
        return Int(text.dropFirst("offset:".count)).flatMap { $0 >= 0 ? $0 : nil }
    }

    static func single(_ profile: KlaviyoProfile, _ request: Request) -> JSONValue {
        let origin = origin(request)
        return .object(jsonObject(["data": profile.resource(origin: origin), "links": ["self": .string("\(origin)/api/profiles/\(profile.id)/")]]))
    }

    /// The origin the client reached the mock by, for `links`.
    static func origin(_ request: Request) -> String {
        "http://" + (request.head.authority ?? "127.0.0.1")
    }

    /// The `data.attributes` of a JSON:API write body, after checking `data.type` (and `data.id`
    /// against the path's on PATCH).
    static func attributes(_ request: Request, _ context: MockRequestContext, id: String?) async throws(KlaviyoError) -> JSONObject {
        let result: Result<JSONValue, JSONSyntaxError>
        do {
            result = try await MockHTTP.jsonBody(request, context: context)
        } catch {
            throw .invalid("The request body could not be read: \(error)")
        }
        let body: JSONValue
        switch result {
        case .success(let value): body = value
        case .failure(let error): throw .invalid("JSON parse error - \(error.description)")
        }
        guard let data = body["data"]?.objectValue else { throw .invalid("`data` is a required field.", pointer: "/data") }
        guard data["type"] == "profile" else {
            throw .invalid("`type` must be `profile` for this endpoint.", pointer: "/data/type")
        }
        if let id {
            guard data["id"]?.stringValue == id else {
                throw .invalid("`data.id` must be present and equal to the id in the URL (\(id)).", pointer: "/data/id")
            }
        }
        guard let attributes = data["attributes"]?.objectValue else {
            throw .invalid("`attributes` is a required field.", pointer: "/data/attributes")
        }
        return attributes
    }

    static func respond(_ body: () async throws(KlaviyoError) -> Response) async -> Response {
        do throws(KlaviyoError) {
            return try await body()
        } catch {
            return error.response
        }
    }
}
