import Foundation
import OutflowCore
import OutflowStore

/// The JSON bodies of the workspaces API (server contract, "Workspaces"): a workspace as the API
/// shows it, and its revision list. Secrets are never in them: connections go through
/// ``WorkspaceCatalog/redacted(connection:)``.
///
/// ```swift
/// JSONResponse.make(WorkspaceResponse.workspace(stored, catalog: services.catalog))
/// ```
enum WorkspaceResponse {
    /// `{"name","status","metadata","revision","createdAt","updatedAt","warehouse","connections","pipelines"}`.
    static func workspace(_ stored: StoredWorkspace, catalog: WorkspaceCatalog) -> JSONValue {
        let document = catalog.redacted(document: stored.document)
        let members: [(key: String, value: JSONValue)] = [
            ("name", .string(stored.name)),
            ("status", .string(stored.record.status.rawValue)),
            ("metadata", .object(stored.metadata)),
            ("revision", .number(String(stored.record.revision))),
            ("createdAt", .string(time(stored.record.createdAt))),
            ("updatedAt", .string(time(stored.record.updatedAt))),
            ("warehouse", document["warehouse"] ?? .object(JSONObject())),
            ("connections", list(document["connections"])),
            ("pipelines", list(document["pipelines"])),
        ]
        return .object(JSONObject(members))
    }

    /// An array member of the document; absent or null (the decoder takes both as none) is `[]`.
    private static func list(_ value: JSONValue?) -> JSONValue {
        if case .array? = value { return value ?? .array([]) }
        return .array([])
    }

    /// `{"revisions":[{"number","reason","createdAt"}]}`, in the order given (newest first).
    static func revisions(_ revisions: [WorkspaceRevision]) -> JSONValue {
        let items: [JSONValue] = revisions.map { revision in
            .object(
                JSONObject([
                    ("number", .number(String(revision.number))), ("reason", .string(revision.reason)),
                    ("createdAt", .string(time(revision.createdAt))),
                ]))
        }
        return .object(JSONObject([("revisions", .array(items))]))
    }

    /// RFC 3339 UTC with milliseconds, as the seeds' `2024-05-31T06:48:08.228Z`.
    static func time(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
