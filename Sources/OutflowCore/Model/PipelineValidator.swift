/// The rules of the pipelines API that need more than the pipeline's own JSON: its profile
/// schema and the workspace's connections.
public enum PipelineValidator {
    /// Every problem of `pipeline` at JSON path `path`; empty when valid.
    public static func validate(
        _ pipeline: Pipeline, path: String, profileSchema: ObjectType, connections: [Connection]
    ) -> [Diagnostic] {
        var issues: [Diagnostic] = []
        func report(_ member: String, _ message: String) {
            issues.append(Diagnostic(path: member.isEmpty ? path : path + "." + member, message: message))
        }
        if pipeline.name.isEmpty {
            report("name", "must not be empty")
        } else if pipeline.name.count > Pipeline.maximumNameLength {
            report("name", "must be at most \(Pipeline.maximumNameLength) characters, found \(pipeline.name.count)")
        }
        if pipeline.target != "User" {
            report("target", "must be \"User\", found \"\(pipeline.target)\"")
        }
        if !connections.contains(where: { $0.id == pipeline.connection }) {
            report("connection", "connection does not exist (no connection has id \(pipeline.connection))")
        }
        if let start = pipeline.scheduleStart, !(0...1439).contains(start) {
            report("scheduleStart", "must be between 0 and 1439, found \(start)")
        }
        if let timeout = pipeline.functionTimeout, !(timeout > 0 && timeout <= 3600) {
            report("functionTimeout", "must be a number of seconds above 0 and at most 3600")
        }
        checkMatching(pipeline, report)
        for (property, message) in subsetIssues(pipeline.inSchema, of: profileSchema, prefix: []) {
            report("inSchema." + property, message)
        }
        if let filter = pipeline.filter {
            // Properties, operators per kind, value counts and values, against inSchema.
            issues += FilterValidator.validate(filter, schema: pipeline.inSchema, path: path + ".filter")
        }
        if let function = pipeline.transformation.function {
            if function.source.isEmpty {
                report("transformation.function.source", "must not be empty")
            } else if function.source.count > TransformationFunction.maximumSourceLength {
                report("transformation.function.source", "must be at most \(TransformationFunction.maximumSourceLength) characters, found \(function.source.count)")
            }
            checkPaths(function.inPaths, in: pipeline.inSchema, schemaName: "inSchema", member: "transformation.function.inPaths", report)
            checkPaths(function.outPaths, in: pipeline.outSchema, schemaName: "outSchema", member: "transformation.function.outPaths", report)
        }
        if let mapping = pipeline.transformation.mapping, pipeline.transformation.function == nil {
            // Compiling type-checks every expression against inSchema and every output path against outSchema.
            do {
                _ = try CompiledMapping(
                    mapping, inSchema: pipeline.inSchema, outSchema: pipeline.outSchema,
                    matchingOut: pipeline.matching.out.isEmpty ? nil : pipeline.matching.out, path: path)
            } catch {
                issues += error.diagnostics
            }
        }
        return issues
    }

    private static func checkMatching(_ pipeline: Pipeline, _ report: (String, String) -> Void) {
        if pipeline.matching.in.isEmpty {
            report("matching.in", "must not be empty")
        } else if !schemaHas(pipeline.inSchema, pipeline.matching.in, allowJSONPath: false) {
            report(
                "matching.in",
                "property \"\(pipeline.matching.in)\" is not in inSchema" + Suggestion.hint(for: pipeline.matching.in, in: pipeline.inSchema.paths.map(\.description)))
        }
        if pipeline.matching.out.isEmpty {
            report("matching.out", "must not be empty")
        } else if !schemaHas(pipeline.outSchema, pipeline.matching.out, allowJSONPath: false) {
            report(
                "matching.out",
                "property \"\(pipeline.matching.out)\" is not in outSchema" + Suggestion.hint(for: pipeline.matching.out, in: pipeline.outSchema.paths.map(\.description)))
        }
    }

    private static func checkPaths(
        _ paths: [String], in schema: ObjectType, schemaName: String, member: String, _ report: (String, String) -> Void
    ) {
        if paths.isEmpty { report(member, "must have at least one path") }
        var seen: Set<String> = []
        for (index, path) in paths.enumerated() {
            if !seen.insert(path).inserted { report(member + "[\(index)]", "path \"\(path)\" is repeated") }
            if !schemaHas(schema, path, allowJSONPath: false) {
                report(member + "[\(index)]", "property \"\(path)\" is not in \(schemaName)" + Suggestion.hint(for: path, in: schema.paths.map(\.description)))
            }
        }
    }

    /// True when `path` names a property of `schema`; with `allowJSONPath`, a path that continues
    /// inside a json property counts too (filters may reach into JSON values).
    public static func schemaHas(_ schema: ObjectType, _ path: String, allowJSONPath: Bool) -> Bool {
        guard let parsed = PropertyPath(parsing: path) else { return false }
        var current = schema
        for (index, component) in parsed.components.enumerated() {
            guard let property = current.property(named: component) else { return false }
            if index == parsed.components.count - 1 { return true }
            switch property.type {
            case .object(let nested): current = nested
            case .json: return allowJSONPath
            default: return false
            }
        }
        return false
    }

    /// The path and message of every property of `subset` that `schema` lacks or types differently.
    public static func subsetIssues(_ subset: ObjectType, of schema: ObjectType, prefix: [String]) -> [(String, String)] {
        var out: [(String, String)] = []
        for property in subset.properties {
            let path = (prefix + [property.name]).joined(separator: ".")
            guard let full = schema.property(named: property.name) else {
                out.append((path, "property \"\(path)\" is not in the profile schema" + Suggestion.hint(for: property.name, in: schema.properties.map(\.name))))
                continue
            }
            switch (property.type, full.type) {
            case (.object(let sub), .object(let whole)):
                out += subsetIssues(sub, of: whole, prefix: prefix + [property.name])
            default:
                if property.type != full.type {
                    out.append((path, "property \"\(path)\" is \(property.type.name) here but \(full.type.name) in the profile schema"))
                }
            }
        }
        return out
    }
}
