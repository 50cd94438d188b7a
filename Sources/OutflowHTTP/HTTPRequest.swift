/// One HTTP request as the connectors build it.
///
/// `isIdempotent` decides what a retry may do once the request may have reached the server: an
/// idempotent request (GET, PUT of a whole object, a batch upsert) is simply sent again, while a create
/// is not, because sending it twice could create the user twice (DESIGN 10: "no user created twice").
///
/// ```swift
/// var request = HTTPRequest(method: .post, url: "https://api.hubapi.com/crm/v3/objects/contacts/batch/create")
/// request.headers["Content-Type"] = "application/json"
/// request.body = Array(json.utf8)
/// request.isIdempotent = false
/// ```
public struct HTTPRequest: Sendable, CustomStringConvertible {
    public var method: HTTPMethod
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    /// The whole exchange, connecting included, must finish within this time.
    public var timeout: Duration
    /// Whether sending the request twice has the same effect as sending it once.
    public var isIdempotent: Bool

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(30),
        isIdempotent: Bool? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.isIdempotent = isIdempotent ?? method.isIdempotent
    }

    /// The method and the redacted URL: safe to log.
    public var description: String {
        "\(method.rawValue) \(Redaction.url(url))"
    }
}

/// The request methods the connectors use; `custom` covers the rest.
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")

    /// RFC 9110 §9.2.2: POST and PATCH are the methods that may not be repeated safely.
    public var isIdempotent: Bool { self != .post && self != .patch }
}
