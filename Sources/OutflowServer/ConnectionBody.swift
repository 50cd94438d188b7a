import OutflowConnectors
import OutflowCore

/// The body of `POST /v1/connections` and `PUT /v1/connections/{id}`:
/// `{"name", "connector", "settings", "mock"?}`, checked against the connector's settings schema.
///
/// A PUT may send back what `GET` gave (`id`, `connector`, `secrets`): `id` and `connector`
/// must then be the connection's own (a connection does not move to another connector: its
/// pipelines' schemas belong to that application), and `secrets` is dropped.
///
/// ```swift
/// let body = try ConnectionBody(object, registry: registry, existing: nil)
/// let json = body.connection(id: 230527183)
/// ```
struct ConnectionBody {
    var name: String
    var connector: String
    var settings: JSONObject
    var mock: JSONValue?

    /// - Parameter existing: the stored connection a PUT replaces (its `id` and `connector`).
    init(_ object: JSONObject, registry: ConnectorRegistry, existing: (id: Int64, connector: String)?) throws {
        var problems: [Diagnostic] = []
        var allowed = ["name", "connector", "settings", "mock"]
        if existing != nil { allowed += ["id", "secrets"] }
        for key in object.keys where !allowed.contains(key) {
            let hint = key == "id" ? "; the server assigns a connection's id" : Suggestion.hint(for: key, in: allowed)
            problems.append(Diagnostic(path: key, message: "unknown member" + hint))
        }
        if let existing, let id = object["id"], id != .number(String(existing.id)) {
            problems.append(Diagnostic(path: "id", message: "must be \(existing.id), the id in the path"))
        }
        switch object["name"] {
        case .string(let text)? where !text.isEmpty && text.count <= 60:
            name = text
        case .string(let text)?:
            name = ""
            problems.append(Diagnostic(path: "name", message: text.isEmpty ? "must not be empty" : "must be at most 60 characters (it has \(text.count))"))
        case nil:
            name = ""
            problems.append(Diagnostic(path: "name", message: "is required"))
        case let other?:
            name = ""
            problems.append(Diagnostic(path: "name", message: "expected a string, found \(other.typeName)"))
        }
        switch (object["connector"], existing) {
        case (.string(let text)?, .some(let existing)) where text != existing.connector:
            connector = existing.connector
            problems.append(Diagnostic(path: "connector", message: "is \"\(existing.connector)\"; a connection cannot change its connector, create a new one"))
        case (.string(let text)?, _):
            connector = text
        case (nil, .some(let existing)):
            connector = existing.connector
        case (nil, nil):
            connector = ""
            problems.append(Diagnostic(path: "connector", message: "is required"))
        case (let other?, _):
            connector = existing?.connector ?? ""
            problems.append(Diagnostic(path: "connector", message: "expected a string, found \(other.typeName)"))
        }
        switch object["settings"] {
        case .object(let given)?: settings = given
        case nil, .null?: settings = JSONObject()
        case let other?:
            settings = JSONObject()
            problems.append(Diagnostic(path: "settings", message: "expected an object, found \(other.typeName)"))
        }
        mock = object["mock"] == .null ? nil : object["mock"]
        if !problems.isEmpty { throw APIError.invalid(problems) }
        guard registry.connector(named: connector) != nil else { throw APIError.unprocessable("connector does not exist") }
    }

    /// Problems of the settings against the connector's schema, at `settings.KEY`. A mock
    /// connection gets its URL and placeholder credentials from the mock, as a run gives them.
    func settingsProblems(registry: ConnectorRegistry) -> [Diagnostic] {
        guard let definition = registry.connector(named: connector) else { return [] }
        let checked = mock == nil || mock == .bool(false) ? settings : definition.settingsForMock(settings, origin: "http://127.0.0.1:1")
        return definition.settings.validate(checked, path: "settings")
    }

    /// The connection as the workspace document holds it.
    func connection(id: Int64) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .number(String(id))), ("name", .string(name)), ("connector", .string(connector)), ("settings", .object(settings)),
        ]
        if let mock { members.append(("mock", mock)) }
        return .object(JSONObject(members))
    }
}
