/// Decoding and validating a whole workspace document (DESIGN section 4).
extension Workspace {
    /// Decodes and validates `json`. Every problem found is reported at once, by JSON path.
    ///
    /// - Parameter connectorNames: the connector names a connection may use (the connector
    ///   registry's, which Core cannot see); nil checks against ``Connection/knownConnectors``.
    public static func decode(_ json: JSONValue, connectorNames: Set<String>? = nil) throws(ValidationError) -> Workspace {
        var issues: [Diagnostic] = []
        let workspace = decode(json, connectorNames: connectorNames.map { $0.sorted() } ?? Connection.knownConnectors, issues: &issues)
        guard issues.isEmpty, let workspace else { throw ValidationError(issues) }
        return workspace
    }

    static func decode(_ json: JSONValue, connectorNames: [String] = Connection.knownConnectors, issues: inout [Diagnostic]) -> Workspace? {
        guard let object = JSONFields.object(json, path: "", issues: &issues) else { return nil }
        var fields = JSONFields(object, path: "")
        let name = fields.string("name", required: true)
        if let name, name.isEmpty { fields.issues.append(Diagnostic(path: "name", message: "must not be empty")) }
        let warehouse = fields.objectMember("warehouse", required: true).flatMap { Warehouse.decode($0, issues: &issues) }
        var connections: [Connection] = []
        for (index, item) in (fields.array("connections") ?? []).enumerated() {
            if let connection = Connection.decode(item, path: "connections[\(index)]", connectorNames: connectorNames, issues: &issues) {
                if connections.contains(where: { $0.id == connection.id }) {
                    issues.append(Diagnostic(path: "connections[\(index)].id", message: "id \(connection.id) is used by another connection"))
                }
                connections.append(connection)
            }
        }
        var pipelines: [Pipeline] = []
        for (index, item) in (fields.array("pipelines") ?? []).enumerated() {
            let path = "pipelines[\(index)]"
            var shapeIssues: [Diagnostic] = []
            let pipeline = Pipeline.decode(item, path: path, issues: &shapeIssues)
            issues += shapeIssues
            guard let pipeline else { continue }
            if let warehouse {
                let rules = PipelineValidator.validate(pipeline, path: path, profileSchema: warehouse.profiles.schema, connections: connections)
                issues += rules.filter { rule in !shapeIssues.contains { Diagnostic.overlap($0.path, rule.path) } }
            }
            if let id = pipeline.id, pipelines.contains(where: { $0.id == id }) {
                issues.append(Diagnostic(path: path + ".id", message: "id \(id) is used by another pipeline"))
            }
            if pipelines.contains(where: { $0.name == pipeline.name }) {
                issues.append(Diagnostic(path: path + ".name", message: "name \"\(pipeline.name)\" is used by another pipeline; names are unique within a workspace"))
            }
            pipelines.append(pipeline)
        }
        fields.rejectUnknown()
        issues += fields.issues
        guard let name, let warehouse else { return nil }
        return Workspace(name: name, warehouse: warehouse, connections: connections, pipelines: pipelines)
    }
}

extension Warehouse {
    static func decode(_ object: JSONObject, issues: inout [Diagnostic]) -> Warehouse? {
        var fields = JSONFields(object, path: "warehouse")
        defer { issues += fields.issues }
        let profiles = fields.objectMember("profiles", required: true).flatMap { ProfileSource.decode($0, issues: &fields.issues) }
        fields.rejectUnknown()
        return profiles.map(Warehouse.init)
    }
}

extension ProfileSource {
    static func decode(_ object: JSONObject, issues: inout [Diagnostic]) -> ProfileSource? {
        var fields = JSONFields(object, path: "warehouse.profiles")
        defer { issues += fields.issues }
        let path = fields.string("path", required: true)
        var format: SourceFormat?
        if let text = fields.string("format") {
            format = SourceFormat(rawValue: text)
            if format == nil {
                fields.issues.append(Diagnostic(path: fields.memberPath("format"), message: "must be csv, json or ndjson, found \"\(text)\""))
                format = .csv  // a placeholder, so that pipelines are still checked against the schema
            }
        } else if let path {
            format = SourceFormat(fileName: path)
            if format == nil {
                fields.issues.append(
                    Diagnostic(path: fields.memberPath("format"), message: "cannot tell the format of \"\(path)\" from its extension; set format to csv, json or ndjson"))
            }
        }
        let schema = fields.value("schema", required: true).flatMap {
            ObjectType.decodeSchema($0, path: fields.memberPath("schema"), issues: &fields.issues)
        }
        let key = fields.string("key")
        let updatedAt = fields.string("updatedAt")
        fields.rejectUnknown()
        guard let path, let format, let schema else { return nil }
        if let key {
            if let property = schema.property(named: key) {
                if !property.type.kind.isScalar {
                    fields.issues.append(Diagnostic(path: fields.memberPath("key"), message: "property \"\(key)\" is \(property.type.name); a key must be a scalar"))
                }
            } else {
                fields.issues.append(
                    Diagnostic(
                        path: fields.memberPath("key"),
                        message: "property \"\(key)\" is not in the schema" + Suggestion.hint(for: key, in: schema.properties.map(\.name))))
            }
        }
        if let updatedAt {
            if let parsed = PropertyPath(parsing: updatedAt), let property = schema.property(at: parsed) {
                if property.type != .datetime && property.type != .date {
                    fields.issues.append(
                        Diagnostic(path: fields.memberPath("updatedAt"), message: "property \"\(updatedAt)\" is \(property.type.name); expected a datetime or date"))
                }
            } else {
                fields.issues.append(
                    Diagnostic(
                        path: fields.memberPath("updatedAt"),
                        message: "property \"\(updatedAt)\" is not in the schema" + Suggestion.hint(for: updatedAt, in: schema.paths.map(\.description))))
            }
        }
        return ProfileSource(path: path, format: format, schema: schema, key: key, updatedAt: updatedAt)
    }
}

extension Connection {
    static func decode(_ json: JSONValue, path: String, connectorNames: [String] = Connection.knownConnectors, issues: inout [Diagnostic]) -> Connection? {
        guard let object = JSONFields.object(json, path: path, issues: &issues) else { return nil }
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let id = fields.int("id", required: true)
        let name = fields.string("name", required: true)
        let connector = fields.string("connector", required: true)
        let settings = fields.objectMember("settings") ?? JSONObject()
        var mock: MockSettings?
        if let value = fields.value("mock") {
            switch value {
            case .bool(true): mock = MockSettings()
            case .bool(false), .null: mock = nil
            case .object(let object):
                var m = JSONFields(object, path: fields.memberPath("mock"))
                mock = MockSettings(users: m.string("users"), fault: m.string("fault"))
                m.rejectUnknown()
                fields.issues += m.issues
            default:
                fields.issues.append(Diagnostic(path: fields.memberPath("mock"), message: "expected true, false or an object, found \(value.typeName)"))
            }
        }
        fields.rejectUnknown()
        if let name, name.isEmpty { fields.issues.append(Diagnostic(path: fields.memberPath("name"), message: "must not be empty")) }
        if let connector, !connectorNames.contains(connector) {
            fields.issues.append(
                Diagnostic(
                    path: fields.memberPath("connector"),
                    message: "connector \"\(connector)\" does not exist" + Suggestion.hint(for: connector, in: connectorNames)))
        }
        guard let id, let name, let connector else { return nil }
        return Connection(id: id, name: name, connector: connector, settings: settings, mock: mock)
    }
}
