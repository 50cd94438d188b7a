import Foundation
import OutflowConnectors
import OutflowCore
import OutflowStore
import OutflowWorkspace

/// Reads and writes the workspaces the server keeps: every change goes through ``save(_:metadata:directory:reason:mode:)``,
/// which validates the whole document exactly as `outflow validate` does, seals literal secrets,
/// gives pipelines without an id one, and stores it as a new revision.
///
/// ```swift
/// let catalog = WorkspaceCatalog(store: store, registry: registry, secrets: try SecretBox.fromEnvironment())
/// var stored = try catalog.load("demo")                      // 404 "workspace does not exist"
/// stored.document["pipelines"] = .array(pipelines)
/// stored = try catalog.save(stored.document, metadata: stored.metadata, directory: stored.record.directory,
///                           reason: "pipeline 12 updated", mode: .update)
/// let file = try catalog.runnable(stored)                     // secrets opened, for a run only
/// ```
public struct WorkspaceCatalog: Sendable {
    public let store: StateStore
    public let registry: ConnectorRegistry
    public let secrets: SecretBox?

    public init(store: StateStore, registry: ConnectorRegistry, secrets: SecretBox?) {
        self.store = store
        self.registry = registry
        self.secrets = secrets
    }

    /// The workspace named `name`, or 404 "workspace does not exist".
    public func load(_ name: String) throws -> StoredWorkspace {
        guard let record = try store.workspace(named: name) else { throw APIError.notFound("workspace does not exist") }
        return try decode(record)
    }

    /// Every workspace, by name.
    public func all() throws -> [StoredWorkspace] {
        try store.workspaces().map { try decode($0) }
    }

    func decode(_ record: WorkspaceRecord) throws -> StoredWorkspace {
        guard case .object(let document)? = try? JSONParser.parse(record.document),
            case .object(let metadata)? = try? JSONParser.parse(record.metadata)
        else {
            throw APIError.internalError("the stored document of workspace \"\(record.name)\" is not a JSON object")
        }
        let workspace: Workspace
        do {
            // A connector removed from the registry since the workspace was stored must not make
            // it unreadable: the API still shows it, and its pipelines answer 422 "connector does
            // not exist" (save() validates against the registry alone, so nothing new uses it).
            workspace = try Workspace.decode(.object(document), connectorNames: connectorNames.union(Self.connectors(in: document)))
        } catch {
            throw APIError.unprocessable("workspace \"\(record.name)\" no longer validates: \(error.diagnostics.map(\.description).joined(separator: "; "))")
        }
        return StoredWorkspace(record: record, document: document, workspace: workspace, metadata: metadata)
    }

    public var connectorNames: Set<String> { Set(registry.connectors.keys) }

    /// The connector names the connections of `document` use.
    static func connectors(in document: JSONObject) -> Set<String> {
        guard case .array(let items)? = document["connections"] else { return [] }
        return Set(items.compactMap { item -> String? in
            if case .string(let name)? = item["connector"] { return name }
            return nil
        })
    }

    /// Validates `document` (422 with every problem by JSON path), seals its literal secrets,
    /// gives each pipeline and connection without an id a new one, and stores it as the next
    /// revision. `mode` decides whether the name may exist already (409 / 404 otherwise).
    @discardableResult
    public func save(_ document: JSONObject, metadata: JSONObject, directory: String, reason: String, mode: StateStore.SaveMode) throws
        -> StoredWorkspace
    {
        var document = document
        try assignIds(&document)
        let workspace: Workspace
        do {
            workspace = try Workspace.decode(.object(document), connectorNames: connectorNames)
        } catch {
            throw APIError.invalid(error.diagnostics)
        }
        let settingsProblems = registry.validate(workspace.connections)
        if !settingsProblems.isEmpty { throw APIError.invalid(settingsProblems) }
        try sealSecrets(&document, workspace: workspace, previous: try sealedSecrets(of: workspace.name))
        let ids = WorkspaceObjectIds(pipelines: workspace.pipelines.compactMap(\.id), connections: workspace.connections.map(\.id))
        for (kind, list, path) in [("pipeline", ids.pipelines, "pipelines"), ("connection", ids.connections, "connections")] {
            for (index, id) in list.enumerated() {
                if let owner = try store.owner(of: kind, id: id), owner != workspace.name {
                    throw APIError.unprocessable("\(path)[\(index)].id: \(kind) id \(id) is already used by another workspace; ids are unique across workspaces")
                }
            }
        }
        let record = WorkspaceRecord(
            name: workspace.name, metadata: JSONWriter.string(.object(metadata)), document: JSONWriter.string(.object(document)), directory: directory)
        do {
            let stored = try store.saveWorkspace(record, ids: ids, reason: reason, mode: mode)
            return StoredWorkspace(record: stored, document: document, workspace: workspace, metadata: metadata)
        } catch {
            if error.isNotFound { throw APIError.notFound("workspace does not exist") }
            if error.isConflict { throw APIError.conflict(error.message) }
            throw error
        }
    }

    /// A new id for a pipeline or connection that no workspace uses (nine digits, as the seed's).
    public func newId(_ kind: String, avoiding taken: Set<Int64> = []) throws -> Int64 {
        while true {
            let id = Int64.random(in: 100_000_000...999_999_999)
            if !taken.contains(id), try !store.isIdTaken(kind, id: id) { return id }
        }
    }

