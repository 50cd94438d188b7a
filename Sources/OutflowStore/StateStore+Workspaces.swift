import Foundation
import GRDB

extension StateStore {
    /// How ``saveWorkspace(_:ids:reason:mode:)`` treats an existing workspace of the same name.
    public enum SaveMode: Sendable {
        /// Refuse when the name is taken (`POST /v1/workspaces`).
        case create
        /// Refuse when the name is unknown (`PUT`, pipeline and connection changes, rollback).
        case update
        /// Either; an unchanged document and metadata make no revision (`serve FILE` at start).
        case importFile
    }

    /// Every workspace, by name.
    public func workspaces() throws(StoreError) -> [WorkspaceRecord] {
        try read("list workspaces") { db in try WorkspaceRecord.order(Column("name")).fetchAll(db) }
    }

    public func workspace(named name: String) throws(StoreError) -> WorkspaceRecord? {
        try read("read workspace \(name)") { db in try WorkspaceRecord.fetchOne(db, key: name) }
    }

    /// Saves `record`'s document and metadata as the workspace's next revision, in one transaction
    /// that also claims every pipeline and connection id it uses (ids are global: a clash with
    /// another workspace is refused, naming it). Returns the record as stored; `status`,
    /// `createdAt` and `authFailures` of an existing workspace are kept.
    @discardableResult
    public func saveWorkspace(_ record: WorkspaceRecord, ids: WorkspaceObjectIds, reason: String, mode: SaveMode, now: Date = Date())
        throws(StoreError) -> WorkspaceRecord
    {
        try write("save workspace \(record.name)") { db in
            var stored = record
            let existing = try WorkspaceRecord.fetchOne(db, key: record.name)
            switch (mode, existing) {
            case (.create, .some):
                throw StoreError.conflict("workspace \"\(record.name)\" already exists")
            case (.update, .none):
                throw StoreError.notFound("workspace does not exist")
            case (.importFile, .some(let old)) where old.document == record.document && old.metadata == record.metadata && old.directory == record.directory:
                return old
            default:
                break
            }
            if let existing {
                stored.status = existing.status
                stored.createdAt = existing.createdAt
                stored.authFailures = existing.authFailures
                stored.revision = existing.revision + 1
            } else {
                stored.createdAt = now
                stored.revision = 1
            }
            stored.updatedAt = now
            try db.execute(sql: "DELETE FROM objectId WHERE workspace = ?", arguments: [record.name])
            for (kind, list) in [("pipeline", ids.pipelines), ("connection", ids.connections)] {
                for id in list {
                    if let owner = try String.fetchOne(db, sql: "SELECT workspace FROM objectId WHERE kind = ? AND id = ?", arguments: [kind, id]) {
                        throw StoreError.conflict("\(kind) id \(id) is already used by workspace \"\(owner)\"; ids are unique across workspaces")
                    }
                    if existing == nil {
                        // The row for the workspace must exist before ids can reference it.
                        try stored.save(db)
                    }
                    try db.execute(sql: "INSERT INTO objectId (kind, id, workspace) VALUES (?, ?, ?)", arguments: [kind, id, record.name])
                }
            }
            try stored.save(db)
            try WorkspaceRevision(
                workspace: stored.name, number: stored.revision, document: stored.document, metadata: stored.metadata, reason: reason,
                createdAt: now
            ).insert(db)
            return stored
        }
    }

    /// Sets a workspace's lifecycle status (no revision: the configuration did not change).
    /// Returns false when there is no such workspace.
    @discardableResult
    public func setWorkspaceStatus(_ name: String, _ status: WorkspaceRecord.Status, now: Date = Date()) throws(StoreError) -> Bool {
        try write("set the status of workspace \(name)") { db in
            try db.execute(
                sql: "UPDATE workspace SET status = ?, authFailures = 0, updatedAt = ? WHERE name = ?", arguments: [status.rawValue, now, name])
            return db.changesCount > 0
        }
    }

