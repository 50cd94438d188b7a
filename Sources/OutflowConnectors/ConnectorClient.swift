import Foundation
import OutflowCore
import OutflowHTTP

/// An ``ApplicationClient`` that interprets a ``Connector`` file for one connection.
///
/// Every request goes through a ``RetryingHTTPClient`` over the given transport (the libcurl
/// ``HTTPClient`` in production) with the connector's retry policy and a ``RateLimiter`` built from
/// its `rateLimit`. Limits belong to the connection: build one limiter per connection
/// (`connector.rateLimit.makeLimiter()`) and pass it to every client of that connection, or share
/// one client (it is a value whose copies share the limiter).
///
/// ```swift
/// let registry = try ConnectorRegistry.load(workspaceDirectory: file.directory)
/// let connector = try registry.require(connection.connector)
/// let client = try ConnectorClient(connector: connector, connection: connection, transport: HTTPClient())
/// let found = try await client.lookup(property: "email", values: [.string("ada@example.org")])
/// ```
///
/// 401 and 403 are never retried and become ``ApplicationError/authenticationFailed(connector:status:message:)``
/// (a write's items fail with "authentication failed"). A create whose answer was lost (a dropped
/// connection after sending, a 500/502/504) is `outcomeUnknown` per item, never sent again blindly.
public struct ConnectorClient: ApplicationClient {
    public let connector: Connector
    /// The resolved settings, secrets included: internal, never printed.
    let settings: JSONObject
    let baseURL: String
    let api: RetryingHTTPClient
    let clock: any HTTPClock
    let authHeader: (name: String, value: String)?
    let fixedHeaders: [(String, String)]
    let signingSecret: String?

    /// - Parameters:
    ///   - connection: its `settings` are validated against the connector's and resolved (`${NAME}`
    ///     from `environment`, defaults, derived values). `connection.mock` is not looked at: the
    ///     caller points `baseURL` at a started mock.
    ///   - transport: usually the process's one ``HTTPClient``.
    ///   - limiter: the connection's limiter; nil builds one from the connector's `rateLimit`.
    public init(
        connector: Connector,
        connection: Connection,
        transport: any HTTPTransport,
        limiter: RateLimiter? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: any HTTPClock = SystemClock()
    ) throws(ApplicationError) {
        try self.init(
            connector: connector,
            settings: connection.settings,
            transport: transport,
            limiter: limiter,
            environment: environment,
            clock: clock
        )
    }

    /// The same, from settings alone (tests, `outflow connections test`).
    public init(
        connector: Connector,
        settings given: JSONObject,
        transport: any HTTPTransport,
        limiter: RateLimiter? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: any HTTPClock = SystemClock()
    ) throws(ApplicationError) {
        self.connector = connector
        self.clock = clock
        let settings: JSONObject
        do {
            settings = try connector.settings.resolve(given, environment: environment)
        } catch {
            throw .invalidSettings(connector: connector.name, message: error.message)
        }
        self.settings = settings
        switch Connector.baseURL(in: settings) {
        case .success(let base): baseURL = base
        case .failure(let problem): throw .invalidSettings(connector: connector.name, message: problem.message)
        }
        let scope = TemplateScope(settings: settings)
        do {
            authHeader = try connector.auth.header(scope)
        } catch {
            throw .invalidSettings(connector: connector.name, message: error.message)
        }
        var headers: [(String, String)] = []
        if let template = connector.headers {
            do {
                if case .object(let object)? = try template.evaluate(scope) {
                    for member in object.members {
                        switch member.value {
                        case .string(let text): headers.append((member.key, text))
                        case .number(let text): headers.append((member.key, text))
                        case .null: continue
                        default: throw ApplicationError.invalidSettings(connector: connector.name, message: "header \(member.key) must be a string")
                        }
                    }
                }
            } catch let error as ApplicationError {
                throw error
            } catch {
                throw .invalidSettings(connector: connector.name, message: "the headers cannot be computed: \(error)")
            }
        }
        fixedHeaders = headers
        signingSecret = connector.signature.flatMap { try? $0.secret.string(scope) }
        api = RetryingHTTPClient(
            transport: transport,
            policy: connector.retry.policy,
            limiter: limiter ?? connector.rateLimit.makeLimiter(clock: clock),
            clock: clock
        )
    }

    /// The connector's capabilities, with batch sizes a connection may set (the webhook's `batchSize`).
    public var capabilities: ApplicationCapabilities {
        var capabilities = connector.capabilities
        if let spec = connector.create { capabilities.createBatchSize = batchSize(spec) }
        if let spec = connector.update { capabilities.updateBatchSize = batchSize(spec) }
        if let spec = connector.upsert { capabilities.upsertBatchSize = batchSize(spec) }
        return capabilities
    }

