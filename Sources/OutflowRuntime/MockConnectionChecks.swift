import Foundation
import OutflowCore
import OutflowMocks
import OutflowWorkspace

/// What `outflow validate` and the API's validation check of a connection's `"mock"` before any run
/// starts the mock: that the connector has a bundled mock, that `fault` is a fault SPEC the mock
/// takes (the same parser as `outflow mock --fault`), and that a `users` file the workspace names
/// exists. Without these a bad spec (`429=1.5`, a misspelt fault) passed validation and failed only
/// when a run started its mock.
///
/// ```swift
/// let problems = MockConnectionChecks.problems(file)   // [Diagnostic(path: "connections[0].mock.fault", ...)]
/// ```
public enum MockConnectionChecks {
    public static func problems(_ file: WorkspaceFile) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for (index, connection) in file.workspace.connections.enumerated() {
            guard let mock = connection.mock else { continue }
            let path = "connections[\(index)].mock"
            if MockKind(name: connection.connector) == nil {
                problems.append(Diagnostic(file: file.path, path: path, message: "there is no bundled mock of the \(connection.connector) connector"))
            }
            if let spec = mock.fault {
                do {
                    _ = try FaultSpec.parse(spec)
                } catch {
                    problems.append(Diagnostic(file: file.path, path: path + ".fault", message: error.description))
                }
            }
            if let users = mock.users {
                let url = file.resolve(users)
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) || isDirectory.boolValue {
                    problems.append(Diagnostic(file: file.path, path: path + ".users", message: "the mock's users file \(url.path) does not exist"))
                }
            }
        }
        return problems
    }
}
