import Hummingbird
import OutflowCore

/// What one imitated application contributes to a `MockServer`: its routes and state, and the
/// answers that differ from API to API (its 401, its 429 and rate-limit headers, its 5xx bodies).
///
/// Everything common (credential check order, rolling-window limits, faults, statistics, the
/// `/__mock/` endpoints) lives in the server, so every mock behaves alike where DESIGN 9b says so.
protocol MockAPI: Sendable {
    /// The limits the API documents, or those `setting` asks for instead.
    func rateLimits(_ setting: RateLimitSetting) -> [RateLimitRule]

    /// nil when the request carries an acceptable credential; otherwise the API's own 401.
    /// With `token` set only that credential is accepted.
    func authenticationFailure(_ request: Request, token: String?) -> Response?

    /// nil when the request has the headers the API requires besides the credential (Klaviyo's
    /// `revision`); otherwise the API's own refusal. Checked after the credential, before limits.
    func headerFailure(_ request: Request) -> Response?

    /// The API's 429 for `rule` (a real limit, or an injected fault when `injected`).
    func tooManyRequests(rule: RateLimitRule, retryAfter: Duration, injected: Bool) -> Response

    /// The API's answer for an injected 500, 502 or 503.
    func serverError(_ status: HTTPResponse.Status) -> Response

    /// Adds headers the API sends on every answer (HubSpot's `X-HubSpot-RateLimit-*`).
    func decorate(_ response: inout Response, limit: RateLimitStatus?)

    /// Registers the API's own routes on `group`, which already checks credentials and limits.
    func addRoutes(to group: RouterGroup<MockRequestContext>)

    /// Every user (or delivery), in creation order, in the shape of the API's get-one.
    func users() async -> [JSONValue]
    /// Adds users given in the shape `users()` returns.
    func load(_ users: [JSONValue]) async throws(MockLoadError)
    /// Back to the users the mock started with.
    func reset() async
}

extension MockAPI {
    func headerFailure(_ request: Request) -> Response? { nil }
}

/// One limit: at most `limit` requests per rolling `window` for the requests `matches` selects.
struct RateLimitRule: Sendable {
    /// The API's name for it (HubSpot's `policyName`: `TEN_SECONDLY_ROLLING`, `SECONDLY`).
    let policy: String
    let limit: Int
    let window: Duration
    let matches: @Sendable (HTTPRequest.Method, String) -> Bool
}

/// Where the main limit stands after a request, for headers such as `X-HubSpot-RateLimit-Remaining`.
struct RateLimitStatus: Sendable {
    let limit: Int
    let remaining: Int
    let window: Duration
    /// How long until the oldest request in the window leaves it and frees one more slot (zero
    /// when the window is empty): the "reset" of `x-sib-ratelimit-reset`, `RateLimit-Reset` and
    /// `X-RateLimit-Reset`, which describe fixed windows that a rolling one only approximates.
    var resetIn: Duration = .zero

    /// `resetIn` in whole seconds, rounded up, at least 1: what APIs put in reset headers.
    var resetSeconds: Int { Self.seconds(resetIn) }

    /// `duration` in whole seconds, rounded up, at least 1 (a `Retry-After` of 0 would invite a busy loop).
    static func seconds(_ duration: Duration) -> Int {
        let milliseconds = MockDuration.milliseconds(duration)
        return max(1, Int((milliseconds + 999) / 1000))
    }
}

/// A user in `--users` or `POST /__mock/load` that the mock cannot take; names the user and why.
public struct MockLoadError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
