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

extension Diagnostic {
    /// True when two JSON paths concern the same thing: one contains the other, or both sit in the
    /// same filter condition. A rule is not reported again where the shape was already wrong.
    public static func overlap(_ a: String, _ b: String) -> Bool {
        func contains(_ outer: String, _ inner: String) -> Bool {
            guard inner.hasPrefix(outer) else { return false }
            if inner.count == outer.count { return true }
            let next = inner[inner.index(inner.startIndex, offsetBy: outer.count)]
            return next == "." || next == "["
        }
        func condition(_ path: String) -> Substring? {
            guard let range = path.range(of: "conditions[") else { return nil }
            guard let end = path[range.upperBound...].firstIndex(of: "]") else { return nil }
            return path[..<path.index(after: end)]
        }
        if contains(a, b) || contains(b, a) { return true }
        if let x = condition(a), let y = condition(b), x == y { return true }
        return false
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
