import ArgumentParser
import Foundation
import OutflowStore
import OutflowWorkspace

/// Where a workspace's state store lives: `--state PATH` when given, else `.outflow/state.sqlite`
/// beside the workspace file (DESIGN section 10). `run`, `runs`, `state` and `serve` resolve it alike.
enum StateLocation {
    static func path(for file: WorkspaceFile, override: String?) -> String {
        if let override { return override }
        return file.directory.appendingPathComponent(".outflow/state.sqlite").path
    }

    /// Opens the store, or prints the problem and exits with status 1.
    static func open(for file: WorkspaceFile, override: String?) throws -> StateStore {
        let path = path(for: file, override: override)
        do {
            return try StateStore(path: path)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
