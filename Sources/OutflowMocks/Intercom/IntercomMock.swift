// Intercom contacts (REST API 2.x), as Intercom's public reference documents them:
//   https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/createcontact   (POST /contacts; 409 conflict)
//   https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/updatecontact   (PUT /contacts/{id})
//   https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/showcontact     (GET /contacts/{id})
//   https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/searchcontacts  (POST /contacts/search, IN, AND/OR)
//   https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination-sorting-search
//                                                                     (pagination.per_page up to 150, starting_after, pages.next)
//   https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/rate-limiting
//                                                                     (10,000 per minute per app, spread over 10-second windows;
//                                                                      X-RateLimit-Limit/-Remaining/-Reset as a Unix time; 429)
//   https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/api-versioning   (Intercom-Version header)
//   https://developers.intercom.com/docs/references/rest-api/errors/error-objects                  (error.list, code and message)
import Foundation
import Hummingbird
import HTTPTypes
import OutflowCore

/// The Intercom mock: the contacts (users and leads) of one workspace, with Intercom's paths,
/// bodies, error lists, cursor paging and rate-limit headers, and a search that lags writes.
///
/// Not imitated: companies, tags, notes, segments, subscriptions, archiving, merging, deleting,
/// `GET /contacts` listing, sorting of search results (they come in creation order), data
/// attributes (any custom attribute is taken), version-specific shapes, and regional hosts.
struct IntercomMock: MockAPI {
    let store: IntercomStore
    /// The calendar of `X-RateLimit-Reset` (`MockOptions.clock`).
    let clock: MockClock

    // MARK: MockAPI

    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule] {
        switch setting {
        case .off: return []
        // 10,000 per minute, which Intercom enforces as 1,666 per 10-second window.
        case .default: return [RateLimitRule(policy: "10_seconds", limit: 1666, window: .seconds(10)) { _, _ in true }]
        case .custom(let count, let window): return [RateLimitRule(policy: "custom", limit: count, window: window) { _, _ in true }]
        }
    }

    func authenticationFailure(_ request: Request, token: String?) -> Response? {
        let header = request.headers[.authorization] ?? ""
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return IntercomError.unauthorized.response }
        let credential = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        guard !credential.isEmpty, token == nil || credential == token else { return IntercomError.unauthorized.response }
        return nil
    }

    /// Without `Intercom-Version` Intercom answers in the workspace's default version, so only a
    /// malformed one is refused.
    func headerFailure(_ request: Request) -> Response? {
        guard let version = request.headers[MockHTTP.name("Intercom-Version")] else { return nil }
        let parts = version.split(separator: ".")
        let valid = version == "Unstable" || (parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        return valid ? nil : IntercomError.versionInvalid.response
    }

    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response {
        var response = IntercomError.rateLimited(limit: rule.limit, window: rule.window).response
        response.headers[MockHTTP.name("X-RateLimit-Limit")] = String(rule.limit)
        response.headers[MockHTTP.name("X-RateLimit-Remaining")] = "0"
        response.headers[MockHTTP.name("X-RateLimit-Reset")] = String(unixTime(after: retryAfter))
        return response
    }

    func serverError(_ status: HTTPResponse.Status) -> Response {
        IntercomError.server(status).response
    }

    func decorate(_ response: inout Response, limit: RateLimitStatus?) {
        guard let limit, response.headers[MockHTTP.name("X-RateLimit-Limit")] == nil else { return }
        response.headers[MockHTTP.name("X-RateLimit-Limit")] = String(limit.limit)
        response.headers[MockHTTP.name("X-RateLimit-Remaining")] = String(limit.remaining)
        response.headers[MockHTTP.name("X-RateLimit-Reset")] = String(unixTime(after: limit.resetIn))
    }

    /// Whole seconds since 1970 at `duration` from now, rounded up: when the window has room again.
    func unixTime(after duration: Duration) -> Int {
        // Rounded up: a reset truncated to the current second would name a time before the window frees.
        Int((clock.date().timeIntervalSince1970 + (duration > .zero ? Double(RateLimitStatus.seconds(duration)) : 0)).rounded(.up))
    }

    func users() async -> [JSONValue] { await store.allUsers() }
    func load(_ users: [JSONValue]) async throws(MockLoadError) { try await store.load(users) }
    func reset() async { await store.reset() }

    // MARK: Routes

    func addRoutes(to group: RouterGroup<MockRequestContext>) {
        let store = self.store
        group.post("contacts/search") { request, context in
            await Self.respond { () throws(IntercomError) in
                let search = try IntercomSearch.parse(try await Self.body(request, context))
                let matches = await store.search(search)
                var offset = 0
                if let cursor = search.startingAfter {
                    guard let decoded = Self.offset(cursor: cursor) else { throw .invalid("starting_after is not a valid cursor") }
                    offset = decoded
                }
                let page = matches.dropFirst(offset).prefix(search.perPage)
                let totalPages = max(1, (matches.count + search.perPage - 1) / search.perPage)
                let pageNumber = offset / search.perPage + 1
                var pages = jsonObject([
                    "type": "pages", "page": .number(String(pageNumber)), "per_page": .number(String(search.perPage)),
                    "total_pages": .number(String(totalPages)),
                ])
                if offset + page.count < matches.count {
                    pages["next"] = .object(jsonObject([
                        "page": .number(String(pageNumber + 1)), "starting_after": .string(Self.cursor(offset: offset + page.count)),
                    ]))
                }
                return MockHTTP.json(.object(jsonObject([
                    "type": "list", "data": .array(page.map(\.json)), "total_count": .number(String(matches.count)), "pages": .object(pages),
                ])))
            }
        }
        group.post("contacts") { request, context in
            await Self.respond { () throws(IntercomError) in
                MockHTTP.json(try await store.create(try await Self.object(request, context)).json)
            }
        }
        group.get("contacts/:id") { _, context in
            await Self.respond { () throws(IntercomError) in
                MockHTTP.json(try await store.contact(MockHTTP.pathParameter(context, "id")).json)
            }
        }
        group.put("contacts/:id") { request, context in
            await Self.respond { () throws(IntercomError) in
                let id = MockHTTP.pathParameter(context, "id")
                return MockHTTP.json(try await store.update(id, try await Self.object(request, context)).json)
            }
        }
    }

    /// Intercom's cursors are opaque; the mock's encode an offset.
    static func cursor(offset: Int) -> String { Data("offset:\(offset)".utf8).base64EncodedString() }

    static func offset(cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("offset:") else { return nil }
        return Int(text.dropFirst("offset:".count))
    }

    static func body(_ request: Request, _ context: MockRequestContext) async throws(IntercomError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError>
        do {
            result = try await MockHTTP.jsonBody(request, context: context)
        } catch {
            throw .invalid("The request body could not be read")
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw IntercomError(status: .badRequest, code: "bad_request", message: "There was a problem parsing the JSON: \(error)")
        }
    }

    static func object(_ request: Request, _ context: MockRequestContext) async throws(IntercomError) -> JSONObject {
        guard let object = try await body(request, context).objectValue else { throw .invalid("The request body must be a JSON object") }
        return object
    }

    static func respond(_ body: () async throws(IntercomError) -> Response) async -> Response {
        do throws(IntercomError) {
            return try await body()
        } catch {
            return error.response
        }
    }
}
