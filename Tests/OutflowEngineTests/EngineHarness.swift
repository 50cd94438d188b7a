import Foundation
import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowStore

/// A workspace of a few profiles in a temporary NDJSON file, one pipeline over it, an in-memory
/// state store, and a way to run the engine against an ``InMemoryApplication``.
///
/// ```swift
/// let harness = try EngineHarness(profiles: [["id": 1, "email": "a@b.c", "name": "Ana"]], mode: "CreateOrUpdate")
/// let report = try await harness.run(app)
/// ```
struct EngineHarness {
    var directory: URL
    var workspace: Workspace
    var store: StateStore

    var pipeline: Pipeline { workspace.pipelines[0] }

    /// - Parameters:
    ///   - matching: `email` or `phone`; the mapping writes the other one and `name`.
    ///   - nameRequired: marks outSchema's `name` createRequired.
    init(
        profiles: [[String: Any]], mode: String = "CreateOrUpdate", updateOnDuplicates: Bool = false, matching: String = "email",
        filter: String = "null", nameRequired: Bool = false, nameProperty: String = "name"
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try StateStore(inMemory: ())
        workspace = try Self.workspace(
            mode: mode, updateOnDuplicates: updateOnDuplicates, matching: matching, filter: filter, nameRequired: nameRequired,
            nameProperty: nameProperty)
        try write(profiles)
    }

    /// The same workspace over a CSV source holding `csv` (header `id,email,phone,name,updated_at`
    /// or any subset), for what only the CSV reader does (the first pass reads only some columns).
    init(csv: String, mode: String = "CreateOrUpdate") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try StateStore(inMemory: ())
        workspace = try Self.workspace(
            mode: mode, updateOnDuplicates: false, matching: "email", filter: "null", nameRequired: false, nameProperty: "name", format: "csv")
        try csv.write(to: directory.appendingPathComponent("profiles.csv"), atomically: true, encoding: .utf8)
    }

    /// Replaces the profiles of the source file.
    func write(_ profiles: [[String: Any]]) throws {
        let lines = try profiles.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("profiles.ndjson"), atomically: true, encoding: .utf8)
    }

    func engine(_ app: any ApplicationClient, options: ExportOptions = ExportOptions()) throws -> ExportEngine {
        try ExportEngine(
            workspace: workspace.name, pipeline: pipeline, source: workspace.warehouse.profiles,
            sourceURL: directory.appendingPathComponent(workspace.warehouse.profiles.path), client: app, store: store, options: options)
    }

    func run(_ app: any ApplicationClient, dryRun: Bool = false, full: Bool = false, window: TimeWindow? = nil, maxInFlight: Int = 4) async throws
        -> RunReport
    {
        var options = ExportOptions()
        options.dryRun = dryRun
        options.full = full
        options.window = window
        options.maxInFlight = maxInFlight
        return try await engine(app, options: options).run()
    }

    func exportState(_ keys: [String]) throws -> [String: ExportStateEntry] {
        try store.exportState(pipeline: pipeline.id ?? 0, matchingValues: keys)
    }

    /// - Parameter nameProperty: the out property the profile's `name` maps to (HubSpot calls it `firstname`).
    private static func workspace(
        mode: String, updateOnDuplicates: Bool, matching: String, filter: String, nameRequired: Bool, nameProperty: String,
        format: String = "ndjson"
    ) throws -> Workspace {
        let other = matching == "email" ? "phone" : "email"
        let text = """
            {
              "name": "test",
              "warehouse": {"profiles": {"path": "profiles.\(format)", "format": "\(format)", "key": "id", "updatedAt": "updated_at",
                "schema": {"kind": "object", "properties": [
                  {"name": "id", "type": {"kind": "int", "bitSize": 64}},
                  {"name": "email", "type": {"kind": "string"}, "nullable": true, "readOptional": true},
                  {"name": "phone", "type": {"kind": "string"}, "nullable": true, "readOptional": true},
                  {"name": "name", "type": {"kind": "string"}, "nullable": true, "readOptional": true},
                  {"name": "updated_at", "type": {"kind": "datetime"}, "nullable": true, "readOptional": true}
                ]}}},
              "connections": [{"id": 1, "name": "App", "connector": "hubspot", "settings": {}}],
              "pipelines": [{
                "id": 7, "name": "Test", "connection": 1, "target": "User", "enabled": true, "filter": \(filter),
                "matching": {"in": "\(matching)", "out": "\(matching)"},
                "exportMode": "\(mode)", "updateOnDuplicates": \(updateOnDuplicates),
                "transformation": {"mapping": {"\(nameProperty)": "name", "\(other)": "\(other)"}},
                "inSchema": {"kind": "object", "properties": [
                  {"name": "email", "type": {"kind": "string"}, "nullable": true, "readOptional": true},
                  {"name": "phone", "type": {"kind": "string"}, "nullable": true, "readOptional": true},
                  {"name": "name", "type": {"kind": "string"}, "nullable": true, "readOptional": true}
                ]},
                "outSchema": {"kind": "object", "properties": [
                  {"name": "email", "type": {"kind": "string"}, "nullable": true},
                  {"name": "phone", "type": {"kind": "string"}, "nullable": true},
                  {"name": "\(nameProperty)", "type": {"kind": "string"}, "nullable": true, "createRequired": \(nameRequired)}
                ]}
              }]
            }
            """
        return try Workspace.decode(try JSONParser.parse(text))
    }
}

extension ApplicationCapabilities {
    /// HubSpot's shape: email unique, case-insensitive and upsertable.
    static let hubSpotLike = ApplicationCapabilities(
        upsertProperties: ["email"], caseInsensitiveProperties: ["email"], uniqueProperties: ["email"])
    /// No upsert, so CreateOrUpdate looks up first.
    static let lookupOnly = ApplicationCapabilities(caseInsensitiveProperties: ["email"], uniqueProperties: ["email"])
}
