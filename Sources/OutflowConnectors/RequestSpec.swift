import OutflowCore
import OutflowHTTP

/// One request of a connector file: method, path (after `settings.baseURL`), query, headers, body
/// and its encoding, the rate-limit group it counts against, and whether it may be repeated safely.
///
/// ```json
/// {"method": "POST", "path": "/crm/v3/objects/contacts/search", "group": "search",
///  "body": {"filterGroups": [{"filters": [{"propertyName": "{{ property }}", "operator": "IN", "values": "{{ values }}"}]}]}}
/// ```
public struct RequestSpec: Sendable {
    /// How a body is written: JSON, or form-encoded with brackets (`metadata[plan]=pro`).
    public enum Encoding: String, Sendable, CaseIterable { case json, form }

    public var method: HTTPMethod
    public var path: Template
    /// The path as the file writes it (for messages and `outflow connectors show`).
    public var pathSource: String = ""
    public var query: [(name: String, value: Template)]
    public var body: Template?
    public var group: String
    /// Whether sending it twice has the effect of sending it once (default: by method; a batch upsert is).
    public var idempotent: Bool?
    /// Headers of this request (a template of an object; scope as the body's, so `{{ id }}` works:
    /// Stripe's `Idempotency-Key`). A member that reads a missing value is not sent.
    public var headers: Template?
    public var encoding: Encoding = .json
    /// Overrides the body's content type (`application/vnd.api+json` for JSON:API).
    public var contentType: String?

    static func decode(_ json: JSONValue, path: String, issues: inout [Diagnostic]) -> RequestSpec? {
        guard let object = JSONFields.object(json, path: path, issues: &issues) else { return nil }
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let method = fields.string("method") ?? "GET"
        if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) {
            fields.issues.append(
                Diagnostic(path: fields.memberPath("method"), message: "expected GET, POST, PUT, PATCH or DELETE, found \"\(method)\"")
            )
        }
        let target = fields.template("path", required: true)
        if let target, case .literal(.string(let text)) = target, !text.isEmpty, !text.hasPrefix("/") {
            fields.issues.append(
                Diagnostic(
                    path: fields.memberPath("path"),
                    message: "expected a path starting with \"/\" (or \"\" for baseURL itself), found \"\(text)\""
                )
            )
        }
        var query: [(name: String, value: Template)] = []
        if let object = fields.objectMember("query") {
            for member in object.members {
                query.append(
                    (
                        name: member.key,
                        value: Template.compile(member.value, path: JSONPath.member(fields.memberPath("query"), member.key), issues: &fields.issues)
                    )
                )
            }
        }
        var spec = RequestSpec(
            method: HTTPMethod(rawValue: method),
            path: target ?? .literal(.string("/")),
            query: query,
            body: fields.template("body"),
            group: fields.string("group") ?? "default",
            idempotent: fields.bool("idempotent")
        )
        if case .string(let text)? = object["path"] { spec.pathSource = text }
        spec.headers = fields.template("headers")
        spec.contentType = fields.string("contentType")
        if let text = fields.string("encoding") {
            if let encoding = Encoding(rawValue: text) {
                spec.encoding = encoding
            } else {
                fields.issues.append(
                    Diagnostic(
                        path: fields.memberPath("encoding"),
                        message: "expected one of \(Encoding.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\""
                            + Suggestion.hint(for: text, in: Encoding.allCases.map(\.rawValue))
                    )
                )
            }
        }
        fields.rejectUnknown()
        return spec
    }

    /// The URL for `scope`: base URL, the evaluated path, and the query (values percent-encoded).
    /// A value an expression puts in the path is one segment: percent-encoded, `/` included, so an
    /// email such as `a/b?c@x.org` cannot change the path (Brevo's `/v3/contacts/{{ value }}`).
    func url(baseURL: String, scope: TemplateScope) throws(TemplateError) -> String {
        var url = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        guard let target = try Self.pathText(path, scope) else {
            throw TemplateError(expression: pathSource, message: "the path reads a value that is missing")
        }
        url += target
        var pairs: [String] = []
        for item in query {
            guard let value = try item.value.string(scope) else { continue }
            pairs.append(Self.encode(item.name) + "=" + Self.encode(value))
        }
        if !pairs.isEmpty { url += (url.contains("?") ? "&" : "?") + pairs.joined(separator: "&") }
        return url
    }

    /// The path with each expression's value percent-encoded as a segment (`@` kept, as RFC 3986 allows).
    private static func pathText(_ template: Template, _ scope: TemplateScope) throws(TemplateError) -> String? {
        switch template {
        case .expression:
            return try template.string(scope).map(segment)
        case .text(let parts):
            var out = ""
            for part in parts {
                switch part {
                case .text(let text): out += text
                case .expression(let expression):
                    guard let value = try Template.expression(expression).string(scope) else { return nil }
                    out += segment(value)
                }
            }
            return out
        default:
            return try template.string(scope)
        }
    }

    private static func segment(_ text: String) -> String {
        encode(text).replacingOccurrences(of: "%40", with: "@")
    }

    /// RFC 3986 unreserved characters stay; everything else is percent-encoded.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0f, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
