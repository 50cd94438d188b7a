// Stripe customers, as Stripe's public API reference documents them:
//   https://docs.stripe.com/api/customers/create            (POST /v1/customers, form-encoded parameters, metadata[...])
//   https://docs.stripe.com/api/customers/update            (POST /v1/customers/{id}; an empty value unsets a field)
//   https://docs.stripe.com/api/customers/retrieve          (GET /v1/customers/{id})
//   https://docs.stripe.com/api/customers/list              (GET /v1/customers?email=, newest first, starting_after)
//   https://docs.stripe.com/api/customers/search            (GET /v1/customers/search?query=, search_result, next_page)
//   https://docs.stripe.com/search#search-query-language    (field:'value', ~, AND/OR not mixed, 10 clauses; results lag writes)
//   https://docs.stripe.com/api/idempotent_requests         (Idempotency-Key, replay with Idempotent-Replayed, idempotency_error)
//   https://docs.stripe.com/api/authentication              (Bearer secret key, or Basic with the key as username)
//   https://docs.stripe.com/api/errors                      (error object: type, code, message, param, doc_url)
//   https://docs.stripe.com/rate-limits                     (100 read and 100 write requests per second in live mode, search 20/s,
//                                                            429 code rate_limit; Stripe-Should-Retry)
import Foundation
import Hummingbird
import HTTPTypes
import OutflowCore

/// The Stripe mock: the customers of one account, with Stripe's form-encoded parameters, error
/// objects, idempotency keys and a search that lags writes.
///
/// Not imitated: every object but customers, `expand`, deleting, `tax_id_data`, `payment_method`,
/// `source`, test clocks, Connect (`Stripe-Account`), API versions (`Stripe-Version` is accepted
/// and ignored), 24-hour expiry of idempotency keys, `total_count`, and search fields other than
/// email, name, phone, description and metadata.
struct StripeMock: MockAPI {
    let store: StripeStore

    static let maxLimit = 100

    /// Stripe answers JSON with this content type.
    static func json(_ body: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var response = MockHTTP.json(body, status: status, contentType: "application/json")
        response.headers[MockHTTP.name("Request-Id")] = "req_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(14)
        return response
    }

