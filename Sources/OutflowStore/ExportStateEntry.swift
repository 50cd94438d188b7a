import Foundation
import GRDB
import GRDBSQLite
import OutflowCore

/// What the application last confirmed for one matching value of a pipeline: the ids of its users
/// and the hash of the payload sent, so that an identical payload is `unchanged` and not sent again.
public struct ExportStateEntry: Hashable, Sendable {
    public var matchingValue: String
    public var userIds: [String]
    public var payloadHash: String
    public var confirmedAt: Date

    public init(matchingValue: String, userIds: [String], payloadHash: String, confirmedAt: Date) {
        self.matchingValue = matchingValue
        self.userIds = userIds
        self.payloadHash = payloadHash
        self.confirmedAt = confirmedAt
    }
}

/// The database row of an ``ExportStateEntry``; user ids are stored as a JSON array.
struct ExportStateRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "exportState"

    var pipeline: Int64
    var matchingValue: String
    var userIds: String
    var payloadHash: String
    var confirmedAt: Date

    init(pipeline: Int64, entry: ExportStateEntry) {
        self.pipeline = pipeline
        matchingValue = entry.matchingValue
        userIds = Self.encode(ids: entry.userIds)
        payloadHash = entry.payloadHash
        confirmedAt = entry.confirmedAt
    }

    var entry: ExportStateEntry {
        ExportStateEntry(matchingValue: matchingValue, userIds: Self.decode(ids: userIds), payloadHash: payloadHash, confirmedAt: confirmedAt)
    }

    /// The ids as a JSON array of strings (Outflow's writer: Foundation's JSONEncoder cost more
    /// than the rest of a row's write).
    static func encode(ids: [String]) -> String {
        JSONWriter.string(.array(ids.map(JSONValue.string)))
    }

    static func decode(ids text: String) -> [String] {
        guard case .array(let items)? = try? JSONParser.parse(text) else { return [] }
        return items.compactMap { item in
            if case .string(let id) = item { return id }
            return nil
        }
    }

    /// Writes `entries` of `pipeline` with one cached UPSERT statement. The same rows as
    /// `ExportStateRow.save` wrote (the date in GRDB's text form, so older rows and newer ones
    /// read back alike), without Codable's per-row encoding, which was a third of a run's CPU, and
    /// with the values bound straight to SQLite: building GRDB's `StatementArguments` per row
    /// (an array of boxed values) cost as much as SQLite's own work.
    static func upsert(_ entries: [ExportStateEntry], pipeline: Int64, db: Database) throws {
        guard !entries.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO exportState (pipeline, matchingValue, userIds, payloadHash, confirmedAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(pipeline, matchingValue) DO UPDATE SET
                userIds = excluded.userIds, payloadHash = excluded.payloadHash, confirmedAt = excluded.confirmedAt
                """)
        let handle = statement.sqliteStatement
        var lastDate: Date?
        var lastText = ""
        for entry in entries {
            if entry.confirmedAt != lastDate {
                lastDate = entry.confirmedAt
                lastText = String.fromDatabaseValue(entry.confirmedAt.databaseValue) ?? ""
            }
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            sqlite3_bind_int64(handle, 1, pipeline)
            bind(entry.matchingValue, at: 2, of: handle)
            bind(encode(ids: entry.userIds), at: 3, of: handle)
            bind(entry.payloadHash, at: 4, of: handle)
            bind(lastText, at: 5, of: handle)
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
        sqlite3_reset(handle)
    }

    /// Binds `text` as UTF-8 TEXT; SQLite copies it (`SQLITE_TRANSIENT`), so it need not outlive the call.
    private static func bind(_ text: String, at index: Int32, of handle: SQLiteStatement) {
        var text = text
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) { chars in
                // A zero-length TEXT still needs a non-null pointer, or SQLite binds NULL.
                withUnsafePointer(to: CChar(0)) { empty in
                    sqlite3_bind_text(handle, index, chars.baseAddress ?? empty, Int32(chars.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                }
            }
        }
    }
}
