import OutflowCore

/// Which profiles a run selects (a decoded record that passes the pipeline's filter and the
/// `--begin-time/--end-time` window), and how a profile is named in errors and the store.
///
/// Both passes of a run use it: the first counts the selection's matching values for the
/// duplicate check, the second exports.
///
/// ```swift
/// let selector = try ProfileSelector(pipeline: pipeline, source: workspace.warehouse.profiles, window: nil)
/// for row in 0..<batch.count where batch.errors[row] == nil && selector.selects(batch, row: row) { ... }
/// ```
struct ProfileSelector: Sendable {
    let filter: CompiledFilter?
    let window: TimeWindow?
    let updatedAt: PropertyPath?
    let keySlot: Int?
    /// The top-level properties the filter and the window read.
    let readProperties: Set<String>

    init(pipeline: Pipeline, source: ProfileSource, window: TimeWindow?) throws(EngineError) {
        do {
            filter = try pipeline.filter.map { filter throws(ValidationError) in try CompiledFilter(filter, schema: source.schema) }
        } catch {
            throw EngineError.invalidPipeline(error.description)
        }
        if window != nil {
            guard let name = source.updatedAt, let path = PropertyPath(parsing: name) else {
                throw EngineError.invalidPipeline("--begin-time and --end-time need the warehouse's `updatedAt` property, and the workspace names none")
            }
            updatedAt = path
        } else {
            updatedAt = nil
        }
        self.window = window
        keySlot = source.key.flatMap { source.schema.index(of: $0) }
        var read = Set<String>()
        for condition in pipeline.filter?.conditions ?? [] { read.insert(Self.topLevel(condition.property)) }
        if let updatedAt { read.insert(updatedAt.components[0]) }
        readProperties = read
    }

    /// The top-level property of a path (`address` of `address.city`).
    static func topLevel(_ path: String) -> String { Pipeline.topLevel(path) }

    /// True when row `row` (decoded without error) passes the filter and the window.
    func selects(_ batch: ProfileBatch, row: Int) -> Bool {
        if let filter, !filter.matches(batch, row: row) { return false }
        if let window, let updatedAt, !window.contains(batch.value(row: row, at: updatedAt)) { return false }
        return true
    }

    /// The profile's key as section 5's JSON text (`42`, `"c-17"`), or its record number.
    func key(_ batch: ProfileBatch, _ row: Int) -> String {
        if let keySlot, let value = batch[row, keySlot], !value.isNull {
            return JSONWriter.string(value.json)
        }
        return String(batch.records[row])
    }
}
