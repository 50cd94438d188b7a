import Foundation
import GRDB

extension StateStore {
    /// Deletes every run of `pipeline` with its errors, and its lock (a pipeline deleted through
    /// the API leaves no history behind that a later pipeline with the same id would inherit).
    /// Returns how many runs went.
    @discardableResult
    public func deleteRuns(pipeline: Int64) throws(StoreError) -> Int {
        try write("delete the runs of pipeline \(pipeline)") { db in
            try db.execute(sql: "DELETE FROM runError WHERE run IN (SELECT id FROM run WHERE pipeline = ?)", arguments: [pipeline])
            try db.execute(sql: "DELETE FROM runLock WHERE pipeline = ?", arguments: [pipeline])
            return try RunRecord.filter(Column("pipeline") == pipeline).deleteAll(db)
        }
    }

    /// Pipelines whose lock is held by a live run, in this process or another sharing the store:
    /// a lock whose heartbeat is older than ``staleAfter`` is not counted (the next run takes it over).
    public func lockedPipelines(now: Date = Date()) throws(StoreError) -> Set<Int64> {
        try read("read the run locks") { db in
            let fresh = now.addingTimeInterval(-staleAfter)
            return Set(try RunLock.filter(Column("heartbeatAt") >= fresh).fetchAll(db).map(\.pipeline))
        }
    }
}
