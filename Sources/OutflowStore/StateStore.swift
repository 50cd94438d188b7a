import Foundation
import GRDB

/// The state store of DESIGN section 10: runs, every per-profile error, the export state of each
/// pipeline, and one run lock per pipeline, in SQLite (`.outflow/state.sqlite` beside the workspace
/// by default).
///
/// Every write is one transaction, so a process killed at any moment leaves the store as it was
/// before or after a whole batch, never in between: that is what lets a second run finish the job
/// without losing a profile or creating a user twice.
///
/// ```swift
/// let store = try StateStore(path: ".outflow/state.sqlite")
/// let run = try store.startRun(pipeline: 101, workspace: "demo", owner: .current())
/// try store.commitBatch(run: run.id, pipeline: 101, outcomes: outcomes, exported: confirmed)
/// try store.finishRun(run.id, status: .finished, counts: counts, error: nil)
/// ```
public final class StateStore: Sendable {
    private let queue: DatabaseQueue
    /// How old a lock's heartbeat may be before another process takes the lock over.
    public let staleAfter: TimeInterval

    /// Opens (creating it and its folder if needed) the store at `path` and migrates it.
    public init(path: String, staleAfter: TimeInterval = 30) throws(StoreError) {
        self.staleAfter = staleAfter
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            // Write-ahead logging: a run commits once per batch (a thousand commits for 100k
            // profiles), and in the default rollback-journal mode each commit created, synced and
            // deleted a journal file (4 fsyncs). With WAL and synchronous=NORMAL a commit is one
            // append; a committed batch still survives the process being killed at any moment,
            // which is what DESIGN 10 promises (only a power loss may drop the last commits, and a
            // lost "created" is found again by the next run's lookup, never created twice).
            // Readers (`outflow runs`, the API) no longer wait for a run's writes either.
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(queue)
        } catch {
            throw StoreError("cannot open the state store at \(path): \(error)")
        }
    }

    /// A store in memory only, for connections to a mock (whose state must not outlive the run).
    public init(inMemory: Void = (), staleAfter: TimeInterval = 30) throws(StoreError) {
        self.staleAfter = staleAfter
        do {
            queue = try DatabaseQueue()
            try StoreMigrations.migrator.migrate(queue)
        } catch {
            throw StoreError("cannot create an in-memory state store: \(error)")
        }
    }

    /// Runs `body` in one write transaction, mapping database errors to ``StoreError``.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot \(what): \(error)")
        }
    }

    func read<T>(_ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw StoreError("cannot \(what): \(error)")
        }
    }
}

/// A state store that cannot be used: unreadable, locked by another run, or corrupt.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// The refusal of a second run while another holds the pipeline's (or workspace's) lock:
    /// HTTP 409 in the API, a plain error on the command line.
    public var isAlreadyRunning = false

    public init(_ message: String) {
        self.message = message
    }

    /// A name already taken, or an id another workspace uses (HTTP 409/422 in the API).
    public var isConflict = false
    /// The object the write names does not exist (HTTP 404 in the API).
    public var isNotFound = false

    public static func conflict(_ message: String) -> StoreError {
        var error = StoreError(message)
        error.isConflict = true
        return error
    }

    public static func notFound(_ message: String) -> StoreError {
        var error = StoreError(message)
        error.isNotFound = true
        return error
    }

    public static func alreadyRunning(_ message: String) -> StoreError {
        var error = StoreError(message)
        error.isAlreadyRunning = true
        return error
    }

    public var description: String { message }
}
