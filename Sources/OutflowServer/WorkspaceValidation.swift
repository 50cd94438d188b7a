import Foundation
import OutflowCore
import OutflowRuntime
import OutflowSources
import OutflowWorkspace

/// `POST /v1/workspaces/{name}/validate`: the whole configuration checked as `outflow validate`
/// checks a file, and nothing saved. The document rules (every problem by JSON path), each
/// connection's settings against its connector, whether each secret can be stored or opened,
/// whether each `${VAR}` is set (by name: a value is never read into a message), and whether the
/// profile source opens and its CSV header fits the schema.
///
/// Transformation functions are not compiled here: compiling runs a function's top level, and
/// functions never run in the server's process (issue 7); a run reports such an error.
///
/// ```swift
/// let problems = WorkspaceValidation(catalog: catalog).problems(of: stored, body: nil)
/// ```
struct WorkspaceValidation {
    let catalog: WorkspaceCatalog
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// The problems of `body` (a document to check instead of the stored one), or of `stored`.
    func problems(of stored: StoredWorkspace, body: JSONObject?) -> [Diagnostic] {
        var document = stored.document
        if let body {
            let parsed = WorkspaceBody(body, pathName: stored.name, status: stored.record.status)
            if !parsed.problems.isEmpty { return parsed.problems }
            document = SecretMerge.document(parsed.document, stored: stored.document, secretSettings: catalog.secretSettings(of:))
        }
        let workspace: Workspace
        do {
            workspace = try Workspace.decode(.object(document), connectorNames: catalog.connectorNames)
        } catch {
            return error.diagnostics
        }
        var problems = catalog.registry.validate(workspace.connections)
        problems += secretProblems(workspace)
        let directory = URL(fileURLWithPath: stored.record.directory, isDirectory: true)
        let file = WorkspaceFile(workspace: workspace, path: stored.name, directory: directory)
        let files = WorkspaceChecks.environmentAndFiles(file, environment: environment)
        problems += files
        problems += MockConnectionChecks.problems(file)
        if files.isEmpty { problems += profileSourceProblems(file) }
        return problems.map { Diagnostic(path: $0.path, message: $0.message) }
    }

    /// `{"valid": bool, "errors": [{"path","message"}]}`.
    static func body(_ problems: [Diagnostic]) -> JSONValue {
        let errors: [JSONValue] = problems.map { .object(JSONObject([("path", .string($0.path)), ("message", .string($0.message))])) }
        return .object(JSONObject([("valid", .bool(problems.isEmpty)), ("errors", .array(errors))]))
    }

    /// Literal secrets the server could not store, and sealed ones it could not open.
    private func secretProblems(_ workspace: Workspace) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for (index, connection) in workspace.connections.enumerated() {
            let secret = catalog.secretSettings(of: connection.connector)
            for (key, value) in connection.settings.members {
                guard case .string(let text) = value else { continue }
                let path = "connections[\(index)].settings.\(key)"
                if SecretBox.isSealed(text) {
                    guard let box = catalog.secrets else {
                        problems.append(Diagnostic(path: path, message: "was sealed with a key, and \(SecretBox.environmentVariable) is not set"))
                        continue
                    }
                    do {
                        _ = try box.open(text)
                    } catch {
                        problems.append(Diagnostic(path: path, message: error.description))
                    }
                } else if secret.contains(key), catalog.secrets == nil, !WorkspaceCatalog.isReference(text) {
                    problems.append(
                        Diagnostic(
                            path: path,
                            message: "\(SecretBox.environmentVariable) is not set, so the server cannot store a literal secret; give a ${VARIABLE} reference"))
                }
            }
        }
        return problems
    }

    /// Opens the profile source as a run would: a missing file, or a CSV header that names a
    /// property the schema lacks, is reported now rather than when a run starts.
    private func profileSourceProblems(_ file: WorkspaceFile) -> [Diagnostic] {
        let source = file.workspace.warehouse.profiles
        do {
            _ = try ProfileReaders.open(source, url: file.profilesURL, displayPath: source.path)
            return []
        } catch {
            return [Diagnostic(path: "warehouse.profiles", message: error.description)]
        }
    }
}
