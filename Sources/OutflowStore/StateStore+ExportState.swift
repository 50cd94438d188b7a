import Foundation
import GRDB

extension StateStore {
    /// The export state of `pipeline` for each of `matchingValues` that has one.
    public func exportState(pipeline: Int64, matchingValues: [String]) throws(StoreError) -> [String: ExportStateEntry] {
        try read("read the export state of pipeline \(pipeline)") { db in
            var found: [String: ExportStateEntry] = [:]
            // SQLite caps the number of bound parameters; ask in slices.
            var start = 0
            while start < matchingValues.count {
                let slice = Array(matchingValues[start..<min(start + 500, matchingValues.count)])
                let rows = try ExportStateRow.filter(Column("pipeline") == pipeline && slice.contains(Column("matchingValue"))).fetchAll(db)
                for row in rows { found[row.matchingValue] = row.entry }
                start += 500
            }
            return found
        }
    }

    /// Whether `pipeline` has any export state: a first sync has none, and then need not ask for each batch.
    public func hasExportState(pipeline: Int64) throws(StoreError) -> Bool {
        try read("read the export state of pipeline \(pipeline)") { db in
            try ExportStateRow.filter(Column("pipeline") == pipeline).isEmpty(db) == false
        }
    }

    /// Forgets the export state of `pipeline` (`outflow state reset`); returns how many entries went.
    @discardableResult
    public func resetExportState(pipeline: Int64) throws(StoreError) -> Int {
        try write("reset the export state of pipeline \(pipeline)") { db in
            try ExportStateRow.filter(Column("pipeline") == pipeline).deleteAll(db)
        }
    }
}
