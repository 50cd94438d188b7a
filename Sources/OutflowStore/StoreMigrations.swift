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
        migrator.registerMigration("v2: server objects (workspaces, revisions, tokens, jobs)") { db in
            try db.create(table: "workspace") { t in
                t.primaryKey("name", .text)
                t.column("status", .text).notNull()
                t.column("metadata", .text).notNull()
                t.column("document", .text).notNull()
                t.column("directory", .text).notNull()
                t.column("revision", .integer).notNull()
                t.column("authFailures", .integer).notNull().defaults(to: 0)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "workspaceRevision") { t in
                t.column("workspace", .text).notNull().references("workspace", onDelete: .cascade)
                t.column("number", .integer).notNull()
                t.column("document", .text).notNull()
                t.column("metadata", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["workspace", "number"])
            }
            // Pipeline and connection ids are global (the API addresses them without a workspace
            // in the path), so every id any workspace uses is claimed here, in the same
            // transaction that saves the workspace.
            try db.create(table: "objectId") { t in
                t.column("kind", .text).notNull()
                t.column("id", .integer).notNull()
                t.column("workspace", .text).notNull().indexed().references("workspace", onDelete: .cascade)
                t.primaryKey(["kind", "id"])
            }
            try db.create(table: "apiToken") { t in
                t.primaryKey("hash", .text)
                // No foreign key: `tokens create` may run before `serve` first imports the workspace.
                t.column("workspace", .text).indexed()
                t.column("admin", .boolean).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "job") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("workspace", .text).notNull().indexed()
                t.column("status", .text).notNull()
                t.column("trigger", .text).notNull()
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.column("error", .text)
            }
            try db.alter(table: "run") { t in
                t.add(column: "job", .integer)
            }
            try db.create(index: "run_on_job", on: "run", columns: ["job"])
        }
        return migrator
    }
}