    /// The transport's preferred executor (``HTTPClient``'s event loop): a batch's work between two
    /// requests (building the body from templates, reading the answer) is short, and on the loop the
    /// requests cost no thread switch.
    public var taskExecutor: (any TaskExecutor)? { api.preferredTaskExecutor }

    /// The batch size of a write: the connection's setting when the spec names one, else the spec's.
    func batchSize(_ spec: WriteSpec) -> Int {
        if let name = spec.batchSizeSetting, case .number(let text)? = settings[name], let size = Int(text) { return min(max(size, 1), 10_000) }
        return spec.batchSize
    }

    // MARK: Requests

    /// An answer: the response and its body parsed as JSON (nil when empty or not JSON).
    struct Answer {
        var response: HTTPResponse
        var json: JSONValue?
        var status: Int { response.status }
    }

    /// Sends `spec` for `scope`, with `body` (already built) when given, else the spec's body template.
    /// `absoluteURL` replaces the spec's path and query (a `next` link of cursor paging).
    func send(
        _ spec: RequestSpec,
        scope: TemplateScope,
        body: JSONValue? = nil,
        signatureIDs: [String]? = nil,
        absoluteURL: String? = nil,
        trim: JSONTrim? = nil
    ) async throws(RequestFailure) -> Answer {
        var url = absoluteURL ?? ""
        var payload = body
        var headers: JSONValue?
        do {
            if absoluteURL == nil { url = try spec.url(baseURL: baseURL, scope: scope) }
            if payload == nil, let template = spec.body { payload = try template.evaluate(scope) }
            headers = try spec.headers?.evaluate(scope)
        } catch {
            throw .template(error)
        }
        var request = HTTPRequest(method: spec.method, url: url, isIdempotent: spec.idempotent)
        request.headers["Accept"] = "application/json"
        if let authHeader { request.headers[authHeader.name] = authHeader.value }
        for (name, value) in fixedHeaders { request.headers[name] = value }
        if case .object(let object)? = headers {
            for member in object.members {
                switch member.value {
                case .string(let text): request.headers[member.key] = text
                case .number(let text): request.headers[member.key] = text
                default: continue
                }
            }
        }
        if let payload {
            let bytes: [UInt8]
            switch spec.encoding {
            case .json:
                bytes = JSONByteWriter.bytes(payload, capacity: 4096)
                request.headers["Content-Type"] = spec.contentType ?? "application/json"
            case .form:
                bytes = Array(FormBody.encode(payload).utf8)
                request.headers["Content-Type"] = spec.contentType ?? "application/x-www-form-urlencoded"
            }
            request.body = bytes
            if connector.signature != nil {
                let id = DeliveryID.batch(signatureIDs ?? [Digest.hex(Digest.sha256(bytes))])
                for (name, value) in SignatureSpec.headers(secret: signingSecret, id: id, timestamp: Int(clock.unixTime()), body: bytes) {
                    request.headers[name] = value
                }
            }
        }
        let response: HTTPResponse
        do {
            response = try await api.send(request, group: spec.group)
        } catch {
            throw .http(error)
        }
        // A successful answer is read only by the paths `trim` keeps; an error answer whole (its message,
        // a conflict's existing id).
        let json: JSONValue?
        if response.body.isEmpty {
            json = nil
        } else if let trim, response.isSuccess {
            json = try? JSONParser.parse(bytes: response.body, trimming: trim)
        } else {
            json = try? JSONParser.parse(bytes: response.body)
        }
        return Answer(response: response, json: json)
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        return String(url[..<hostEnd])
    }

    /// Why a request gave no answer to read.
    enum RequestFailure: Error {
        case template(TemplateError)
        case http(HTTPError)
    }

    /// A readable message from an error answer: the first of the connector's `errorMessage` paths
    /// that holds text, else the start of the body.
    func message(_ answer: Answer) -> String {
        if let json = answer.json {
            for path in connector.errorMessage {
                if let text = path.string(json), !text.isEmpty { return text }
            }
        }
        let text = answer.response.text
        return text.isEmpty ? "no body" : String(text.prefix(300))
    }

    /// The whole-request error of a failed answer (`what` says what was being done).
    func failure(_ answer: Answer, _ what: String) -> ApplicationError {
        switch answer.status {
        case 401, 403: return .authenticationFailed(connector: connector.name, status: answer.status, message: message(answer))
        case let status where connector.missingStatuses.contains(status):
            return .missingResource(connector: connector.name, message: "\(what): HTTP \(status): \(message(answer))")
        default:
            return .requestFailed(connector: connector.name, message: "\(what): HTTP \(answer.status): \(message(answer))")
        }
    }

