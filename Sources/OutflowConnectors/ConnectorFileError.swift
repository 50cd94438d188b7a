import OutflowCore

/// A connector file that cannot be used: every problem, each with the file, the JSON path and what
/// was expected (`connectors/hubspot.json: create.batchSize: expected an integer, found a string`).
///
/// ```swift
/// do { _ = try Connector.parse(bytes, file: "connectors/acme.json") }
/// catch { for d in error.diagnostics { print(d) } }
/// ```
public struct ConnectorFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(file: String, message: String) {
        self.diagnostics = [Diagnostic(file: file, path: "", message: message)]
    }

    /// The same problems, each naming `file`.
    func inFile(_ file: String) -> ConnectorFileError {
        ConnectorFileError(diagnostics.map { Diagnostic(file: $0.file ?? file, path: $0.path, message: $0.message) })
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
