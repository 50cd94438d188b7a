import OutflowCore

/// How a profile's `matching.in` value becomes the value the application is asked about and the
/// key the engine compares: converted to the type of `matching.out` (DESIGN 9: "converted to the
/// out property's kind"), and folded to lower case when the connector compares that property
/// without regard to case.
///
/// ```swift
/// let rule = MatchingRule(pipeline: pipeline, caseInsensitive: ["email"])
/// switch rule.read(batch, row: row) {
/// case .success(let matching): matching.key    // "ana.lopez@example.com"
/// case .failure(let failure): failure.stage    // .match (null) or .validate (does not convert)
/// }
/// ```
struct MatchingRule: Sendable {
    /// The value sent to the application and the key of the duplicate check and the export state.
    struct Matched: Hashable, Sendable {
        var value: Value
        var key: String
    }

    struct Failure: Error, Hashable, Sendable {
        var stage: FailureStage
        var message: String
    }

    let inPath: PropertyPath
    let outPath: [String]
    let outName: String
    let outProperty: Property
    let foldsCase: Bool

    init(pipeline: Pipeline, caseInsensitive: Set<String>) {
        inPath = PropertyPath(parsing: pipeline.matching.in) ?? PropertyPath([pipeline.matching.in])
        let out = PropertyPath(parsing: pipeline.matching.out) ?? PropertyPath([pipeline.matching.out])
        outPath = out.components
        outName = pipeline.matching.out
        // The validator requires matching.out in outSchema; a plain string keeps a bad file from crashing.
        outProperty = pipeline.outSchema.property(at: out) ?? Property(name: pipeline.matching.out, type: .string(StringType()))
        foldsCase = caseInsensitive.contains(pipeline.matching.out)
    }

    /// The matching value of row `row`, or why the profile cannot be matched.
    func read(_ batch: ProfileBatch, row: Int) -> Result<Matched, Failure> {
        convert(batch.value(row: row, at: inPath))
    }

    func convert(_ raw: Value?) -> Result<Matched, Failure> {
        guard let raw, !raw.isNull else { return .failure(Failure(stage: .match, message: ExportPlanner.nullMatchingMessage(outName))) }
        let converted: Value?
        do {
            var property = outProperty
            property.nullable = true
            converted = try CompiledMapping.finish(raw, property: property, isConstant: false)
        } catch {
            return .failure(Failure(stage: .validate, message: "\(error.message) while converting the matching value to «\(outName)»"))
        }
        guard let converted, !converted.isNull else {
            return .failure(Failure(stage: .match, message: ExportPlanner.nullMatchingMessage(outName)))
        }
        return .success(Matched(value: converted, key: key(of: converted)))
    }

    /// The comparison key of a value of the matching property: its text, folded when the
    /// application ignores case.
    func key(of value: Value) -> String {
        foldsCase ? value.text.lowercased() : value.text
    }

    /// `user` with the matching property set to `value`, as a create sends it.
    func setting(_ value: Value, in user: ValueObject) -> ValueObject {
        Self.set(value, at: outPath[...], in: user)
    }

    private static func set(_ value: Value, at path: ArraySlice<String>, in object: ValueObject) -> ValueObject {
        guard let first = path.first else { return object }
        var copy = object
        if path.count == 1 {
            copy[first] = value
        } else {
            var nested = ValueObject()
            if case .object(let existing)? = object[first] { nested = existing }
            copy[first] = .object(set(value, at: path.dropFirst(), in: nested))
        }
        return copy
    }
}
