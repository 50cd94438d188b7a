import Foundation
import OutflowCore
import OutflowStore

/// A workspace as the server holds it: the store's record, its document (secrets sealed), the
/// model decoded from that document, and its metadata tags.
public struct StoredWorkspace: Sendable {
    public var record: WorkspaceRecord
    /// The workspace file's JSON as stored: connection secrets are sealed or `${VAR}` references.
    public var document: JSONObject
    /// The model decoded from ``document`` (its secrets still sealed: open them only to run).
    public var workspace: Workspace
    public var metadata: JSONObject

    public var name: String { record.name }
    public var isActive: Bool { record.status == .active }

    /// The pipeline with `id`, or 404 "pipeline does not exist".
    public func pipeline(id: Int64) throws -> Pipeline {
        guard let pipeline = workspace.pipelines.first(where: { $0.id == id }) else { throw APIError.notFound("pipeline does not exist") }
        return pipeline
    }

    /// The document's `pipelines` array (empty when absent).
    public var pipelineDocuments: [JSONValue] {
        if case .array(let items)? = document["pipelines"] { return items }
        return []
    }

    /// The document's `connections` array (empty when absent).
    public var connectionDocuments: [JSONValue] {
        if case .array(let items)? = document["connections"] { return items }
        return []
    }
}
