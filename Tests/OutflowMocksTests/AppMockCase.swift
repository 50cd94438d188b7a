import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks

/// What the shared tests of `AppMockTests` need to know about one application mock: how to
/// authenticate, one read and one create in its own protocol, and how its error bodies look.
struct AppMockCase: Sendable, CustomStringConvertible {
    let kind: MockKind
    /// Credential and required headers in the API's own scheme.
    let headers: [(String, String)]
    /// A GET of the user `/__mock/users` lists first.
    let readPath: @Sendable (JSONValue) -> String
    /// A request that creates `ghost@example.org`.
    let create: (method: HTTPMethod, path: String, body: String, contentType: String)
    /// The email of a user as `/__mock/users` shows it.
    let email: @Sendable (JSONValue) -> String?
    /// True when `body` is this API's error document.
    let isError: @Sendable (JSONValue) -> Bool

    var description: String { kind.rawValue }
    var fixture: String { kind.rawValue }

    func send(_ mock: MockHarness, _ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String = "application/json")
        async throws -> MockHarness.Answer
    {
        try await mock.request(method, path, body: body, contentType: contentType, headers: headers)
    }

    func sendCreate(_ mock: MockHarness) async throws -> MockHarness.Answer {
        try await send(mock, create.method, create.path, body: create.body, contentType: create.contentType)
    }

    static let klaviyo = AppMockCase(
        kind: .klaviyo,
        headers: KlaviyoMockTests.auth,
        readPath: { "/api/profiles/\($0["id"]?.string ?? "")" },
        create: (.post, "/api/profiles", #"{"data":{"type":"profile","attributes":{"email":"ghost@example.org"}}}"#, "application/vnd.api+json"),
        email: { $0["attributes"]?["email"]?.string },
        isError: { $0["errors"]?[0]?["code"]?.string != nil && $0["errors"]?[0]?["status"]?.int != nil })

    static let stripe = AppMockCase(
        kind: .stripe,
        headers: StripeMockTests.auth,
        readPath: { "/v1/customers/\($0["id"]?.string ?? "")" },
        create: (.post, "/v1/customers", "email=ghost%40example.org", StripeMockTests.form),
        email: { $0["email"]?.string },
        isError: { $0["error"]?["type"]?.string != nil && $0["error"]?["message"]?.string != nil })

    static let intercom = AppMockCase(
        kind: .intercom,
        headers: IntercomMockTests.auth,
        readPath: { "/contacts/\($0["id"]?.string ?? "")" },
        create: (.post, "/contacts", #"{"role":"user","email":"ghost@example.org"}"#, "application/json"),
        email: { $0["email"]?.string },
        isError: { $0["type"] == "error.list" && $0["errors"]?[0]?["code"]?.string != nil })

    static let brevo = AppMockCase(
        kind: .brevo,
        headers: BrevoMockTests.auth,
        readPath: { "/v3/contacts/\($0["id"]?.int ?? 0)" },
        create: (.post, "/v3/contacts", #"{"email":"ghost@example.org"}"#, "application/json"),
        email: { $0["email"]?.string },
        isError: { $0["code"]?.string != nil && $0["message"]?.string != nil })

    static let mailerlite = AppMockCase(
        kind: .mailerlite,
        headers: MailerLiteMockTests.auth,
        readPath: { "/api/subscribers/\($0["id"]?.string ?? "")" },
        create: (.post, "/api/subscribers", #"{"email":"ghost@example.org"}"#, "application/json"),
        email: { $0["email"]?.string },
        isError: { $0["message"]?.string != nil && $0["data"] == nil })

    static let all: [AppMockCase] = [.klaviyo, .stripe, .intercom, .brevo, .mailerlite]
}
