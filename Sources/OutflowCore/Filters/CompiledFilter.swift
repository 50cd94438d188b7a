/// A filter checked against a profile schema and compiled for the hot path.
///
/// Compiling resolves each condition's property to a batch slot (plus the members of nested objects
/// and the keys inside a json value) and parses its values once, so matching a profile allocates
/// nothing. The semantics are those of DESIGN section 6 and `docs/filters.md`: a missing or null
/// value fails every positive operator but `exists` and `is empty`; the negative operators
/// (`is not`, `is not null`, ...) are plain negations of their positive, so they hold for a missing key.
///
/// ```swift
/// let filter = try CompiledFilter(pipeline.filter!, schema: batch.schema)
/// for row in 0..<batch.count where batch.errors[row] == nil && filter.matches(batch, row: row) { ... }
/// ```
public struct CompiledFilter: Sendable {
    public let logical: Filter.Logical
    let program: Program

    /// Validates `filter` against `schema` (the schema of the batches it will see) and compiles it.
    public init(_ filter: Filter, schema: ObjectType) throws(ValidationError) {
        var issues: [Diagnostic] = []
        let conditions = FilterValidator.compile(filter, schema: schema, path: "filter", issues: &issues)
        guard issues.isEmpty else { throw ValidationError(issues) }
        self.logical = filter.logical
        self.program = Program(logical: filter.logical, conditions: conditions)
    }

    /// True when row `row` of `batch` passes the filter.
    @inline(__always)
    public func matches(_ batch: ProfileBatch, row: Int) -> Bool {
        precondition(row >= 0 && row < batch.count, "row \(row) is not in the batch")
        return program.matches(batch, row: row)
    }

    /// What a condition tests, with its values already parsed: the form the validator produces.
    enum Test: Sendable {
        case exists
        case isNull
        case isEmpty
        case isBoolean(Bool)
        case equal(FilterOperand)
        case less(FilterOperand)
        case lessOrEqual(FilterOperand)
        case greater(FilterOperand)
        case greaterOrEqual(FilterOperand)
        case between(FilterOperand, FilterOperand)
        case oneOf([FilterOperand])
        case contains(FilterOperand)
        case startsWith(FilterOperand)
        case endsWith(FilterOperand)
    }

    /// One validated condition: where its value is, what it tests, and whether the result is negated.
    struct Condition: Sendable {
        var slot: Int
        var objectPath: [String]
        var jsonPath: [String]
        var test: Test
        var negated: Bool
    }
}
