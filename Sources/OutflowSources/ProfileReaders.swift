import Foundation
import OutflowCore

/// Opens the reader that fits a warehouse file's format.
///
/// ```swift
/// var reader = try ProfileReaders.open(workspace.warehouse.profiles, url: url, displayPath: "customers.csv")
/// var batch = ProfileBatch(schema: workspace.warehouse.profiles.schema)
/// while try reader.next(into: &batch) { ... }
/// ```
public enum ProfileReaders {
    /// A reader of `source` at `url`; `displayPath` names the file in errors, and each batch holds up
    /// to `batchSize` profiles. Throws when the file cannot be read or (CSV) its header does not fit
    /// the schema.
    ///
    /// `only` names the top-level properties a caller needs: the CSV reader then skips the other
    /// columns' cells (see ``CSVReader``); JSON and NDJSON records are decoded whole either way.
    public static func open(_ source: ProfileSource, url: URL, displayPath: String, batchSize: Int = 1024, only: Set<String>? = nil)
        throws(SourceError) -> any ProfileReader
    {
        switch source.format {
        case .csv:
            return try CSVReader(url: url, displayPath: displayPath, schema: source.schema, batchSize: batchSize, only: only)
        case .json:
            return try JSONArrayReader(url: url, displayPath: displayPath, batchSize: batchSize)
        case .ndjson:
            return try NDJSONReader(url: url, displayPath: displayPath, batchSize: batchSize)
        }
    }
}
