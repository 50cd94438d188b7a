import ArgumentParser
import Foundation
import OutflowConnectors
import OutflowWorkspace

/// Finds, reads and validates the workspace file named on the command line (or the default one);
/// on failure prints every problem on stderr, one per line, and exits with status 1. Connector
/// names are checked against the registry: the embedded connectors, a `connectors/` folder beside
/// the workspace file, `connectors` (`--connectors DIR`), and the planned ones.
func loadWorkspace(_ path: String?, connectors: String? = nil) throws -> WorkspaceFile {
    try loadWorkspaceAndConnectors(path, connectors: connectors).file
}

/// The workspace file and the connector registry it is read with.
func loadWorkspaceAndConnectors(_ path: String?, connectors: String? = nil) throws -> (file: WorkspaceFile, registry: ConnectorRegistry) {
    do {
        let located = try WorkspaceFile.locate(path)
        let registry = try loadRegistry(workspaceDirectory: URL(fileURLWithPath: located).deletingLastPathComponent(), override: connectors)
        return (try WorkspaceFile.load(path: located, connectorNames: registry.knownNames), registry)
    } catch let error as WorkspaceFileError {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        throw ExitCode(1)
    }
}

/// The connector registry, or every problem of its files on stderr and exit status 1.
func loadRegistry(workspaceDirectory: URL?, override: String?) throws -> ConnectorRegistry {
    do {
        return try ConnectorRegistry.load(workspaceDirectory: workspaceDirectory, override: override)
    } catch {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        throw ExitCode(1)
    }
}

/// `--connectors DIR`, taken by every command that resolves connectors.
struct ConnectorsOption: ParsableArguments {
    @Option(
        name: .long,
        help: "A folder of connector files (NAME.json) that add to or override the built-in ones and a connectors/ folder beside the workspace file."
    )
    var connectors: String?
}