    func failure(_ error: RequestFailure, _ what: String) -> ApplicationError {
        switch error {
        case .template(let error): return .requestFailed(connector: connector.name, message: "\(what): \(error)")
        case .http(let error):
            switch error {
            case .hostNotAllowed, .invalidURL:
                // The connection points where it may not or cannot go: every batch would fail the
                // same way, so this stops the run at once (DESIGN 9), rather than after five batches.
                return .invalidSettings(connector: connector.name, message: "\(what): \(error)")
            default:
                return .requestFailed(connector: connector.name, message: "\(what): \(error)")
            }
        }
    }

    // MARK: Test and schema

    public func test() async throws(ApplicationError) {
        guard let spec = connector.test else { return }
        let answer: Answer
        do {
            answer = try await send(spec, scope: TemplateScope(settings: settings))
        } catch {
            throw failure(error, "test request")
        }
        guard answer.response.isSuccess else { throw failure(answer, "test request") }
    }

    public func schema() async throws(ApplicationError) -> ObjectType {
        let spec = connector.schema
        var properties = spec.staticProperties
        guard let request = spec.request else { return ObjectType(properties: properties) }
        var records: [JSONValue] = []
        do {
            records = try await fetchPages(
                request,
                records: spec.records,
                paging: spec.paging,
                scope: TemplateScope(settings: settings),
                what: "schema request"
            )
        }
        var discovered: [Property] = []
        for record in records {
            guard let (property, _) = spec.property(from: record) else { continue }
            if properties.contains(where: { $0.name == property.name }) || discovered.contains(where: { $0.name == property.name }) { continue }
            discovered.append(property)
        }
        if let parent = spec.parent {
            if let index = properties.firstIndex(where: { $0.name == parent }), case .object(var object) = properties[index].type {
                object.properties += discovered.filter { p in !object.properties.contains { $0.name == p.name } }
                properties[index].type = .object(object)
            } else {
                properties.append(Property(name: parent, type: .object(ObjectType(properties: discovered)), readOptional: true))
            }
        } else {
            properties += discovered
        }
        return ObjectType(properties: properties)
    }

    /// Every record of a paged listing (`paging` nil: one page).
    func fetchPages(
        _ spec: RequestSpec,
        records path: ResponsePath,
        paging: PagingSpec?,
        scope: TemplateScope,
        property: String? = nil,
        what: String
    ) async throws(ApplicationError) -> [JSONValue] {
        var out: [JSONValue] = []
        var body: JSONValue?
        do {
            body = try spec.body?.evaluate(scope)
        } catch {
            throw .requestFailed(connector: connector.name, message: "\(what): \(error)")
        }
        var pageSpec = spec
        var cursor: String?
        var nextURL: String?
        var offset = 0
        for _ in 0..<(paging?.maxPages ?? 1) {
            if let paging, paging.next == nil {
                var parameters: [(String, JSONValue)] = []
                if let limit = paging.limitParam { parameters.append((limit, .number(String(paging.size)))) }
                if paging.cursor != nil {
                    if let cursor { parameters.append((paging.param, .string(cursor))) }
                } else {
                    parameters.append((paging.param, .number(String(offset))))
                }
                pageSpec = spec
                for (name, value) in parameters {
                    switch paging.location {
                    case .query: pageSpec.query.append((name, .literal(value)))
                    case .body:
                        // A dotted name sets a nested member (Intercom's `pagination.starting_after`).
                        body = BodyBuilder.insert(value, at: name, in: body ?? .object(JSONObject()))
                    }
                }
            }
            let answer: Answer
            do {
                answer = try await send(pageSpec, scope: scope, body: body, absoluteURL: nextURL)
            } catch {
                throw failure(error, what)
            }
            guard answer.response.isSuccess else { throw failure(answer, what) }
            let page: [JSONValue]
            switch answer.json.flatMap({ path.read($0, property: property) }) {
            case .array(let items)?: page = items
            case nil, .null?: page = []
            case let single?: page = [single]
            }
            out += page
            guard let paging else { break }
            if let nextPath = paging.next {
                guard let json = answer.json, let next = nextPath.string(json), !next.isEmpty else { break }
                // The next page must be on the connection's own origin: a link elsewhere would carry the credential away.
                guard next.hasPrefix(Self.origin(of: baseURL) + "/") else {
                    throw .requestFailed(connector: connector.name, message: "\(what): the next page's URL \"\(next)\" is not on \(Self.origin(of: baseURL))")
                }
                nextURL = next
            } else if let cursorPath = paging.cursor {
                guard let json = answer.json, let next = cursorPath.string(json), !next.isEmpty else { break }
                cursor = next
            } else {
                if page.count < paging.size { break }
                offset += page.count
            }
        }
        return out
    }
}
