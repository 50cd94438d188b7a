import ArgumentParser
import OutflowWorkspace

/// Finds, reads and validates the workspace file named on the command line (or the default one);
/// on failure prints every problem on stderr, one per line, and exits with status 1.
func loadWorkspace(_ path: String?) throws -> WorkspaceFile {
    do {
        return try WorkspaceFile.load(path: try WorkspaceFile.locate(path))
    } catch {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        throw ExitCode(1)
    }
}
