import Foundation
import GRDB

extension StateStore {
    /// Starts a run of `pipeline`, taking its lock in the same transaction.
    ///
    /// A lock held by a live run is refused with a message naming it. A stale lock — its process
    /// gone on this host, or its heartbeat older than ``staleAfter`` — is taken over, and the run
    /// that held it becomes `failed` with error `interrupted` (DESIGN section 10).
    public func startRun(
        pipeline: Int64, workspace: String, owner: RunOwner, dryRun: Bool = false, job: Int64? = nil, now: Date = Date()
    ) throws(StoreError) -> RunRecord {
        try write("start a run of pipeline \(pipeline)") { db in
            if let lock = try RunLock.fetchOne(db, key: pipeline) {
                let age = now.timeIntervalSince(lock.heartbeatAt)
                let gone = lock.host == owner.host && lock.pid != owner.pid && !RunOwner.isAlive(lock.pid)
                guard age > staleAfter || gone else {
                    throw StoreError.alreadyRunning(
                        "pipeline \(pipeline) is already running (run \(lock.run), pid \(lock.pid) on \(lock.host), "
                            + "last heartbeat \(Int(age)) s ago); wait for it to end, or stop it")
                }
                try db.execute(
                    sql: "UPDATE run SET status = 'failed', error = 'interrupted', finishedAt = ? WHERE id = ? AND status = 'running'",
                    arguments: [now, lock.run])
                _ = try RunLock.deleteOne(db, key: pipeline)
            }
            var run = RunRecord(
                id: nil, pipeline: pipeline, workspace: workspace, status: .running, dryRun: dryRun, startedAt: now, finishedAt: nil,
                error: nil, read: 0, filteredOut: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, job: job)
            try run.insert(db)
            guard let id = run.id else { throw StoreError("the run of pipeline \(pipeline) got no id") }
            try RunLock(pipeline: pipeline, run: id, pid: owner.pid, host: owner.host, heartbeatAt: now).insert(db)
            return run
        }
    }

    /// Tells other processes the run is alive; call every few seconds while it runs.
    public func heartbeat(run: Int64, pipeline: Int64, now: Date = Date()) throws(StoreError) {
        try write("record a heartbeat of run \(run)") { db in
            try db.execute(sql: "UPDATE runLock SET heartbeatAt = ? WHERE pipeline = ? AND run = ?", arguments: [now, pipeline, run])
        }
    }

    /// Records what one batch did, after the application answered, in one transaction: the
    /// outcome counts, every error, and the export state the application confirmed.
    public func commitBatch(
        run: Int64, pipeline: Int64, counts: RunCounts, errors: [ProfileError], exported: [ExportStateEntry]
    ) throws(StoreError) {
        try commitBatches(run: run, pipeline: pipeline, [BatchRecord(counts: counts, errors: errors, exported: exported)])
    }

    /// Records what several answered batches did in one transaction: all or none of them, so a
    /// crash leaves each batch either recorded whole or to be redone by the next run.
    public func commitBatches(run: Int64, pipeline: Int64, _ records: [BatchRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try write("record \(records.count == 1 ? "a batch" : "\(records.count) batches") of run \(run)") { db in
            var counts = RunCounts()
            for record in records { counts.add(record.counts) }
            var arguments = StatementArguments(counts.values)
            arguments += [run]
            try db.cachedStatement(sql: Self.addCountsSQL).execute(arguments: arguments)
            for record in records {
                for error in record.errors { try error.insert(db) }
                try ExportStateRow.upsert(record.exported, pipeline: pipeline, db: db)
            }
        }
    }

    private static let addCountsSQL =
        "UPDATE run SET " + RunCounts.columnNames.map { "\($0) = \($0) + ?" }.joined(separator: ", ") + " WHERE id = ?"

    /// Ends a run and releases its lock.
    public func finishRun(_ run: Int64, status: RunRecord.Status, error: String?, now: Date = Date()) throws(StoreError) {
        try write("finish run \(run)") { db in
            try db.execute(sql: "UPDATE run SET status = ?, error = ?, finishedAt = ? WHERE id = ?", arguments: [status.rawValue, error, now, run])
            try db.execute(sql: "DELETE FROM runLock WHERE run = ?", arguments: [run])
        }
    }

    /// Runs, newest first; of one pipeline when `pipeline` is given.
    public func runs(pipeline: Int64? = nil, limit: Int = 50) throws(StoreError) -> [RunRecord] {
        try read("list runs") { db in
            var request = RunRecord.order(Column("id").desc).limit(limit)
            if let pipeline { request = request.filter(Column("pipeline") == pipeline) }
            return try request.fetchAll(db)
        }
    }

    public func run(_ id: Int64) throws(StoreError) -> RunRecord? {
        try read("read run \(id)") { db in try RunRecord.fetchOne(db, key: id) }
    }

    /// Every error of a run, in the order they were recorded.
    public func errors(run: Int64) throws(StoreError) -> [ProfileError] {
        try read("read the errors of run \(run)") { db in
            try ProfileError.filter(Column("run") == run).order(Column("id")).fetchAll(db)
        }
    }
}