    /// `stored` ready to run: its connections' sealed secrets opened (nowhere else are they).
    public func runnable(_ stored: StoredWorkspace) throws -> WorkspaceFile {
        var workspace = stored.workspace
        for index in workspace.connections.indices {
            var settings = workspace.connections[index].settings
            for (key, value) in settings.members {
                guard case .string(let text) = value, SecretBox.isSealed(text) else { continue }
                guard let secrets else {
                    throw APIError.unprocessable(
                        "connection \(workspace.connections[index].id): its secrets were sealed with a key, and \(SecretBox.environmentVariable) is not set")
                }
                do {
                    settings[key] = .string(try secrets.open(text))
                } catch {
                    throw APIError.unprocessable("connection \(workspace.connections[index].id): \(error)")
                }
            }
            workspace.connections[index].settings = settings
        }
        let directory = URL(fileURLWithPath: stored.record.directory, isDirectory: true)
        return WorkspaceFile(workspace: workspace, path: directory.appendingPathComponent("\(stored.name) (server)").path, directory: directory)
    }

    /// The names of the settings of `connector` that are secrets.
    public func secretSettings(of connector: String) -> Set<String> {
        Set(registry.connector(named: connector)?.settings.settings.filter(\.secret).map(\.name) ?? [])
    }

    /// A connection's JSON as the API shows it: secret settings left out (their names listed in
    /// `secrets`, so a client knows they are set), never their values, sealed or not.
    public func redacted(connection: JSONValue) -> JSONValue {
        guard case .object(var object) = connection else { return connection }
        let connector: String? = if case .string(let name)? = object["connector"] { name } else { nil }
        let secret = connector.map(secretSettings(of:)) ?? []
        if case .object(let settings)? = object["settings"] {
            var shown = JSONObject()
            var hidden: [JSONValue] = []
            for (key, value) in settings.members {
                if case .string(let text) = value, secret.contains(key) || SecretBox.isSealed(text) {
                    hidden.append(.string(key))
                } else {
                    shown[key] = value
                }
            }
            object["settings"] = .object(shown)
            object["secrets"] = .array(hidden)
        }
        return .object(object)
    }

    /// `document` with every connection redacted.
    public func redacted(document: JSONObject) -> JSONObject {
        var document = document
        if case .array(let items)? = document["connections"] {
            document["connections"] = .array(items.map { redacted(connection: $0) })
        }
        return document
    }

    private func assignIds(_ document: inout JSONObject) throws {
        for (member, kind) in [("pipelines", "pipeline"), ("connections", "connection")] {
            guard case .array(var items)? = document[member] else { continue }
            var taken = Set(items.compactMap { item -> Int64? in
                if case .number(let text)? = item["id"] { return Int64(text) }
                return nil
            })
            for index in items.indices {
                guard case .object(var object) = items[index], object["id"] == nil || object["id"] == .null else { continue }
                let id = try newId(kind, avoiding: taken)
                taken.insert(id)
                object.members.insert((key: "id", value: .number(String(id))), at: 0)
                items[index] = .object(object)
            }
            document[member] = .array(items)
        }
    }

    /// The sealed secret settings the stored workspace `name` has now, by connection id and setting.
    private func sealedSecrets(of name: String) throws -> [Int64: [String: String]] {
        guard let record = try store.workspace(named: name), case .object(let document)? = try? JSONParser.parse(record.document),
            case .array(let items)? = document["connections"]
        else { return [:] }
        var found: [Int64: [String: String]] = [:]
        for item in items {
            guard case .number(let text)? = item["id"], let id = Int64(text), case .object(let settings)? = item["settings"] else { continue }
            for (key, value) in settings.members {
                if case .string(let sealed) = value, SecretBox.isSealed(sealed) { found[id, default: [:]][key] = sealed }
            }
        }
        return found
    }

    /// Seals each literal secret setting of each connection; `${VAR}` references and values
    /// already sealed stay as they are. Without a key a literal secret is refused (DESIGN 12).
    ///
    /// A literal equal to what the stored value of the same setting opens to keeps that sealed
    /// value: sealing draws a fresh nonce, so sealing again would make every re-import of an
    /// unchanged file look changed and cost a revision.
    private func sealSecrets(_ document: inout JSONObject, workspace: Workspace, previous: [Int64: [String: String]]) throws {
        guard case .array(var items)? = document["connections"] else { return }
        for index in items.indices {
            guard case .object(var connection) = items[index], case .object(var settings)? = connection["settings"],
                case .string(let connector)? = connection["connector"]
            else { continue }
            let secret = secretSettings(of: connector)
            let id: Int64? = if case .number(let text)? = connection["id"] { Int64(text) } else { nil }
            for (key, value) in settings.members where secret.contains(key) {
                guard case .string(let text) = value, !SecretBox.isSealed(text), !Self.isReference(text) else { continue }
                if let secrets, let id, let sealed = previous[id]?[key], (try? secrets.open(sealed)) == text {
                    settings[key] = .string(sealed)
                    continue
                }
                guard let secrets else {
                    throw APIError.unprocessable(
                        "connections[\(index)].settings.\(key): \(SecretBox.environmentVariable) is not set, so the server cannot store a literal secret; "
                            + "give a ${VARIABLE} reference, or start outflow serve with \(SecretBox.environmentVariable)")
                }
                do {
                    settings[key] = .string(try secrets.seal(text))
                } catch {
                    throw APIError.internalError("connections[\(index)].settings.\(key): \(error)")
                }
            }
            connection["settings"] = .object(settings)
            items[index] = .object(connection)
        }
        document["connections"] = .array(items)
    }

    /// True for a value that is only `${NAME}` references (resolved from the environment at run time).
    static func isReference(_ text: String) -> Bool {
        text.hasPrefix("${") && text.hasSuffix("}") && !text.dropFirst(2).dropLast().contains("}")
    }
}
