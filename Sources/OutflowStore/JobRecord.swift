import Foundation
import GRDB

/// One run of a whole workspace (`POST /sources/{workspace}/start`, `trigger`, or the scheduler
/// when several pipelines are due at once): its tasks are the pipeline runs whose `job` is its id.
public struct JobRecord: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "job"

    public enum Status: String, Codable, Hashable, Sendable {
        case running, finished, failed
    }

    public var id: Int64?
    public var workspace: String
    public var status: Status
    /// "api", "trigger" or "schedule".
    public var trigger: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var error: String?

    public init(id: Int64? = nil, workspace: String, status: Status = .running, trigger: String, startedAt: Date = Date(), finishedAt: Date? = nil, error: String? = nil) {
        self.id = id
        self.workspace = workspace
        self.status = status
        self.trigger = trigger
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// An API token as stored: only the SHA-256 of the token, hex, and what it may reach.
public struct APIToken: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "apiToken"

    public var hash: String
    /// The workspace the token is for; nil for an admin token.
    public var workspace: String?
    public var admin: Bool
    public var createdAt: Date

    public init(hash: String, workspace: String?, admin: Bool, createdAt: Date = Date()) {
        self.hash = hash
        self.workspace = workspace
        self.admin = admin
        self.createdAt = createdAt
    }
}
