import Foundation
import OutflowCore
import OutflowFunctions
import OutflowSources
import OutflowWorkspace

/// Runs a pipeline's offline front (read, decode, filter, transform) and renders the preview lines
/// of DESIGN section 11.
struct PipelinePreview {
    struct Summary {
        var read = 0
        var errors = 0
    }

    let file: WorkspaceFile
    let pipeline: Pipeline
    let filter: CompiledFilter?
    let transform: Transform
    let keySlot: Int?

    /// How a profile becomes a user in this preview.
    enum Transform {
        case mapping(CompiledMapping, MappingAction)
        /// A Python or JavaScript function, called once per batch of profiles.
        case function(CompiledFunction, MappingAction)
        /// No transformation: the profile restricted to inSchema.
        case projection(ProfileProjection)
    }

    init(file: WorkspaceFile, pipeline: Pipeline, functionHost: FunctionHost = .inProcess) throws(ValidationError) {
        self.file = file
        self.pipeline = pipeline
        let schema = file.workspace.warehouse.profiles.schema
        filter = try pipeline.filter.map { filter throws(ValidationError) in try CompiledFilter(filter, schema: schema) }
        // The action decides which required checks apply; CreateOrUpdate learns it only at run time.
        let action: MappingAction
        switch pipeline.exportMode {
        case .createOnly: action = .create
        case .updateOnly: action = .update
        case .createOrUpdate: action = .either
        }
        // Errors name the file and the JSON path, as `validate` does.
        let index = file.workspace.pipelines.firstIndex { $0.id == pipeline.id && $0.name == pipeline.name }
        let label = "\(file.path): " + (index.map { "pipelines[\($0)]" } ?? "pipeline \(pipeline.id.map(String.init) ?? pipeline.name)")
        if pipeline.transformation.function != nil {
            transform = .function(try CompiledFunction(pipeline, profileSchema: schema, path: label, host: functionHost), action)
        } else if let mapping = pipeline.transformation.mapping {
            let compiled = try CompiledMapping(
                mapping, inSchema: pipeline.inSchema, outSchema: pipeline.outSchema, matchingOut: pipeline.matching.out,
                profileSchema: schema, path: label)
            transform = .mapping(compiled, action)
        } else {
            transform = .projection(ProfileProjection(from: schema, to: pipeline.inSchema))
        }
        keySlot = file.workspace.warehouse.profiles.key.flatMap { schema.index(of: $0) }
    }

    /// Reads profiles and hands each preview line to `emit`; stops after `limit` profiles.
    func run(limit: Int?, emit: (String) -> Void) throws(SourceError) -> Summary {
        let source = file.workspace.warehouse.profiles
        // The columns `run` decodes, so a profile fails here exactly when it would fail there.
        var reader = try ProfileReaders.open(source, url: file.profilesURL, displayPath: source.path, only: pipeline.sourceColumns(in: source, window: false))
        var batch = ProfileBatch(schema: source.schema)
        var summary = Summary()
        var line = ""
        while limit.map({ summary.read < $0 }) ?? true, try reader.next(into: &batch) {
            let end = limit.map { min(batch.count, $0 - summary.read) } ?? batch.count
            // Filter first, then transform the rows that pass in one call per batch.
            var passing: [Int] = []
            passing.reserveCapacity(end)
            for row in 0..<end where batch.errors[row] == nil && (filter?.matches(batch, row: row) ?? true) {
                passing.append(row)
            }
            var users = [Result<ValueObject, TransformFailure>?](repeating: nil, count: end)
            for (row, user) in zip(passing, transformed(batch, passing)) { users[row] = user }
            for row in 0..<end {
                summary.read += 1
                line.removeAll(keepingCapacity: true)
                line += "{\"profile\":"
                JSONWriter.write(key(batch, row), to: &line)
                if let message = batch.errors[row] {
                    summary.errors += 1
                    line += ",\"error\":{\"stage\":\"input\",\"message\":"
                    JSONWriter.writeString(message, to: &line)
                    line += "}}"
                } else if let user = users[row] {
                    switch user {
                    case .success(let user):
                        line += ",\"user\":"
                        JSONWriter.write(Value.object(user).json, to: &line)
                        line += "}"
                    case .failure(let error):
                        summary.errors += 1
                        line += ",\"error\":{\"stage\":\"transform\",\"message\":"
                        JSONWriter.writeString(error.message, to: &line)
                        line += "}}"
                    }
                } else {
                    line += ",\"filteredOut\":true}"
                }
                emit(line)
            }
            if end < batch.count { return summary }
        }
        return summary
    }

    /// Why a profile could not be transformed, by a mapping or a function.
    struct TransformFailure: Error {
        var message: String
    }

    /// The users of rows `rows` of `batch`, in order.
    private func transformed(_ batch: ProfileBatch, _ rows: [Int]) -> [Result<ValueObject, TransformFailure>] {
        switch transform {
        case .mapping(let mapping, let action):
            return rows.map { mapping.evaluate(batch, row: $0, action: action).mapError { TransformFailure(message: $0.message) } }
        case .function(let function, let action):
            return function.transform(batch, rows: rows, action: action).map { $0.mapError { TransformFailure(message: $0.message) } }
        case .projection(let projection):
            return rows.map { .success(projection.project(batch, row: $0)) }
        }
    }

    /// The profile's key in its JSON encoding, or its record number.
    private func key(_ batch: ProfileBatch, _ row: Int) -> JSONValue {
        if let keySlot, let value = batch[row, keySlot], !value.isNull {
            return value.json
        }
        return .number(String(batch.records[row]))
    }
}
