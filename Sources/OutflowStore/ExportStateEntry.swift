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

    /// Writes `entries` of `pipeline` with cached UPSERT statements of `rowsPerStatement` rows (the
    /// rest one by one). The same rows as `ExportStateRow.save` wrote (the date in GRDB's text form,
    /// so older rows and newer ones read back alike), without Codable's per-row encoding, which was a
    /// third of a run's CPU, and with the values bound straight to SQLite: building GRDB's
    /// `StatementArguments` per row (an array of boxed values) cost as much as SQLite's own work.
    /// Many rows per statement: ending and resetting a statement per row was a third of the upsert.
    /// A matching value twice in one statement updates the row its first occurrence wrote, as two
    /// statements would.
    static func upsert(_ entries: [ExportStateEntry], pipeline: Int64, db: Database) throws {
        guard !entries.isEmpty else { return }
        var dateCache: (date: Date, text: String)?
        func dateText(_ date: Date) -> String {
            if let dateCache, dateCache.date == date { return dateCache.text }
            let text = String.fromDatabaseValue(date.databaseValue) ?? ""
            dateCache = (date, text)
            return text
        }
        var start = entries.startIndex
        while start < entries.endIndex {
            let rows = entries.endIndex - start >= rowsPerStatement ? rowsPerStatement : 1
            let statement = try db.cachedStatement(sql: rows == 1 ? singleRowSQL : multiRowSQL)
            let handle = statement.sqliteStatement
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            for (offset, entry) in entries[start..<(start + rows)].enumerated() {
                let first = Int32(offset * 5)
                sqlite3_bind_int64(handle, first + 1, pipeline)
                bind(entry.matchingValue, at: first + 2, of: handle)
                bind(encode(ids: entry.userIds), at: first + 3, of: handle)
                bind(entry.payloadHash, at: first + 4, of: handle)
                bind(dateText(entry.confirmedAt), at: first + 5, of: handle)
            }
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            start += rows
        }
    }

    /// Rows per multi-row statement: 500 bound values, far below SQLite's limit (32,766).
    static let rowsPerStatement = 100

    private static let singleRowSQL = upsertSQL(rows: 1)
    private static let multiRowSQL = upsertSQL(rows: rowsPerStatement)

    private static func upsertSQL(rows: Int) -> String {
        "INSERT INTO exportState (pipeline, matchingValue, userIds, payloadHash, confirmedAt) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
            + " ON CONFLICT(pipeline, matchingValue) DO UPDATE SET"
            + " userIds = excluded.userIds, payloadHash = excluded.payloadHash, confirmedAt = excluded.confirmedAt"
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
