/// One namespace: a warehouse, connections and pipelines (DESIGN sections 1 and 4).
public struct Workspace: Hashable, Sendable {
    public var name: String
    public var warehouse: Warehouse
    public var connections: [Connection]
    public var pipelines: [Pipeline]

    public init(name: String, warehouse: Warehouse, connections: [Connection], pipelines: [Pipeline]) {
        self.name = name
        self.warehouse = warehouse
        self.connections = connections
        self.pipelines = pipelines
    }

    /// The pipeline named by `reference`: an integer id first, then a name.
    public func pipeline(_ reference: String) -> Pipeline? {
        if let id = Int64(reference), let match = pipelines.first(where: { $0.id == id }) { return match }
        return pipelines.first { $0.name == reference }
    }

    public func connection(id: Int64) -> Connection? {
        connections.first { $0.id == id }
    }
}

/// Where the workspace's profiles live.
public struct Warehouse: Hashable, Sendable {
    public var profiles: ProfileSource

    public init(profiles: ProfileSource) {
        self.profiles = profiles
    }
}

/// A file of profiles and the schema that types it.
public struct ProfileSource: Hashable, Sendable {
    /// The path as written, relative to the workspace file.
    public var path: String
    public var format: SourceFormat
    public var schema: ObjectType
    /// The property that identifies a profile in errors and state; nil means the record number.
    public var key: String?
    /// A datetime or date property telling when a profile last changed.
    public var updatedAt: String?

    public init(path: String, format: SourceFormat, schema: ObjectType, key: String? = nil, updatedAt: String? = nil) {
        self.path = path
        self.format = format
        self.schema = schema
        self.key = key
        self.updatedAt = updatedAt
    }
}

/// The formats of warehouse files.
public enum SourceFormat: String, Hashable, Sendable, CaseIterable {
    case csv, json, ndjson

    /// The format a file name implies: `.csv`, `.json`, `.ndjson` or `.jsonl`.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") {
            self = .csv
        } else if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") {
            self = .ndjson
        } else if lower.hasSuffix(".json") {
            self = .json
        } else {
            return nil
        }
    }
}
