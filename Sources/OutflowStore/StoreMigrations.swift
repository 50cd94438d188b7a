import GRDB

/// The schema of the state store, evolved only by named migrations (never edited in place), so
/// that a store written by an older Outflow opens in a newer one.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs, errors, export state, locks") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("pipeline", .integer).notNull().indexed()
                t.column("workspace", .text).notNull()
                t.column("status", .text).notNull()
                t.column("dryRun", .boolean).notNull().defaults(to: false)
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.column("error", .text)
                for name in RunCounts.columnNames {
                    t.column(name, .integer).notNull().defaults(to: 0)
                }
            }
            try db.create(table: "runError") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run", .integer).notNull().indexed().references("run", onDelete: .cascade)
                t.column("profile", .text).notNull()
                t.column("stage", .text).notNull()
                t.column("message", .text).notNull()
            }
            try db.create(table: "exportState") { t in
                t.column("pipeline", .integer).notNull()
                t.column("matchingValue", .text).notNull()
                t.column("userIds", .text).notNull()
                t.column("payloadHash", .text).notNull()
                t.column("confirmedAt", .datetime).notNull()
                t.primaryKey(["pipeline", "matchingValue"])
            }
            try db.create(table: "runLock") { t in
                t.primaryKey("pipeline", .integer)
                t.column("run", .integer).notNull()
                t.column("pid", .integer).notNull()
                t.column("host", .text).notNull()
                t.column("heartbeatAt", .datetime).notNull()
            }
        }
        return migrator
    }
}
