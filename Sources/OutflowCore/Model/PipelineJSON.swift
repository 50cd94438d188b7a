/// The pipelines API's JSON for a pipeline, with every problem reported by its JSON path.
extension Pipeline {
    /// Decodes a pipeline body at `path`. Shape problems (types, unknown keys, bad enumerations)
    /// go to `issues`; rules that need the workspace are checked by ``PipelineValidator``.
    public static func decode(_ json: JSONValue, path: String, issues: inout [Diagnostic]) -> Pipeline? {
        guard let object = JSONFields.object(json, path: path, issues: &issues) else { return nil }
        var fields = JSONFields(object, path: path)
        let id = fields.int("id")
        let name = fields.string("name", required: true)
        let connection = fields.int("connection", required: true)
        let target = fields.string("target", required: true)
        let enabled = fields.bool("enabled") ?? false
        let filter = fields.value("filter").flatMap { json -> Filter? in
            if case .null = json { return nil }
            return Filter.decode(json, path: fields.memberPath("filter"), issues: &issues)
        }
        var matching: Matching?
        if let object = fields.objectMember("matching", required: true) {
            var m = JSONFields(object, path: fields.memberPath("matching"))
            let input = m.string("in", required: true)
            let output = m.string("out", required: true)
            m.rejectUnknown()
            fields.issues += m.issues
            if let input, let output { matching = Matching(in: input, out: output) }
        }
        var exportMode: ExportMode?
        if let text = fields.string("exportMode", required: true) {
            exportMode = ExportMode(rawValue: text)
            if exportMode == nil {
                fields.issues.append(
                    Diagnostic(
                        path: fields.memberPath("exportMode"),
                        message: "must be one of CreateOnly, UpdateOnly, CreateOrUpdate, found \"\(text)\""))
            }
        }
        let updateOnDuplicates = fields.bool("updateOnDuplicates") ?? false
        let transformation = fields.objectMember("transformation", required: true).flatMap {
            Transformation.decode($0, path: fields.memberPath("transformation"), issues: &issues)
        }
        let inSchema = fields.value("inSchema", required: true).flatMap {
            ObjectType.decodeSchema($0, path: fields.memberPath("inSchema"), issues: &issues)
        }
        let outSchema = fields.value("outSchema", required: true).flatMap {
            ObjectType.decodeSchema($0, path: fields.memberPath("outSchema"), issues: &issues)
        }
        var schedulePeriod: SchedulePeriod?
        if let text = fields.string("schedulePeriod") {
            schedulePeriod = SchedulePeriod(rawValue: text)
            if schedulePeriod == nil {
                fields.issues.append(
                    Diagnostic(
                        path: fields.memberPath("schedulePeriod"),
                        message: "must be one of \(SchedulePeriod.allCases.map(\.rawValue).joined(separator: ", ")) or null, found \"\(text)\""))
            }
        }
        let scheduleStart = fields.int("scheduleStart")
        let functionTimeout = fields.double("functionTimeout")
        fields.allow("running", "connector", "connectorType", "connectionRole")
        fields.rejectUnknown()
        issues += fields.issues
        // Without both schemas no further rule can be checked. Otherwise the pipeline is returned
        // even when some members had problems (placeholders stand in for them), so that the rules
        // of PipelineValidator still report everything else; callers must look at `issues`.
        guard let inSchema, let outSchema else { return nil }
        return Pipeline(
            id: id, name: name ?? "", connection: connection ?? -1, target: target ?? "User", enabled: enabled, filter: filter,
            matching: matching ?? Matching(in: "", out: ""), exportMode: exportMode ?? .createOrUpdate,
            updateOnDuplicates: updateOnDuplicates, transformation: transformation ?? Transformation(mapping: []), inSchema: inSchema,
            outSchema: outSchema, schedulePeriod: schedulePeriod, scheduleStart: scheduleStart.map { Int(clamping: $0) },
            functionTimeout: functionTimeout)
    }

    /// The pipeline as the API's JSON (the GET body's fields this model holds).
    public var json: JSONValue {
        var object = JSONObject()
        if let id { object["id"] = .number(String(id)) }
        object["name"] = .string(name)
        object["connection"] = .number(String(connection))
        object["target"] = .string(target)
        object["enabled"] = .bool(enabled)
        object["filter"] = filter?.json ?? .null
        object["matching"] = .object(JSONObject([("in", .string(matching.in)), ("out", .string(matching.out))]))
        object["exportMode"] = .string(exportMode.rawValue)
        object["updateOnDuplicates"] = .bool(updateOnDuplicates)
        object["transformation"] = transformation.json
        object["inSchema"] = inSchema.json
        object["outSchema"] = outSchema.json
        object["scheduleStart"] = scheduleStart.map { .number(String($0)) } ?? .null
        object["schedulePeriod"] = schedulePeriod.map { .string($0.rawValue) } ?? .null
        if let functionTimeout { object["functionTimeout"] = .number(String(functionTimeout)) }
        return .object(object)
    }
}

extension Transformation {
    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> Transformation? {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        var mapping: [MappingEntry]?
        if let map = fields.objectMember("mapping") {
            var entries: [MappingEntry] = []
            for member in map.members {
                if case .string(let expression) = member.value {
                    entries.append(MappingEntry(path: member.key, expression: expression))
                } else {
                    fields.issues.append(
                        Diagnostic(path: JSONPath.member(fields.memberPath("mapping"), member.key), message: "expected an expression string, found \(member.value.typeName)"))
                }
            }
            mapping = entries
        }
        var function: TransformationFunction?
        var functionBroken = false
        if let object = fields.objectMember("function") {
            var f = JSONFields(object, path: fields.memberPath("function"))
            let source = f.string("source", required: true)
            let languageText = f.string("language", required: true)
            let preserveJSON = f.bool("preserveJSON") ?? false
            let inPaths = f.stringArray("inPaths", required: true)
            let outPaths = f.stringArray("outPaths", required: true)
            f.rejectUnknown()
            var language: TransformationFunction.Language?
            if let languageText {
                language = TransformationFunction.Language(rawValue: languageText)
                if language == nil {
                    f.issues.append(Diagnostic(path: f.memberPath("language"), message: "transformation language is not supported"))
                }
            }
            fields.issues += f.issues
            if let source, let inPaths, let outPaths {
                // An unsupported language was reported above; a placeholder keeps the other rules checked.
                function = TransformationFunction(
                    source: source, language: language ?? .python, preserveJSON: preserveJSON, inPaths: inPaths, outPaths: outPaths)
            } else {
                functionBroken = true
            }
        }
        fields.rejectUnknown()
        if (mapping == nil) == (function == nil) && !functionBroken {
            fields.issues.append(Diagnostic(path: path, message: "exactly one of mapping and function must be given"))
            return nil
        }
        return functionBroken ? nil : Transformation(mapping: mapping, function: function)
    }

    public var json: JSONValue {
        var object = JSONObject()
        if let mapping {
            object["mapping"] = .object(JSONObject(mapping.map { (key: $0.path, value: .string($0.expression)) }))
        } else {
            object["mapping"] = .null
        }
        if let function {
            object["function"] = .object(
                JSONObject([
                    ("source", .string(function.source)), ("language", .string(function.language.rawValue)),
                    ("preserveJSON", .bool(function.preserveJSON)), ("inPaths", .array(function.inPaths.map(JSONValue.string))),
                    ("outPaths", .array(function.outPaths.map(JSONValue.string))),
                ]))
        } else {
            object["function"] = .null
        }
        return .object(object)
    }
}
