/// What the application will be asked to do with the mapped user, which decides the required checks.
///
/// `create` checks `createRequired`, `update` checks `updateRequired`; `either` (a CreateOrUpdate
/// preview, where the lookup has not happened yet) defers both checks to the run.
public enum MappingAction: Hashable, Sendable {
    case create, update, either
}

/// A pipeline's `transformation.mapping`, parsed and type-checked once, then evaluated per profile.
///
/// Compiling reports every problem of every expression and output path as a ``Diagnostic`` at
/// `<path>.transformation.mapping.<out path>`. Evaluating reads the profile straight from the
/// batch row: the top-level slot of each path is resolved at compile time against `profileSchema`
/// (the schema of the batches it will read; by default `inSchema`, for batches decoded by it).
///
/// ```swift
/// let mapping = try CompiledMapping(pipeline.transformation.mapping ?? [], inSchema: pipeline.inSchema,
///                                   outSchema: pipeline.outSchema, matchingOut: pipeline.matching.out,
///                                   profileSchema: workspace.warehouse.profiles.schema)
/// switch mapping.evaluate(batch, row: row, action: .create) {
/// case .success(let user): send(user)
/// case .failure(let error): record(row, stage: "transform", error.message)
/// }
/// ```
public struct CompiledMapping: Sendable {
    struct Entry: Sendable {
        var outPath: String
        var path: PropertyPath
        var property: Property
        var node: Node
        /// A literal string is constant: an empty one is kept as "" where a computed one becomes null.
        var isConstant: Bool
    }

    /// The output in outSchema order: a leaf is one mapped property, an object groups nested ones.
    indirect enum Output: Sendable {
        case leaf(name: String, entry: Int)
        case object(name: String, children: [Output])
    }

    let entries: [Entry]
    let output: [Output]
    /// The top-level property count of the rows the slots index.
    let rowWidth: Int

    /// Compiles `mapping` (output path -> expression, in written order).
    ///
    /// - Parameters:
    ///   - profileSchema: the schema of the ``ProfileBatch`` rows that ``evaluate(_:row:action:)``
    ///     will read; it must contain inSchema's top-level properties. Default: `inSchema`.
    ///   - path: the JSON path of the pipeline in its file (`pipelines[3]`), prefixed to diagnostics.
    public init(
        _ mapping: [Transformation.MappingEntry], inSchema: ObjectType, outSchema: ObjectType, matchingOut: String?,
        profileSchema: ObjectType? = nil, path: String = ""
    ) throws(ValidationError) {
        let base = path.isEmpty ? "transformation.mapping" : path + ".transformation.mapping"
        let rowSchema = profileSchema ?? inSchema
        let checker = TypeChecker(inSchema: inSchema, rowSchema: rowSchema)
        let matching = matchingOut.flatMap { PropertyPath(parsing: $0) }
        var issues: [Diagnostic] = []
        var entries: [Entry] = []
        var paths: [(PropertyPath, Int)] = []
        for item in mapping {
            let here = JSONPath.member(base, item.path)
            func report(_ message: String) { issues.append(Diagnostic(path: here, message: message)) }
            var property: Property?
            let parsedPath = PropertyPath(parsing: item.path)
            if let outPath = parsedPath {
                property = CompiledMapping.outProperty(outPath, in: outSchema)
                if property == nil {
                    report("property \"\(item.path)\" is not in outSchema" + Suggestion.hint(for: item.path, in: outSchema.paths.map(\.description)))
                }
                if let matching, outPath == matching || outPath.isPrefix(of: matching) {
                    report("the matching property \"\(matching)\" cannot be written by the mapping")
                }
                for (other, _) in paths {
                    if other == outPath {
                        report("output path \"\(outPath)\" is repeated")
                    } else if other.isPrefix(of: outPath) || outPath.isPrefix(of: other) {
                        let (short, long) = other.isPrefix(of: outPath) ? (other, outPath) : (outPath, other)
                        report("output paths \"\(short)\" and \"\(long)\" overlap: one may not be a prefix of another")
                    }
                }
                paths.append((outPath, entries.count))
            } else {
                report("\"\(item.path)\" is not a valid output path")
            }
            let node: Node
            let type: DataType?
            do {
                (node, type) = try checker.check(try Parser.parse(item.expression))
            } catch let error as MappingSyntaxError {
                report(error.description)
                continue
            } catch let error as TypeCheckError {
                report(error.message)
                continue
            } catch {
                continue
            }
            guard let property, let parsedPath else { continue }
            if let type, !Conversion.isAllowed(from: type, to: property.type) {
                report("the expression is \(type.name), which cannot be converted to \(property.type.name), the type of \"\(item.path)\"")
                continue
            }
            let isConstant: Bool
            if case .constant(let value) = node {
                isConstant = true
                // A literal that can never fit its property is a mistake in the pipeline, not in the data.
                do {
                    _ = try CompiledMapping.finish(value, property: property, isConstant: true)
                } catch {
                    report(error.message)
                    continue
                }
            } else {
                isConstant = false
            }
            entries.append(Entry(outPath: item.path, path: parsedPath, property: property, node: node, isConstant: isConstant))
        }
        if !issues.isEmpty { throw ValidationError(issues) }
        self.entries = entries
        self.output = CompiledMapping.plan(outSchema, prefix: [], entries.enumerated().map { ($0.element.path, $0.offset) })
        self.rowWidth = rowSchema.properties.count
    }

