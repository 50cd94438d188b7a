/// One problem found in a user's file: where it is and what is wrong.
///
/// `path` is a JSON path into the file (`pipelines[0].exportMode`) or empty for the whole file;
/// rendered as `FILE: PATH: MESSAGE`, the form every validation error of Outflow takes.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var path: String
    public var message: String

    public init(file: String? = nil, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        var text = ""
        if let file { text += file + ": " }
        if !path.isEmpty { text += path + ": " }
        return text + message
    }
}

/// Every problem found while validating something, reported together so a user fixes them in one go.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Builds JSON paths the way messages print them: `a.b[2].c`.
public enum JSONPath {
    public static func member(_ base: String, _ key: String) -> String {
        let plain = PropertyPath.isValidName(key)
        let part = plain ? key : "[\"" + key + "\"]"
        if base.isEmpty { return plain ? key : part }
        return plain ? base + "." + key : base + part
    }

    public static func index(_ base: String, _ index: Int) -> String {
        base + "[\(index)]"
    }
}
