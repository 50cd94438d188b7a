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
    public static func open(_ source: ProfileSource, url: URL, displayPath: String, batchSize: Int = 1024) throws(SourceError)
        -> any ProfileReader
    {
        switch source.format {
        case .csv:
            return try CSVReader(url: url, displayPath: displayPath, schema: source.schema, batchSize: batchSize)
        case .json:
            return try JSONArrayReader(url: url, displayPath: displayPath, batchSize: batchSize)
        case .ndjson:
            return try NDJSONReader(url: url, displayPath: displayPath, batchSize: batchSize)
        }
    }
}
