import Foundation
import OutflowCore
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
        /// Functions are not run yet (their issue is open): the user is the profile restricted to
        /// the function's inSchema, so the rest of the preview stays useful.
        case projection(ProfileProjection)
    }

    init(file: WorkspaceFile, pipeline: Pipeline) throws(ValidationError) {
        self.file = file
        self.pipeline = pipeline
        let schema = file.workspace.warehouse.profiles.schema
        filter = try pipeline.filter.map { filter throws(ValidationError) in try CompiledFilter(filter, schema: schema) }
        if let mapping = pipeline.transformation.mapping {
            let compiled = try CompiledMapping(
                mapping, inSchema: pipeline.inSchema, outSchema: pipeline.outSchema, matchingOut: pipeline.matching.out,
                profileSchema: schema, path: "pipeline \(pipeline.id.map(String.init) ?? pipeline.name)")
            // The action decides which required checks apply; CreateOrUpdate learns it only at run time.
            let action: MappingAction
            switch pipeline.exportMode {
            case .createOnly: action = .create
            case .updateOnly: action = .update
            case .createOrUpdate: action = .either
            }
            transform = .mapping(compiled, action)
        } else {
            transform = .projection(ProfileProjection(from: schema, to: pipeline.inSchema))
        }
        keySlot = file.workspace.warehouse.profiles.key.flatMap { schema.index(of: $0) }
    }

    /// Reads profiles and hands each preview line to `emit`; stops after `limit` profiles.
    func run(limit: Int?, emit: (String) -> Void) throws(SourceError) -> Summary {
        let source = file.workspace.warehouse.profiles
        var reader = try ProfileReaders.open(source, url: file.profilesURL, displayPath: source.path)
        var batch = ProfileBatch(schema: source.schema)
        var summary = Summary()
        var line = ""
        while try reader.next(into: &batch) {
            for row in 0..<batch.count {
                if let limit, summary.read >= limit { return summary }
                summary.read += 1
                line.removeAll(keepingCapacity: true)
                line += "{\"profile\":"
                JSONWriter.write(key(batch, row), to: &line)
                if let message = batch.errors[row] {
                    summary.errors += 1
                    line += ",\"error\":{\"stage\":\"input\",\"message\":"
                    JSONWriter.writeString(message, to: &line)
                    line += "}}"
                } else if let filter, !filter.matches(batch, row: row) {
                    line += ",\"filteredOut\":true}"
                } else {
                    switch user(batch, row) {
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
                }
                emit(line)
            }
        }
        return summary
    }

    private func user(_ batch: ProfileBatch, _ row: Int) -> Result<ValueObject, MappingError> {
        switch transform {
        case .mapping(let mapping, let action): return mapping.evaluate(batch, row: row, action: action)
        case .projection(let projection): return .success(projection.project(batch, row: row))
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
