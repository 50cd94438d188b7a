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
    /// The expressions, lowered to plain instructions; `roots[entry]` is the root of each one.
    let program: MappingProgram
    let roots: [Int32]
    /// How each entry's result is written, in entry order.
    let rules: [OutputRule]
    /// `rules[entry].shortcut`, apart so that the common case copies no rule.
    let shortcuts: [OutputRule.Shortcut]
    let layout: OutputLayout
    /// The schema of the rows the slots index.
    let rowSchema: ObjectType
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
        var program = MappingProgram()
        var roots: [Int32] = []
        var rules: [OutputRule] = []
        var outPaths: [PropertyPath] = []
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
                paths.append((outPath, rules.count))
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
            if case .constant = node { isConstant = true } else { isConstant = false }
            let rule = OutputRule(outPath: item.path, property: property, isConstant: isConstant)
            if case .constant(let value) = node {
                // A literal that can never fit its property is a mistake in the pipeline, not in the data.
                do {
                    _ = try rule.finish(value)
                } catch {
                    report(error.message)
                    continue
                }
            }
            roots.append(program.lower(node))
            rules.append(rule)
            outPaths.append(parsedPath)
        }
        if !issues.isEmpty { throw ValidationError(issues) }
        self.program = program
        self.roots = roots
        self.rules = rules
        self.shortcuts = rules.map(\.shortcut)
        self.layout = OutputLayout(outSchema, mapped: outPaths, matchingOut: matching)
        self.rowSchema = rowSchema
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

    /// Maps row `row` of `batch`, whose schema must be the `profileSchema` given at compile time.
    public func evaluate(_ batch: ProfileBatch, row: Int, action: MappingAction) -> Result<ValueObject, MappingError> {
        guard batch.width == rowWidth else {
            return .failure(MappingError(property: "", message: "the profile batch has \(batch.width) properties but the mapping was compiled for \(rowWidth)"))
        }
        let row = BatchRow(batch: batch, row: row)
        return TextBuilder.with { (text: inout TextBuilder) -> Result<ValueObject, MappingError> in
            do throws(MappingError) {
                return .success(ValueObject(try assemble(0, layout.topCount, row, action, &text)))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Maps one profile given as an object (top-level properties looked up by name), as `preview`
    /// and tests do.
    public func evaluate(_ profile: ValueObject, action: MappingAction) -> Result<ValueObject, MappingError> {
        // A one-row batch stores every value as it is, so the profile reads exactly as the object.
        var batch = ProfileBatch(schema: rowSchema)
        let row = batch.appendRow(record: 1, line: 1)
        for (slot, property) in rowSchema.properties.enumerated() {
            batch[row, slot] = profile[property.name]
        }
        return evaluate(batch, row: row, action: action)
    }

    /// The members of the output object `layout.members[first ..< first + count]`.
    private func assemble(
        _ first: Int32, _ count: Int32, _ row: BatchRow, _ action: MappingAction, _ text: inout TextBuilder
    ) throws(MappingError) -> [(key: String, value: Value)] {
        var members: [(key: String, value: Value)] = []
        members.reserveCapacity(Int(count))
        for index in Int(first)..<Int(first + count) {
            switch layout.members[index] {
            case .mapped(let entry):
                let entry = Int(entry)
                let result: Value?
                do {
                    let value = try program.value(roots[entry], row, &text)
                    if let decided = shortcuts[entry].finish(value) {
                        result = decided
                    } else {
                        result = try rules[entry].finish(value)
                    }
                } catch {
                    throw MappingError(property: rules[entry].outPath, valueError: error)
                }
                if let result {
                    members.append((layout.names[index], result))
                } else {
                    try require(layout.requirements[index], action, rules[entry].outPath, "the mapping gives it no value")
                }
            case .object(let childFirst, let childCount, let requirement):
                let nested = try assemble(childFirst, childCount, row, action, &text)
                if nested.isEmpty {
                    try require(requirement, action, layout.paths[index], "the mapping gives it no value")
                } else {
                    members.append((layout.names[index], .object(ValueObject(nested))))
                }
            case .unmapped(let requirement):
                try require(requirement, action, layout.paths[index], "the mapping does not map it")
            }
        }
        return members
    }

    /// Fails the profile when a property the action requires is not written.
    private func require(_ requirement: OutputLayout.Requirement, _ action: MappingAction, _ path: String, _ why: String) throws(MappingError) {
        if action == .create, requirement.create {
            throw MappingError(property: path, message: "«\(path)» is required to create a user, but \(why)")
        }
        if action == .update, requirement.update {
            throw MappingError(property: path, message: "«\(path)» is required to update a user, but \(why)")
        }
    }

    /// The value written to `property` for a transformation's result, or nil when the property is
    /// left out: the null rules of DESIGN section 7, then the conversion and constraint checks.
    /// Transformation functions finish their outputs here too, so both transformations convert alike.
    public static func finish(_ result: Value?, property: Property, isConstant: Bool) throws(ValueError) -> Value? {
        try OutputRule(outPath: property.name, property: property, isConstant: isConstant).finish(result)
    }
}
