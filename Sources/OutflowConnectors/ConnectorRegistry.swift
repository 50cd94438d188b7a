import Foundation
import OutflowCore

/// The connectors Outflow knows: those compiled into the binary, plus or replaced by the files of a
/// `connectors/` folder beside the workspace file and of `--connectors DIR` (DESIGN 3).
///
/// ```swift
/// let registry = try ConnectorRegistry.load(workspaceDirectory: file.directory, override: "my-connectors")
/// let hubspot = try registry.require("hubspot")
/// let problems = registry.validate(file.workspace.connections)       // settings against each connector
/// ```
///
/// Later sources win: embedded, then the workspace's `connectors/`, then `--connectors DIR`. A file
/// is named for its connector (`acme.json` defines `acme`). Applications whose files are not
/// written yet are ``planned``: a workspace may name them and validates, but a client for them
/// cannot be built until their files exist.
public struct ConnectorRegistry: Sendable {
    /// Connectors by name.
    public private(set) var connectors: [String: Connector] = [:]

    /// Applications whose connector files are not written yet.
    public static let planned: Set<String> = []

    public init() {}

    /// Only the embedded connectors. They are part of the build and tested, so a broken one is a bug.
    public static func embedded() throws(ConnectorFileError) -> ConnectorRegistry {
        var registry = ConnectorRegistry()
        for file in EmbeddedConnectorFiles.files {
            let connector = try Connector.parse(Array(file.text.utf8), file: "connectors/" + file.name, source: "embedded")
            registry.connectors[connector.name] = connector
        }
        return registry
    }

    /// Embedded connectors, then `connectors/` beside the workspace (when it exists), then `override`
    /// (which must exist). Every bad file is reported, each problem naming the file and JSON path.
    public static func load(workspaceDirectory: URL? = nil, override: String? = nil) throws(ConnectorFileError) -> ConnectorRegistry {
        var registry = try embedded()
        var problems: [Diagnostic] = []
        if let workspaceDirectory {
            let folder = workspaceDirectory.appendingPathComponent("connectors")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue {
                problems += registry.add(directory: folder.path)
            }
        }
        if let override {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: override, isDirectory: &isDirectory) || !isDirectory.boolValue {
                problems.append(Diagnostic(file: override, path: "", message: "--connectors: no such directory"))
            } else {
                problems += registry.add(directory: override)
            }
        }
        guard problems.isEmpty else { throw ConnectorFileError(problems) }
        return registry
    }

    /// Adds (or replaces) every `*.json` of `directory`; returns the problems of the files that failed.
    public mutating func add(directory: String) -> [Diagnostic] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            return [Diagnostic(file: directory, path: "", message: "cannot list the directory")]
        }
        var problems: [Diagnostic] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(Diagnostic(file: path, path: "", message: "cannot read the file"))
                continue
            }
            do {
                let connector = try Connector.parse(Array(data), file: path)
                let expected = String(name.dropLast(5))
                guard connector.name == expected else {
                    problems.append(
                        Diagnostic(
                            file: path,
                            path: "name",
                            message: "the connector in \(name) must be named \"\(expected)\", found \"\(connector.name)\""
                        )
                    )
                    continue
                }
                connectors[connector.name] = connector
            } catch {
                problems += error.diagnostics
            }
        }
        return problems
    }

    /// The connector called `name`, or nil.
    public func connector(named name: String) -> Connector? { connectors[name] }

    /// The connector called `name`; a planned or unknown one is an error saying which.
    public func require(_ name: String) throws(ApplicationError) -> Connector {
        if let connector = connectors[name] { return connector }
        if Self.planned.contains(name) {
            throw .unsupported(connector: name, operation: "be used yet: its connector file is not written (planned)")
        }
        throw .invalidSettings(connector: name, message: "no connector named \"\(name)\"" + Suggestion.hint(for: name, in: knownNames.sorted()))
    }

    /// Whether a setting value holds a `${NAME}` reference anywhere.
    private static func readsEnvironment(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): return text.contains("${")
        case .array(let items): return items.contains(where: readsEnvironment)
        case .object(let object): return object.members.contains { readsEnvironment($0.value) }
        default: return false
        }
    }

    /// Every available connector, by name.
    public var sorted: [Connector] { connectors.values.sorted { $0.name < $1.name } }

    /// Names a workspace may use: available and planned.
    public var knownNames: Set<String> { Set(connectors.keys).union(Self.planned) }

    /// Problems of each connection's settings against its connector's settings schema, at
    /// `connections[i].settings.KEY`. Planned connectors are not checked (no schema yet).
    public func validate(_ connections: [Connection], file: String? = nil) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for (index, connection) in connections.enumerated() {
            guard let connector = connectors[connection.connector] else { continue }
            // A mock connection gets its URL and placeholder credentials from the started mock.
            let settings = connection.mock == nil ? connection.settings : connector.settingsForMock(connection.settings, origin: "http://127.0.0.1:1")
            let path = "connections[\(index)].settings"
            let schemaProblems = connector.settings.validate(settings, path: path)
            for problem in schemaProblems {
                problems.append(Diagnostic(file: file, path: problem.path, message: problem.message))
            }
            // The settings as a run resolves them, checked for the API origin the run needs: only when
            // they are valid and name no environment variable (an unset one is reported on its own).
            guard schemaProblems.isEmpty, connection.mock == nil, !Self.readsEnvironment(.object(settings)),
                let resolved = try? connector.settings.resolve(settings, environment: [:]),
                case .failure(let problem) = Connector.baseURL(in: resolved)
            else { continue }
            // At the setting when the connection gives it; else at the settings, naming it.
            if settings["baseURL"] != nil {
                problems.append(Diagnostic(file: file, path: JSONPath.member(path, "baseURL"), message: problem.detail))
            } else {
                problems.append(Diagnostic(file: file, path: path, message: problem.message))
            }
        }
        return problems
    }
}
