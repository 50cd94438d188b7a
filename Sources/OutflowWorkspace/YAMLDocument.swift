import OutflowCore
import Yams

/// Turns a YAML document into the same ``JSONValue`` a JSON workspace file gives.
///
/// YAML is read with the core schema only: an unquoted `no` or `on` stays a string (YAML 1.1's
/// booleans have surprised many a config file), while `true`, `null`, `12` and `1.5` are typed.
enum YAMLDocument {
    static func parse(_ text: String) throws(YAMLSyntaxError) -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, Resolver.basic)
        } catch {
            throw YAMLSyntaxError(yams: error)
        }
        guard let node else { return .null }
        return try convert(node, path: "")
    }

    private static func convert(_ node: Node, path: String) throws(YAMLSyntaxError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalar.style == .plain ? coreScalar(scalar.string) : .string(scalar.string)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                items.append(try convert(item, path: JSONPath.index(path, index)))
            }
            return .array(items)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw YAMLSyntaxError(message: "\(path.isEmpty ? "top level" : path): a mapping key must be a plain string", line: key.mark?.line)
                }
                let name = keyScalar.string
                if object[name] != nil {
                    throw YAMLSyntaxError(message: "\(JSONPath.member(path, name)): duplicate key", line: key.mark?.line)
                }
                object.members.append((name, try convert(value, path: JSONPath.member(path, name))))
            }
            return .object(object)
        case .alias:
            throw YAMLSyntaxError(message: "\(path): YAML aliases are not supported in workspace files", line: node.mark?.line)
        }
    }

    /// The YAML 1.2 core schema's resolution of a plain scalar.
    static func coreScalar(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let integer = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) { return .number(String(integer)) }
        if text.hasPrefix("0x"), let hex = Int64(text.dropFirst(2), radix: 16) { return .number(String(hex)) }
        if text.hasPrefix("0o"), let octal = Int64(text.dropFirst(2), radix: 8) { return .number(String(octal)) }
        if isCoreFloat(text), let number = Double(text) {
            // Keep the text when it is already valid JSON number syntax.
            if (try? JSONParser.parse(text)) != nil { return .number(text) }
            return .number(String(number))
        }
        return .string(text)
    }

    private static func isCoreFloat(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0
        var seenPoint = false
        var seenExponent = false
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: ".") where !seenPoint && !seenExponent: seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if seenExponent || digits == 0 { return false }
                seenExponent = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if previous != UInt8(ascii: "e") && previous != UInt8(ascii: "E") { return false }
            default: return false
            }
            previous = byte
        }
        return digits > 0
    }
}

/// A YAML file that could not be parsed.
public struct YAMLSyntaxError: Error, CustomStringConvertible {
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(message: String, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.line = line
        self.column = column
    }

    /// Yams describes an error on several lines (the problem, then the source line and a caret);
    /// errors are printed one per line, so this keeps the position and the problem only:
    /// `line 4, column 1: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 13)`.
    init(yams error: any Error) {
        let problem: String, mark: Mark, context: YamlError.Context?
        switch error as? YamlError {
        case .scanner(let c, let p, let m, _), .parser(let c, let p, let m, _), .composer(let c, let p, let m, _):
            (problem, mark, context) = (p, m, c)
        case .duplicatedKeysInMapping(let duplicates, let c):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            self.init(message: "duplicate key \(keys) in the mapping that starts here", line: c.mark.line, column: c.mark.column)
            return
        default:
            self.init(message: "\(error)".split(separator: "\n").joined(separator: " "))
            return
        }
        var message = problem
        if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
        self.init(message: message, line: mark.line, column: mark.column)
    }

    public var description: String {
        if let line, let column { return "line \(line), column \(column): \(message)" }
        if let line { return "line \(line): \(message)" }
        return message
    }
}
