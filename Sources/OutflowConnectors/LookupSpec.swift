import OutflowCore

/// One way to find app users by matching values (DESIGN 9b `lookup`); a connector lists several and
/// the first whose `properties` holds the matching property is used.
///
/// `mode` is `batch` (one request per batch of values: HubSpot `batch/read` by a unique property,
/// or search with `IN`), `perValue` (one request per value, concurrently: Mailchimp's member by
/// `md5(lower(email))`), or `list` (page through every user and match locally).
///
/// ```json
/// {"properties": ["email"], "mode": "batch", "batchSize": 100,
///  "request": {"method": "POST", "path": "/crm/v3/objects/contacts/batch/read",
///              "body": {"idProperty": "{{ property }}", "properties": ["{{ property }}"]}},
///  "wrapper": "inputs", "item": {"id": "{{ value }}"},
///  "records": "results", "id": "id", "match": "properties.{property}"}
/// ```
public struct LookupSpec: Sendable {
    public enum Mode: String, Sendable, CaseIterable { case batch, perValue, list }

    /// The properties this lookup can match on; `["*"]` for any.
    public var properties: [String]
    public var mode: Mode
    public var batchSize: Int
    public var request: RequestSpec
    /// Where the array of per-value items goes in the body (batch mode with `item`).
    public var wrapper: String?
    public var item: Template?
    /// Without `wrapper`: the items, as text, joined by this into the string `items` (Stripe's
    /// `email:'a' OR email:'b'`); without it `items` is the array.
    public var join: String?
    public var records: ResponsePath
    public var id: ResponsePath
    /// Where a record holds the matching value; `{property}` stands for the matching property.
    public var match: ResponsePath
    /// Statuses that mean "none found" rather than a failure (404 for a GET per user).
    public var notFound: Set<Int>
    public var paging: PagingSpec?

    func accepts(_ property: String) -> Bool { properties.contains("*") || properties.contains(property) }

    static func decode(_ json: JSONValue, path: String, issues: inout [Diagnostic]) -> LookupSpec? {
        guard let object = JSONFields.object(json, path: path, issues: &issues) else { return nil }
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let properties = fields.stringArray("properties", required: true) ?? []
        var mode = Mode.batch
        if let text = fields.string("mode") {
            if let parsed = Mode(rawValue: text) {
                mode = parsed
            } else {
                fields.issues.append(
                    Diagnostic(
                        path: fields.memberPath("mode"),
                        message: "expected one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\""
                            + Suggestion.hint(for: text, in: Mode.allCases.map(\.rawValue))
                    )
                )
            }
        }
        let request = fields.value("request", required: true).flatMap {
            RequestSpec.decode($0, path: fields.memberPath("request"), issues: &fields.issues)
        }
        let spec = LookupSpec(
            properties: properties,
            mode: mode,
            batchSize: fields.positiveInt("batchSize", maximum: 10_000) ?? 100,
            request: request ?? RequestSpec(method: .get, path: .literal("/"), query: [], body: nil, group: "default", idempotent: nil),
            wrapper: fields.string("wrapper"),
            item: fields.template("item"),
            join: fields.string("join"),
            records: ResponsePath(fields.string("records") ?? ""),
            id: ResponsePath(fields.string("id") ?? "id"),
            match: ResponsePath(fields.string("match", required: true) ?? ""),
            notFound: fields.statuses("notFound") ?? [],
            paging: fields.objectMember("paging").map { PagingSpec.decode($0, path: fields.memberPath("paging"), issues: &fields.issues) }
        )
        if spec.wrapper != nil, spec.item == nil {
            fields.issues.append(
                Diagnostic(path: path, message: "\"wrapper\" needs \"item\": the items are built from \"item\" and put at \"wrapper\"")
            )
        }
        if spec.join != nil, spec.item == nil || spec.wrapper != nil {
            fields.issues.append(Diagnostic(path: fields.memberPath("join"), message: "needs \"item\" and no \"wrapper\": it joins the items into `items`"))
        }
        fields.rejectUnknown()
        return request == nil ? nil : spec
    }
}
