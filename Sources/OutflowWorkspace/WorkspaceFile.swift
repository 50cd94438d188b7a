import Foundation
import OutflowCore

/// A workspace read from its file, with the directory its relative paths start from.
///
/// ```swift
/// let file = try WorkspaceFile.load(path: "fixtures/workspaces/demo.json")
/// let csv = file.resolve(file.workspace.warehouse.profiles.path)
/// ```
public struct WorkspaceFile: Sendable {
    public var workspace: Workspace
    /// The file as the user named it, for messages.
    public var path: String
    /// The directory holding the file; relative paths in the workspace start here.
    public var directory: URL

    public init(workspace: Workspace, path: String, directory: URL) {
        self.workspace = workspace
        self.path = path
        self.directory = directory
    }

    /// The file names tried, in order, when no workspace is named on the command line.
    public static let defaultNames = ["outflow.json", "outflow.yaml", "outflow.yml"]

    /// Finds the workspace file: `path` when given, else the first default name in the current directory.
    public static func locate(_ path: String?) throws(WorkspaceFileError) -> String {
        if let path { return path }
        for name in defaultNames where FileManager.default.fileExists(atPath: name) {
            return name
        }
        throw WorkspaceFileError(file: "outflow.json", message: "no workspace file given, and none of \(defaultNames.joined(separator: ", ")) is in the current directory")
    }

    /// The file's JSON document, unvalidated (JSON, or YAML by extension): what `outflow serve`
    /// imports as a workspace's stored configuration.
    public static func readDocument(path: String) throws(WorkspaceFileError) -> JSONValue {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw WorkspaceFileError(file: path, message: "cannot read the file: \(describe(error))")
        }
        let lower = path.lowercased()
        let json: JSONValue
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            guard let text = String(data: data, encoding: .utf8) else {
                throw WorkspaceFileError(file: path, message: "the file is not UTF-8 text")
            }
            do {
                json = try YAMLDocument.parse(text)
            } catch {
                throw WorkspaceFileError(file: path, message: "invalid YAML: \(error)")
            }
        } else {
            do {
                json = try JSONParser.parse(bytes: [UInt8](data))
            } catch {
                throw WorkspaceFileError(file: path, message: "invalid JSON at \(error)")
            }
        }
        return json
    }

    /// Reads, parses and validates the workspace file at `path` (JSON, or YAML by extension).
    /// `connectorNames` are the connectors a connection may name (nil: `Connection.knownConnectors`).
    public static func load(path: String, connectorNames: Set<String>? = nil) throws(WorkspaceFileError) -> WorkspaceFile {
        let url = URL(fileURLWithPath: path)
        let json = try readDocument(path: path)
        let workspace: Workspace
        do {
            workspace = try Workspace.decode(json, connectorNames: connectorNames)
        } catch {
            throw WorkspaceFileError(file: path, diagnostics: error.diagnostics)
        }
        return WorkspaceFile(workspace: workspace, path: path, directory: url.deletingLastPathComponent())
    }

    /// `relative` resolved against the workspace file's directory (absolute paths stay as they are).
    public func resolve(_ relative: String) -> URL {
        if relative.hasPrefix("/") { return URL(fileURLWithPath: relative) }
        return directory.appendingPathComponent(relative).standardizedFileURL
    }

    /// The profile file, resolved.
    public var profilesURL: URL { resolve(workspace.warehouse.profiles.path) }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}

/// A workspace file that cannot be used: unreadable, malformed, or invalid. Carries every problem.
public struct WorkspaceFileError: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(file: String, message: String) {
        diagnostics = [Diagnostic(file: file, path: "", message: message)]
    }

    public init(file: String, diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.map { var d = $0; d.file = file; return d }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
