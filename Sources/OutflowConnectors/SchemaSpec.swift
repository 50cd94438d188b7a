import OutflowCore

/// How a connector learns the application's user properties (DESIGN 9b `schema`): static
/// properties written in the workspace schema format, plus, optionally, a request that lists the
/// others and how to read each record's name, kind, writability, uniqueness and requiredness.
///
/// ```json
/// "schema": {
///   "request": {"method": "GET", "path": "/crm/v3/properties/contacts"},
///   "records": "results", "name": "name", "description": "label",
///   "kind": {"path": "type", "map": {"number": "float", "bool": "boolean", "datetime": "datetime"}, "default": "string"},
///   "readOnly": "modificationMetadata.readOnlyValue", "unique": "hasUniqueValue"
/// }
/// ```
public struct SchemaSpec: Sendable {
    /// Properties every user has, whatever the discovery answers (Mailchimp `email_address`, `status`).
    public var staticProperties: [Property]
    public var request: RequestSpec?
    public var records: ResponsePath
    /// Discovered properties go inside this object property (Mailchimp `merge_fields`).
    public var parent: String?
    public var name: ResponsePath
    public var description: ResponsePath?
    public var kindPath: ResponsePath?
    /// The application's type name -> a kind of the Krenalis type system.
    public var kindMap: [String: String]
    public var defaultKind: String
    public var readOnly: ResponsePath?
    public var unique: ResponsePath?
    public var required: ResponsePath?
    /// Paging of the discovery request.
    public var paging: PagingSpec?
    /// The application takes any properties (a webhook): outSchema is not checked against this schema.
    public var open: Bool

    static let kinds: [String: DataType] = [
        "string": .string(StringType()), "boolean": .boolean, "int": .int(IntType()), "float": .float(FloatType()),
        "datetime": .datetime, "date": .date, "time": .time, "json": .json, "uuid": .uuid,
        "array": .array(ArrayType(elementType: .string(StringType()))),
    ]

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> SchemaSpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        var staticProperties: [Property] = []
        if let items = fields.array("static") {
            staticProperties = ObjectType.decode(properties: items, path: fields.memberPath("static"), issues: &fields.issues)?.properties ?? []
        }
        let request = fields.value("request").flatMap { RequestSpec.decode($0, path: fields.memberPath("request"), issues: &fields.issues) }
        var kindPath: ResponsePath?
        var kindMap: [String: String] = [:]
        var defaultKind = "string"
        if let kind = fields.objectMember("kind") {
            var k = JSONFields(kind, path: fields.memberPath("kind"))
            kindPath = k.string("path", required: true).map(ResponsePath.init)
            if let map = k.objectMember("map") {
                for member in map.members {
                    guard case .string(let target) = member.value, kinds[target] != nil else {
                        k.issues.append(
                            Diagnostic(
                                path: JSONPath.member(k.memberPath("map"), member.key),
                                message: "expected one of \(kinds.keys.sorted().joined(separator: ", ")), found \(JSONWriter.string(member.value))"
                            )
                        )
                        continue
                    }
                    kindMap[member.key] = target
                }
            }
            if let text = k.string("default") {
                if kinds[text] == nil {
                    k.issues.append(
                        Diagnostic(
                            path: k.memberPath("default"),
                            message: "expected one of \(kinds.keys.sorted().joined(separator: ", ")), found \"\(text)\""
                        )
                    )
                } else {
                    defaultKind = text
                }
            }
            k.rejectUnknown()
            fields.issues += k.issues
        }
        let spec = SchemaSpec(
            staticProperties: staticProperties,
            request: request,
            records: ResponsePath(fields.string("records") ?? ""),
            parent: fields.string("parent"),
            name: ResponsePath(fields.string("name") ?? "name"),
            description: fields.string("description").map(ResponsePath.init),
            kindPath: kindPath,
            kindMap: kindMap,
            defaultKind: defaultKind,
            readOnly: fields.string("readOnly").map(ResponsePath.init),
            unique: fields.string("unique").map(ResponsePath.init),
            required: fields.string("required").map(ResponsePath.init),
            paging: fields.objectMember("paging").map { PagingSpec.decode($0, path: fields.memberPath("paging"), issues: &fields.issues) },
            open: fields.bool("open") ?? false
        )
        if request == nil, object["static"] == nil, !spec.open {
            fields.issues.append(Diagnostic(path: path, message: "expected \"static\" properties, a discovery \"request\", or \"open\": true"))
        }
        fields.rejectUnknown()
        return spec
    }

    /// One discovered property from a record, or nil when it is read-only or has no name.
    func property(from record: JSONValue) -> (property: Property, unique: Bool)? {
        guard let name = self.name.string(record), !name.isEmpty else { return nil }
        if let readOnly, case .bool(true)? = readOnly.read(record) { return nil }
        var type = DataType.string(StringType())
        if let kindPath {
            let appType = kindPath.string(record) ?? ""
            type = Self.kinds[kindMap[appType] ?? defaultKind] ?? type
        }
        let isRequired: Bool
        if let required, case .bool(true)? = required.read(record) { isRequired = true } else { isRequired = false }
        let isUnique: Bool
        if let unique, case .bool(true)? = unique.read(record) { isUnique = true } else { isUnique = false }
        let text = description.flatMap { $0.string(record) }
        return (Property(name: name, type: type, readOptional: true, createRequired: isRequired, nullable: true, description: text), isUnique)
    }
}

/// How to ask for the next page: a cursor read from the answer (`paging.next.after`) sent back as a
/// body member or query parameter, or an offset counted by the client.
///
/// ```json
/// "paging": {"cursor": "paging.next.after", "param": "after", "in": "body"}
/// "paging": {"offset": "offset", "limit": "count", "size": 1000, "in": "query"}
/// ```
public struct PagingSpec: Sendable {
    public enum Location: String, Sendable { case query, body }
    public var cursor: ResponsePath?
    /// A path in the answer to the absolute URL of the next page (JSON:API `links.next`), fetched as it is.
    public var next: ResponsePath?
    public var param: String
    public var limitParam: String?
    public var size: Int
    public var location: Location
    /// The most pages read before giving up (a guard against an API that never ends).
    public var maxPages: Int

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> PagingSpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let cursor = fields.string("cursor").map(ResponsePath.init)
        let offset = fields.string("offset")
        let param = fields.string("param")
        let next = fields.string("next").map(ResponsePath.init)
        if cursor == nil, offset == nil, next == nil {
            fields.issues.append(
                Diagnostic(
                    path: path,
                    message: "expected \"cursor\" (a path in the answer), \"next\" (a path to the next page's URL) or \"offset\" (a parameter name)"
                )
            )
        }
        if cursor != nil, param == nil {
            fields.issues.append(Diagnostic(path: fields.memberPath("param"), message: "is required with \"cursor\""))
        }
        var location = Location.query
        if let text = fields.string("in") {
            if let parsed = Location(rawValue: text) {
                location = parsed
            } else {
                fields.issues.append(Diagnostic(path: fields.memberPath("in"), message: "expected \"query\" or \"body\", found \"\(text)\""))
            }
        }
        let spec = PagingSpec(
            cursor: cursor,
            next: next,
            param: param ?? offset ?? "offset",
            limitParam: fields.string("limit"),
            size: fields.positiveInt("size") ?? 100,
            location: location,
            maxPages: fields.positiveInt("maxPages", maximum: 1_000_000) ?? 10_000
        )
        fields.rejectUnknown()
        return spec
    }
}
