import Foundation
import OutflowCore

/// Checks of a workspace that look outside its file: the profile file and the environment.
public enum WorkspaceChecks {
    /// Problems with the profile file's existence and with `${NAME}` references to unset variables.
    public static func environmentAndFiles(
        _ file: WorkspaceFile, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [Diagnostic] {
        var issues: [Diagnostic] = []
        let profiles = file.profilesURL
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: profiles.path, isDirectory: &isDirectory) {
            issues.append(Diagnostic(file: file.path, path: "warehouse.profiles.path", message: "the profile file \(profiles.path) does not exist"))
        } else if isDirectory.boolValue {
            issues.append(Diagnostic(file: file.path, path: "warehouse.profiles.path", message: "\(profiles.path) is a directory, not a file"))
        }
        for (index, connection) in file.workspace.connections.enumerated() {
            for member in connection.settings.members {
                for name in SettingReferences.names(in: member.value) where environment[name] == nil {
                    issues.append(
                        Diagnostic(
                            file: file.path, path: "connections[\(index)].settings.\(member.key)",
                            message: "environment variable \(name) is not set"))
                }
            }
        }
        return issues
    }
}

/// `${NAME}` references inside connection settings.
public enum SettingReferences {
    /// The variable names referenced anywhere inside `value`.
    public static func names(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return names(in: text)
        case .array(let items): return items.flatMap { names(in: $0) }
        case .object(let object): return object.members.flatMap { names(in: $0.value) }
        default: return []
        }
    }

    static func names(in text: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "${") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "}") else { break }
            out.append(String(after[..<end]))
            rest = after[after.index(after: end)...]
        }
        return out
    }
}
