import Foundation
import GRDB

/// One execution of a pipeline as the store keeps it (DESIGN section 10).
public struct RunRecord: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"

    public enum Status: String, Codable, Hashable, Sendable {
        case running, finished, failed
    }

    public var id: Int64?
    public var pipeline: Int64
    public var workspace: String
    public var status: Status
    public var dryRun: Bool
    public var startedAt: Date
    public var finishedAt: Date?
    public var error: String?
    public var read: Int
    public var filteredOut: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var skipped: Int
    public var failed: Int
    /// The workspace run (job) this run is a task of; nil for a run of one pipeline.
    public var job: Int64?

    public var counts: RunCounts {
        get {
            RunCounts(
                read: read, filteredOut: filteredOut, created: created, updated: updated, unchanged: unchanged, skipped: skipped,
                failed: failed)
        }
        set {
            read = newValue.read
            filteredOut = newValue.filteredOut
            created = newValue.created
            updated = newValue.updated
            unchanged = newValue.unchanged
            skipped = newValue.skipped
            failed = newValue.failed
        }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// How many profiles of a run ended in each outcome; `read` is the sum of the others.
public struct RunCounts: Codable, Hashable, Sendable {
    public var read = 0
    public var filteredOut = 0
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var skipped = 0
    public var failed = 0

    public init(read: Int = 0, filteredOut: Int = 0, created: Int = 0, updated: Int = 0, unchanged: Int = 0, skipped: Int = 0, failed: Int = 0) {
        self.read = read
        self.filteredOut = filteredOut
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.skipped = skipped
        self.failed = failed
    }

    static let columnNames = ["read", "filteredOut", "created", "updated", "unchanged", "skipped", "failed"]

    var values: [Int] { [read, filteredOut, created, updated, unchanged, skipped, failed] }
}

/// One profile that failed in a run: its key, the stage, and the message. Every one is kept.
public struct ProfileError: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "runError"

    public var run: Int64
    public var profile: String
    public var stage: String
    public var message: String

    public init(run: Int64, profile: String, stage: String, message: String) {
        self.run = run
        self.profile = profile
        self.stage = stage
        self.message = message
    }
}
