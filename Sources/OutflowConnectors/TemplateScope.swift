import OutflowCore

/// The names a connector template may read, and their values for one evaluation.
///
/// | name | holds |
/// | --- | --- |
/// | `settings` | the connection's settings, resolved (defaults, derived values, `${ENV}`) |
/// | `user` | the user of this item (create, update, upsert), keyed by user-schema paths |
/// | `users` | every user of the batch |
/// | `values` | the matching values of a lookup batch |
/// | `items` | a lookup batch's items built from its `item` template (joined by `join` into one string when given) |
/// | `value` | one matching value (a lookup per user) |
/// | `property` | the property a lookup or an upsert matches on |
/// | `id` | the app user id of an update; the item's correlation id on create and upsert |
/// | `index` | the 0-based position of the item in its batch |
/// | `record` | one record of an answer (result keys, schema properties) |
/// | `origin` | the origin of a started mock (the connector's `mock.settings`) |
///
/// ```swift
/// var scope = TemplateScope(settings: settings)
/// scope.user = .object(["email": "a@b.c"])
/// ```
public struct TemplateScope: Sendable {
    public static let names = ["settings", "user", "users", "values", "items", "value", "property", "id", "index", "record", "origin"]

    public var settings: JSONValue?
    public var user: JSONValue?
    public var users: JSONValue?
    public var values: JSONValue?
    public var items: JSONValue?
    public var value: JSONValue?
    public var property: JSONValue?
    public var id: JSONValue?
    public var index: JSONValue?
    public var record: JSONValue?
    public var origin: JSONValue?

    public init(settings: JSONObject) {
        self.settings = .object(settings)
    }

    func values(for names: [String]) -> [JSONValue?] {
        names.map(value(named:))
    }

    func value(named name: String) -> JSONValue? {
            switch name {
            case "settings": settings
            case "user": user
            case "users": users
            case "values": values
            case "items": items
            case "value": value
            case "property": property
            case "id": id
            case "index": index
            case "record": record
            case "origin": origin
            default: nil
            }
    }
}
