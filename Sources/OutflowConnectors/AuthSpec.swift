import Foundation
import OutflowCore

/// How a connector proves who it is (DESIGN 9b `auth`): a bearer token, HTTP Basic, or a named
/// header with a prefix (`Authorization: Klaviyo-API-Key ...`), or nothing (a webhook).
///
/// ```json
/// "auth": {"type": "bearer", "token": "{{ settings.accessToken }}"}
/// "auth": {"type": "basic", "username": "outflow", "password": "{{ settings.apiKey }}"}
/// "auth": {"type": "header", "name": "Authorization", "prefix": "Klaviyo-API-Key ", "value": "{{ settings.apiKey }}"}
/// ```
public enum AuthSpec: Sendable {
    case none
    case bearer(token: Template)
    case basic(username: Template, password: Template)
    case header(name: String, prefix: String, value: Template)

    static let types = ["none", "bearer", "basic", "header"]

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> AuthSpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let type = fields.string("type", required: true) ?? "none"
        let spec: AuthSpec
        switch type {
        case "none": spec = .none
        case "bearer": spec = .bearer(token: fields.template("token", required: true) ?? .literal(""))
        case "basic":
            spec = .basic(
                username: fields.template("username") ?? .literal("outflow"),
                password: fields.template("password", required: true) ?? .literal("")
            )
        case "header":
            spec = .header(
                name: fields.string("name", required: true) ?? "Authorization",
                prefix: fields.string("prefix") ?? "",
                value: fields.template("value", required: true) ?? .literal("")
            )
        default:
            fields.issues.append(
                Diagnostic(
                    path: fields.memberPath("type"),
                    message: "expected one of \(types.joined(separator: ", ")), found \"\(type)\"" + Suggestion.hint(for: type, in: types)
                )
            )
            spec = .none
        }
        fields.rejectUnknown()
        return spec
    }

    /// The header this auth adds, or nil for none. An empty credential is a settings error.
    func header(_ scope: TemplateScope) throws(SettingsError) -> (name: String, value: String)? {
        func text(_ template: Template, _ what: String) throws(SettingsError) -> String {
            let value: String?
            do { value = try template.string(scope) } catch { throw SettingsError(message: "the \(what) cannot be computed: \(error.message)") }
            guard let value, !value.isEmpty else { throw SettingsError(message: "the \(what) is empty") }
            return value
        }
        switch self {
        case .none: return nil
        case .bearer(let token): return ("Authorization", "Bearer " + (try text(token, "access token")))
        case .basic(let username, let password):
            let pair = (try text(username, "user name")) + ":" + (try text(password, "password"))
            return ("Authorization", "Basic " + Data(pair.utf8).base64EncodedString())
        case .header(let name, let prefix, let value): return (name, prefix + (try text(value, "credential")))
        }
    }

    var typeName: String {
        switch self {
        case .none: "none"
        case .bearer: "bearer"
        case .basic: "basic"
        case .header(let name, _, _): "header \(name)"
        }
    }
}