    /// The property at `path` of outSchema, through nested objects only.
    static func outProperty(_ path: PropertyPath, in schema: ObjectType) -> Property? {
        var current = schema
        for (index, component) in path.components.enumerated() {
            guard let property = current.property(named: component) else { return nil }
            if index == path.components.count - 1 { return property }
            guard case .object(let nested) = property.type else { return nil }
            current = nested
        }
        return nil
    }

    private static func plan(_ schema: ObjectType, prefix: [String], _ paths: [(PropertyPath, Int)]) -> [Output] {
        var out: [Output] = []
        for property in schema.properties {
            let here = prefix + [property.name]
            if let (_, entry) = paths.first(where: { $0.0.components == here }) {
                out.append(.leaf(name: property.name, entry: entry))
            } else if case .object(let nested) = property.type, paths.contains(where: { $0.0.components.starts(with: here) }) {
                out.append(.object(name: property.name, children: plan(nested, prefix: here, paths)))
            }
        }
        return out
    }

    /// Maps row `row` of `batch`, whose schema must be the `profileSchema` given at compile time.
    public func evaluate(_ batch: ProfileBatch, row: Int, action: MappingAction) -> Result<ValueObject, MappingError> {
        guard batch.width == rowWidth else {
            return .failure(MappingError(property: "", message: "the profile batch has \(batch.width) properties but the mapping was compiled for \(rowWidth)"))
        }
        return run(BatchRow(batch: batch, row: row), action)
    }

    /// Maps one profile given as an object (top-level properties looked up by name), as `preview`
    /// and tests do.
    public func evaluate(_ profile: ValueObject, action: MappingAction) -> Result<ValueObject, MappingError> {
        run(profile, action)
    }

    private func run<Row: MappingRow>(_ row: Row, _ action: MappingAction) -> Result<ValueObject, MappingError> {
        do throws(MappingError) {
            return .success(ValueObject(try assemble(output, row, action)))
        } catch {
            return .failure(error)
        }
    }

    private func assemble<Row: MappingRow>(_ nodes: [Output], _ row: Row, _ action: MappingAction) throws(MappingError) -> [(key: String, value: Value)] {
        var members: [(key: String, value: Value)] = []
        members.reserveCapacity(nodes.count)
        for node in nodes {
            switch node {
            case .leaf(let name, let index):
                let entry = entries[index]
                let result: Value?
                do {
                    result = try CompiledMapping.finish(try Evaluator.evaluate(entry.node, row), property: entry.property, isConstant: entry.isConstant)
                } catch {
                    throw MappingError(property: entry.outPath, valueError: error)
                }
                if let result {
                    members.append((name, result))
                } else {
                    let property = entry.property
                    if action == .create, property.createRequired {
                        throw MappingError(property: entry.outPath, message: "«\(entry.outPath)» is required to create a user, but the mapping gives it no value")
                    }
                    if action == .update, property.updateRequired {
                        throw MappingError(property: entry.outPath, message: "«\(entry.outPath)» is required to update a user, but the mapping gives it no value")
                    }
                }
            case .object(let name, let children):
                let nested = try assemble(children, row, action)
                if !nested.isEmpty { members.append((name, .object(ValueObject(nested)))) }
            }
        }
        return members
    }

    /// The value written to `property` for an expression's result, or nil when the property is left
    /// out; applies the null rules of DESIGN section 7, then the conversion. Transformation
    /// functions finish their outputs here too, so both transformations convert alike.
    public static func finish(_ result: Value?, property: Property, isConstant: Bool) throws(ValueError) -> Value? {
        let kind = property.type.kind
        guard var value = result, !value.isNull else {
            if kind == .json { return .json(.null) }
            return property.nullable ? .null : nil
        }
        if value == .json(.null), kind != .json {
            return property.nullable ? .null : nil
        }
        if property.nullable {
            var empty = false
            switch value {
            case .string(let text), .json(.string(let text)): empty = text.isEmpty
            default: break
            }
            if empty {
                if !isConstant, kind != .string, kind != .json { return .null }
                if case .string(let t) = property.type {
                    if let values = t.values, !values.contains("") { return .null }
                    if t.values == nil, t.pattern != nil, (try? Constraints.check(string: "", StringType(pattern: t.pattern))) == nil { return .null }
                }
            }
        }
        if case .json = value, kind == .json { return value }
        value = try Conversion.convert(value, to: property.type)
        return value
    }
}