    /// Counts one more scheduled run that met an authentication failure (`failed: true`) or
    /// resets the count; the third in a row suspends the workspace. Returns the status after.
    @discardableResult
    public func recordScheduledRun(workspace name: String, authenticationFailed failed: Bool, limit: Int = 3) throws(StoreError)
        -> WorkspaceRecord.Status?
    {
        try write("record a scheduled run of workspace \(name)") { db in
            guard var record = try WorkspaceRecord.fetchOne(db, key: name) else { return nil }
            record.authFailures = failed ? record.authFailures + 1 : 0
            if record.authFailures >= limit && record.status == .active { record.status = .suspended }
            try record.update(db)
            return record.status
        }
    }

    /// Deletes a workspace and everything of it: revisions, tokens, ids, jobs, runs with their
    /// errors, export state and locks of its pipelines. Returns false when there was none.
    ///
    /// Refused (``StoreError/isAlreadyRunning``) while a job of the workspace runs or one of its
    /// pipelines holds a live run lock, checked in the same transaction as the delete, so no run
    /// can start in between (also between two pipelines of a job, when no lock is held).
    @discardableResult
    public func deleteWorkspace(_ name: String, now: Date = Date()) throws(StoreError) -> Bool {
        try write("delete workspace \(name)") { db in
            guard try WorkspaceRecord.fetchOne(db, key: name) != nil else { return false }
            let pipelines = try Int64.fetchAll(db, sql: "SELECT id FROM objectId WHERE kind = 'pipeline' AND workspace = ?", arguments: [name])
            if let job = try Int64.fetchOne(db, sql: "SELECT id FROM job WHERE workspace = ? AND status = 'running'", arguments: [name]) {
                throw StoreError.alreadyRunning("workspace \"\(name)\" is running (workspace run \(job)); wait for it to finish")
            }
            for pipeline in pipelines {
                if let lock = try RunLock.fetchOne(db, key: pipeline), now.timeIntervalSince(lock.heartbeatAt) <= staleAfter {
                    throw StoreError.alreadyRunning("pipeline \(pipeline) of workspace \"\(name)\" is running (run \(lock.run)); wait for it to finish")
                }
            }
            for pipeline in pipelines {
                try db.execute(sql: "DELETE FROM exportState WHERE pipeline = ?", arguments: [pipeline])
                try db.execute(sql: "DELETE FROM runLock WHERE pipeline = ?", arguments: [pipeline])
            }
            try db.execute(sql: "DELETE FROM run WHERE workspace = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM job WHERE workspace = ?", arguments: [name])
            // A workspace made again under the same name must not be reachable with old tokens.
            try db.execute(sql: "DELETE FROM apiToken WHERE workspace = ?", arguments: [name])
            _ = try WorkspaceRecord.deleteOne(db, key: name)
            return true
        }
    }

    /// The workspace's revisions, newest first.
    public func revisions(workspace name: String) throws(StoreError) -> [WorkspaceRevision] {
        try read("list the revisions of workspace \(name)") { db in
            try WorkspaceRevision.filter(Column("workspace") == name).order(Column("number").desc).fetchAll(db)
        }
    }

    public func revision(workspace name: String, number: Int) throws(StoreError) -> WorkspaceRevision? {
        try read("read revision \(number) of workspace \(name)") { db in
            try WorkspaceRevision.filter(Column("workspace") == name && Column("number") == number).fetchOne(db)
        }
    }

    /// The workspace that uses pipeline (or connection, with `kind: "connection"`) `id`.
    public func owner(of kind: String = "pipeline", id: Int64) throws(StoreError) -> String? {
        try read("find the workspace of \(kind) \(id)") { db in
            try String.fetchOne(db, sql: "SELECT workspace FROM objectId WHERE kind = ? AND id = ?", arguments: [kind, id])
        }
    }

    /// True when any workspace uses `id` for a `kind` ("pipeline" or "connection").
    public func isIdTaken(_ kind: String, id: Int64) throws(StoreError) -> Bool {
        try owner(of: kind, id: id) != nil
    }
}
