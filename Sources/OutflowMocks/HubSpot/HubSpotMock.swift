// HubSpot CRM v3 contacts, as its public reference documents them:
//   https://developers.hubspot.com/docs/api/crm/contacts                      (objects, batch create/read/update/upsert)
//   https://developers.hubspot.com/docs/api-reference/crm-objects-v3/batch/post-crm-v3-objects-objectType-batch-create
//   https://developers.hubspot.com/docs/api/crm/search                         (filterGroups, IN, limits, 5 requests/s)
//   https://developers.hubspot.com/docs/api/crm/properties                     (GET /crm/v3/properties/contacts)
//   https://developers.hubspot.com/docs/api-reference/error-handling          (error body, 207 multi-status, objectWriteTraceId)
//   https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details   (190 per 10 s, X-HubSpot-RateLimit-*, 429 policyName)
import Hummingbird
import HTTPTypes
import OutflowCore

/// The HubSpot mock: contacts of one account, with HubSpot's paths, bodies, statuses and limits.
///
/// Not imitated: associations, archiving and merging, property history, `propertiesWithHistory`,
/// OAuth scopes (403), the daily limit, other object types, and the exact search ranking.
struct HubSpotMock: MockAPI {
    let store: HubSpotStore

    static let batchLimit = 100

    // MARK: MockAPI

    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule] {
        let search = RateLimitRule(policy: "SECONDLY", limit: 5, window: .seconds(1)) { method, path in
            method == .post && path.hasSuffix("/search")
        }
        switch setting {
        case .off: return []
        case .default: return [RateLimitRule(policy: "TEN_SECONDLY_ROLLING", limit: 190, window: .seconds(10)) { _, _ in true }, search]
        case .custom(let count, let window):
            return [RateLimitRule(policy: "TEN_SECONDLY_ROLLING", limit: count, window: window) { _, _ in true }, search]
        }
    }

    func authenticationFailure(_ request: Request, token: String?) -> Response? {
        let header = request.headers[.authorization] ?? ""
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return unauthorized() }
        let credential = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        guard !credential.isEmpty, token == nil || credential == token else { return unauthorized() }
        return nil
    }

    private func unauthorized() -> Response {
        var response = HubSpotError.unauthorized.response
        response.headers[MockHTTP.name("X-HubSpot-Auth-Failure")] = "401 Unauthorized"
        return response
    }

    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response {
        let limitName = rule.policy.lowercased()
        let body: JSONValue = .object(jsonObject([
            "status": "error",
            "message": .string("You have reached your \(limitName) limit."),
            "errorType": "RATE_LIMIT",
            "correlationId": .string(HubSpotError.correlationId()),
            "policyName": .string(rule.policy),
            "requestId": .string(HubSpotError.correlationId()),
        ]))
        return MockHTTP.json(body, status: .tooManyRequests, headers: Self.limitHeaders(limit: rule.limit, remaining: 0, window: rule.window))
    }

    func serverError(_ status: HTTPResponse.Status) -> Response {
        let message = status == .internalServerError ? "internal error" : status.reasonPhrase
        let body: JSONValue = .object(jsonObject([
            "status": "error", "message": .string(message), "correlationId": .string(HubSpotError.correlationId()),
        ]))
        return MockHTTP.json(body, status: status)
    }

    func decorate(_ response: inout Response, limit: RateLimitStatus?) {
        guard let limit, response.headers[MockHTTP.name("X-HubSpot-RateLimit-Max")] == nil else { return }
        for field in Self.limitHeaders(limit: limit.limit, remaining: limit.remaining, window: limit.window) {
            response.headers.append(field)
        }
    }

    static func limitHeaders(limit: Int, remaining: Int, window: Duration) -> HTTPFields {
        [
            MockHTTP.name("X-HubSpot-RateLimit-Max"): String(limit),
            MockHTTP.name("X-HubSpot-RateLimit-Remaining"): String(remaining),
            MockHTTP.name("X-HubSpot-RateLimit-Interval-Milliseconds"): String(MockDuration.milliseconds(window)),
        ]
    }

    func users() async -> [JSONValue] { await store.allUsers() }
    func load(_ users: [JSONValue]) async throws(MockLoadError) { try await store.load(users) }
    func reset() async { await store.reset() }

    // MARK: Routes

    func addRoutes(to group: RouterGroup<MockRequestContext>) {
        let store = self.store
        group.get("crm/v3/properties/contacts") { _, _ in
            MockHTTP.json(["results": .array(await store.schema().map(\.json))])
        }
        group.get("crm/v3/objects/contacts/:contactId") { request, context in
            let id = context.parameters.get("contactId") ?? ""
            let idProperty = request.uri.queryParameters.get("idProperty")
            guard let contact = await store.contact(id, idProperty: idProperty) else {
                return MockHTTP.json(
                    .object(jsonObject(["status": "error", "message": "resource not found", "correlationId": .string(HubSpotError.correlationId())])),
                    status: .notFound)
            }
            return MockHTTP.json(contact.json(properties: Self.requestedProperties(request) ?? HubSpotProperties.defaults))
        }
        group.get("crm/v3/objects/contacts") { request, _ in
            let limit = min(max(request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 10, 1), 100)
            let after = request.uri.queryParameters.get("after").flatMap { Int($0) } ?? 0
            let all = await store.searchSnapshot().map(\.contact)
            let names = Self.requestedProperties(request) ?? HubSpotProperties.defaults
            var body = jsonObject(["results": .array(all.dropFirst(after).prefix(limit).map { $0.json(properties: names) })])
            if after + limit < all.count {
                body["paging"] = .object(jsonObject(["next": .object(jsonObject(["after": .string(String(after + limit))]))]))
            }
            return MockHTTP.json(.object(body))
        }
        group.post("crm/v3/objects/contacts/batch/read") { request, context in
            await Self.respond { () throws(HubSpotError) in try await Self.batchRead(try await Self.body(request, context), store: store) }
        }
        for (path, kind) in [("batch/create", HubSpotWriteKind.create), ("batch/update", .update), ("batch/upsert", .upsert)] {
            group.post(RouterPath("crm/v3/objects/contacts/\(path)")) { request, context in
                await Self.respond { () throws(HubSpotError) in
                    try await Self.batchWrite(try await Self.body(request, context), kind: kind, store: store)
                }
            }
        }
        group.post("crm/v3/objects/contacts/search") { request, context in
            await Self.respond { () throws(HubSpotError) in
                let search = try HubSpotSearch.parse(try await Self.body(request, context))
                let (total, page) = search.run(await store.searchSnapshot())
                let names = search.properties ?? HubSpotProperties.defaults
                var body = jsonObject([
                    "total": .number(String(total)),
                    "results": .array(page.map { contact, indexed in contact.json(properties: names, from: indexed) }),
                ])
                if search.after + page.count < total {
                    body["paging"] = .object(jsonObject(["next": .object(jsonObject(["after": .string(String(search.after + page.count))]))]))
                }
                return MockHTTP.json(.object(body))
            }
        }
    }

    /// Turns a thrown `HubSpotError` into HubSpot's error answer.
    static func respond(_ body: () async throws(HubSpotError) -> Response) async -> Response {
        do throws(HubSpotError) {
            return try await body()
        } catch {
            return error.response
        }
    }

    static func body(_ request: Request, _ context: MockRequestContext) async throws(HubSpotError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError>
        do {
            result = try await MockHTTP.jsonBody(request, context: context)
        } catch {
            throw .validation("The request body could not be read: \(error)")
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw .invalidJSON(error.description)
        }
    }

    static func requestedProperties(_ request: Request) -> [String]? {
        let values = request.uri.queryParameters.getAll("properties").flatMap { $0.split(separator: ",").map(String.init) }
        return values.isEmpty ? nil : values
    }

    static func inputs(_ body: JSONValue) throws(HubSpotError) -> [JSONValue] {
        guard let inputs = body["inputs"]?.arrayValue else { throw .invalidJSON("expected an object with an \"inputs\" array") }
        guard inputs.count <= batchLimit else {
            throw .validation(
                "The maximum number of inputs supported in a batch request is \(batchLimit). Please reduce the number of items and try again (got \(inputs.count))."
            )
        }
        return inputs
    }

    static func envelope(results: [JSONValue], errors: [JSONValue]) -> JSONValue {
        let now = HubSpotContact.timestamp(.now)
        var object = jsonObject(["status": "COMPLETE", "results": .array(results)])
        if !errors.isEmpty {
            object["numErrors"] = .number(String(errors.count))
            object["errors"] = .array(errors)
        }
        object["startedAt"] = .string(now)
        object["completedAt"] = .string(now)
        return .object(object)
    }
}
