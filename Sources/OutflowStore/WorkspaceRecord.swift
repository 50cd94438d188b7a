import Foundation
import GRDB

/// A workspace the server keeps (DESIGN section 12): its configuration as the JSON document of a
/// workspace file (secrets sealed, see `OutflowServer.SecretBox`), its lifecycle status and tags.
///
/// The document stays JSON text rather than tables of pipelines and connections because a
/// revision is a snapshot of the whole of it, and rolling back is putting a snapshot back.
public struct WorkspaceRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "workspace"

    public enum Status: String, Codable, Hashable, Sendable, CaseIterable {
        case active = "ACTIVE", inactive = "INACTIVE", suspended = "SUSPENDED"
    }

    public var name: String
    public var status: Status
    /// Tags, as a JSON object of strings.
    public var metadata: String
    /// The workspace file's JSON: name, warehouse, connections, pipelines.
    public var document: String
    /// The folder relative paths of the document (profile file, mock users) resolve against.
    public var directory: String
    /// The number of the newest revision.
    public var revision: Int
    /// Scheduled runs that met an authentication failure in a row; 3 suspend the workspace.
    public var authFailures: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        name: String, status: Status = .active, metadata: String = "{}", document: String, directory: String, revision: Int = 0,
        authFailures: Int = 0, createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.name = name
        self.status = status
        self.metadata = metadata
        self.document = document
        self.directory = directory
        self.revision = revision
        self.authFailures = authFailures
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One saved configuration of a workspace: every change makes one, numbered from 1.
public struct WorkspaceRevision: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "workspaceRevision"

    public var workspace: String
    public var number: Int
    public var document: String
    public var metadata: String
    /// What made it: "created", "imported", "updated", "pipeline 12 created", "rollback to 3", ...
    public var reason: String
    public var createdAt: Date
}

/// The pipeline and connection ids a workspace uses, for ``StateStore/saveWorkspace(_:pipelines:connections:reason:)``.
public struct WorkspaceObjectIds: Hashable, Sendable {
    public var pipelines: [Int64]
    public var connections: [Int64]

    public init(pipelines: [Int64], connections: [Int64]) {
        self.pipelines = pipelines
        self.connections = connections
    }
}