    // MARK: MockAPI

    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule] {
        let search = RateLimitRule(policy: "search", limit: 20, window: .seconds(1)) { method, path in
            method == .get && path.hasSuffix("/customers/search")
        }
        switch setting {
        case .off: return []
        case .default: return [RateLimitRule(policy: "requests", limit: 100, window: .seconds(1)) { _, _ in true }, search]
        case .custom(let count, let window): return [RateLimitRule(policy: "requests", limit: count, window: window) { _, _ in true }, search]
        }
    }

    /// `Authorization: Bearer KEY`, or Basic with the key as username and no password.
    func authenticationFailure(_ request: Request, token: String?) -> Response? {
        let header = request.headers[.authorization] ?? ""
        var key = ""
        if header.lowercased().hasPrefix("bearer ") {
            key = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        } else if header.lowercased().hasPrefix("basic "), let decoded = MailchimpMock.base64Decode(String(header.dropFirst("basic ".count))) {
            key = String(decoded.prefix { $0 != ":" })
        }
        guard !key.isEmpty else { return Self.unauthorized(.missingKey) }
        guard token == nil || key == token else { return Self.unauthorized(.invalidKey(key)) }
        return nil
    }

    private static func unauthorized(_ error: StripeError) -> Response {
        error.response.with(.wwwAuthenticate, #"Bearer realm="Stripe""#)
    }

    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response {
        StripeError.rateLimited.response
    }

    func serverError(_ status: HTTPResponse.Status) -> Response {
        StripeError.server(status).response
    }

    func decorate(_ response: inout Response, limit: RateLimitStatus?) {}

    func users() async -> [JSONValue] { await store.allUsers() }
    func load(_ users: [JSONValue]) async throws(MockLoadError) { try await store.load(users) }
    func reset() async { await store.reset() }

    // MARK: Routes

    func addRoutes(to group: RouterGroup<MockRequestContext>) {
        let store = self.store
        group.get("v1/customers/search") { request, _ in
            await Self.respond { () throws(StripeError) in
                let params = try StripeForm.parse(request.uri.query ?? "")
                guard let text = params["query"]?.stringValue, !text.isEmpty else {
                    throw .invalid("Missing required param: query.", param: "query", code: "parameter_missing")
                }
                let query = try StripeSearchQuery.parse(text)
                let limit = try Self.limit(params)
                var offset = 0
                if let page = params["page"]?.stringValue, !page.isEmpty {
                    guard let decoded = Self.offset(page: page) else { throw .invalid("Invalid page: \(page)", param: "page") }
                    offset = decoded
                }
                let matches = await store.search(query)
                let page = matches.dropFirst(offset).prefix(limit)
                let more = offset + page.count < matches.count
                return Self.json(.object(jsonObject([
                    "object": "search_result", "data": .array(page.map(\.json)), "has_more": .bool(more),
                    "next_page": more ? .string(Self.page(offset: offset + page.count)) : .null, "url": "/v1/customers/search",
                ])))
            }
        }
        group.get("v1/customers") { request, _ in
            await Self.respond { () throws(StripeError) in
                let params = try StripeForm.parse(request.uri.query ?? "")
                let limit = try Self.limit(params)
                var all = await store.list(email: params["email"]?.stringValue)
                if let after = params["starting_after"]?.stringValue {
                    guard let position = all.firstIndex(where: { $0.id == after }) else { throw .missing(after) }
                    all = Array(all[(position + 1)...])
                }
                return Self.json(.object(jsonObject([
                    "object": "list", "data": .array(all.prefix(limit).map(\.json)), "has_more": .bool(all.count > limit), "url": "/v1/customers",
                ])))
            }
        }
        group.get("v1/customers/:id") { _, context in
            await Self.respond { () throws(StripeError) in
                Self.json(try await store.customer(MockHTTP.pathParameter(context, "id")).json)
            }
        }
        group.post("v1/customers") { request, context in
            await Self.write(request, context) { params, key, fingerprint throws(StripeError) in
                try await store.create(params, key: key, fingerprint: fingerprint)
            }
        }
        group.post("v1/customers/:id") { request, context in
            let id = MockHTTP.pathParameter(context, "id")
            return await Self.write(request, context) { params, key, fingerprint throws(StripeError) in
                try await store.update(id, params, key: key, fingerprint: fingerprint)
            }
        }
    }

    /// A POST: form parameters, the Idempotency-Key, and the answer (replayed or not).
    static func write(
        _ request: Request, _ context: MockRequestContext,
        _ perform: (JSONObject, String?, String) async throws(StripeError) -> StripeStore.Outcome
    ) async -> Response {
        await respond { () throws(StripeError) in
            let bytes: [UInt8]
            do {
                bytes = try await MockHTTP.bodyBytes(request, context: context)
            } catch {
                throw .invalid("The request body could not be read.", param: "body")
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let params = try StripeForm.parse(text)
            let key = request.headers[MockHTTP.name("Idempotency-Key")].flatMap { $0.isEmpty ? nil : $0 }
            if let key, key.count > 255 {
                throw .invalid("Idempotency key is too long; it may be at most 255 characters.", param: "Idempotency-Key", code: "idempotency_key_in_use")
            }
            // Parameters compare whatever order the client wrote them in.
            let fingerprint = "\(request.method) \(request.uri.path)\n" + FormEncoding.pairs(text).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "&")
            let outcome = try await perform(params, key, fingerprint)
            var response = json(outcome.body, status: HTTPResponse.Status(code: outcome.status))
            if let key { response.headers[MockHTTP.name("Idempotency-Key")] = key }
            if outcome.replayed { response.headers[MockHTTP.name("Idempotent-Replayed")] = "true" }
            return response
        }
    }

    static func limit(_ params: JSONObject) throws(StripeError) -> Int {
        guard let text = params["limit"]?.stringValue else { return 10 }
        guard let limit = Int(text), (1...maxLimit).contains(limit) else {
            throw .invalid("Invalid integer: limit must be between 1 and \(maxLimit)", param: "limit", code: "parameter_invalid_integer")
        }
        return limit
    }

    /// Stripe's page tokens are opaque; the mock's encode an offset.
    static func page(offset: Int) -> String { "page_" + Data("offset:\(offset)".utf8).base64EncodedString() }

    static func offset(page: String) -> Int? {
        guard page.hasPrefix("page_"), let data = Data(base64Encoded: String(page.dropFirst(5))),
            let text = String(data: data, encoding: .utf8), text.hasPrefix("offset:")
        else { return nil }
        return Int(text.dropFirst("offset:".count))
    }

    static func respond(_ body: () async throws(StripeError) -> Response) async -> Response {
        do throws(StripeError) {
            return try await body()
        } catch {
            return error.response
        }
    }
}
