import OutflowCore
import OutflowFunctions

/// How a pipeline turns profiles into users: its mapping, its function, or (with neither) the
/// profile restricted to inSchema. Compiled once per run; called once per batch.
///
/// The action is `.either` here: the lookup has not happened yet, so the required checks wait for
/// the plan (``RequiredProperties``), as DESIGN section 9 asks.
///
/// ```swift
/// let transformer = try ProfileTransformer(pipeline: pipeline, profileSchema: schema, functionHost: .inProcess)
/// let users = transformer.transform(batch, rows: [0, 2, 3])   // one Result per row
/// ```
struct ProfileTransformer: Sendable {
    private enum Kind: Sendable {
        case mapping(CompiledMapping)
        case function(CompiledFunction)
        case projection(ProfileProjection)
    }

    private let kind: Kind

    /// Compiles the transformation; a mapping that does not type-check or a function that does not
    /// compile is a ``ValidationError``, and the run does not start.
    init(pipeline: Pipeline, profileSchema: ObjectType, functionHost: FunctionHost) throws(ValidationError) {
        // Paths are relative to the pipeline: its callers name the pipeline (`pipeline 10 "P": ...`).
        let label = ""
        if pipeline.transformation.function != nil {
            kind = .function(try CompiledFunction(pipeline, profileSchema: profileSchema, path: label, host: functionHost))
        } else if let mapping = pipeline.transformation.mapping {
            kind = .mapping(
                try CompiledMapping(
                    mapping, inSchema: pipeline.inSchema, outSchema: pipeline.outSchema, matchingOut: pipeline.matching.out,
                    profileSchema: profileSchema, path: label))
        } else {
            kind = .projection(ProfileProjection(from: profileSchema, to: pipeline.inSchema))
        }
    }

    /// The users of rows `rows` of `batch`, in order; a failure carries the transformation's message.
    func transform(_ batch: ProfileBatch, rows: [Int]) -> [Result<ValueObject, MappingError>] {
        switch kind {
        case .mapping(let mapping):
            return rows.map { mapping.evaluate(batch, row: $0, action: .either) }
        case .function(let function):
            return function.transform(batch, rows: rows, action: .either).map { result in
                result.mapError { MappingError(property: $0.property ?? "", message: $0.message) }
            }
        case .projection(let projection):
            return rows.map { .success(projection.project(batch, row: $0)) }
        }
    }
}
