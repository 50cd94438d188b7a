import Foundation
import GRDB

extension StateStore {
    /// Starts a run of a whole workspace; refused (``StoreError/isAlreadyRunning``) while another
    /// job of the workspace runs.
    public func startJob(workspace: String, trigger: String, now: Date = Date()) throws(StoreError) -> JobRecord {
        try write("start a run of workspace \(workspace)") { db in
            if let running = try JobRecord.filter(Column("workspace") == workspace && Column("status") == JobRecord.Status.running.rawValue).fetchOne(db) {
                throw StoreError.alreadyRunning("workspace \"\(workspace)\" is already running (run \(running.id ?? 0))")
            }
            var job = JobRecord(workspace: workspace, trigger: trigger, startedAt: now)
            try job.insert(db)
            return job
        }
    }

    public func finishJob(_ id: Int64, status: JobRecord.Status, error: String?, now: Date = Date()) throws(StoreError) {
        try write("finish workspace run \(id)") { db in
            try db.execute(sql: "UPDATE job SET status = ?, error = ?, finishedAt = ? WHERE id = ?", arguments: [status.rawValue, error, now, id])
        }
    }

    public func job(_ id: Int64) throws(StoreError) -> JobRecord? {
        try read("read workspace run \(id)") { db in try JobRecord.fetchOne(db, key: id) }
    }

    /// The pipeline runs of a job, oldest first.
    public func runs(job: Int64) throws(StoreError) -> [RunRecord] {
        try read("read the runs of workspace run \(job)") { db in
            try RunRecord.filter(Column("job") == job).order(Column("id")).fetchAll(db)
        }
    }

    /// Jobs and runs left `running` by a server that stopped without finishing them become
    /// `failed` with error `interrupted` (call at server start, before anything runs).
    public func failInterruptedJobs(now: Date = Date()) throws(StoreError) {
        try write("close interrupted workspace runs") { db in
            try db.execute(sql: "UPDATE job SET status = 'failed', error = 'interrupted', finishedAt = ? WHERE status = 'running'", arguments: [now])
        }
    }
}
