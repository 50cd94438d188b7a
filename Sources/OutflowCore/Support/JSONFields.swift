/// Reads the members of one JSON object of a user's file, collecting every problem with its path.
///
/// Model decoders use it so that unknown keys (with a did-you-mean), missing members and wrong
/// JSON types are all reported at once instead of stopping at the first.
///
/// ```swift
/// var fields = JSONFields(object, path: "pipelines[0]", issues: &issues)
/// let name = fields.string("name", required: true)
/// fields.rejectUnknown()
/// ```
public struct JSONFields {
    public let object: JSONObject
    public let path: String
    private var used: Set<String> = []
    public var issues: [Diagnostic] = []

    public init(_ object: JSONObject, path: String) {
        self.object = object
        self.path = path
    }

    /// Reads `value` as an object or records "expected an object".
    public static func object(_ value: JSONValue, path: String, issues: inout [Diagnostic]) -> JSONObject? {
        if case .object(let object) = value { return object }
        issues.append(Diagnostic(path: path, message: "expected an object, found \(value.typeName)"))
        return nil
    }

    public func memberPath(_ key: String) -> String { JSONPath.member(path, key) }

    /// The raw member, marking the key as known. Missing required members are reported.
    public mutating func value(_ key: String, required: Bool = false) -> JSONValue? {
        used.insert(key)
        guard let value = object[key] else {
            if required { issues.append(Diagnostic(path: memberPath(key), message: "is required")) }
            return nil
        }
        return value
    }

    /// Marks keys as known without reading them.
    public mutating func allow(_ keys: String...) {
        used.formUnion(keys)
    }

    public mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        switch value {
        case .string(let text): return text
        case .null where !required: return nil
        default:
            issues.append(Diagnostic(path: memberPath(key), message: "expected a string, found \(value.typeName)"))
            return nil
        }
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = value(key, required: required) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .null where !required: return nil
        default:
            issues.append(Diagnostic(path: memberPath(key), message: "expected true or false, found \(value.typeName)"))
            return nil
        }
    }

    public mutating func int(_ key: String, required: Bool = false) -> Int64? {
        guard let value = value(key, required: required) else { return nil }
        switch value {
        case .number(let text):
            if let number = Int64(text) { return number }
            issues.append(Diagnostic(path: memberPath(key), message: "expected an integer, found \(text)"))
            return nil
        case .null where !required: return nil
        default:
            issues.append(Diagnostic(path: memberPath(key), message: "expected an integer, found \(value.typeName)"))
            return nil
        }
    }

    public mutating func double(_ key: String) -> Double? {
        guard let value = value(key) else { return nil }
        switch value {
        case .number(let text): return Double(text)
        case .null: return nil
        default:
            issues.append(Diagnostic(path: memberPath(key), message: "expected a number, found \(value.typeName)"))
            return nil
        }
    }

    public mutating func objectMember(_ key: String, required: Bool = false) -> JSONObject? {
        guard let value = value(key, required: required) else { return nil }
        if case .null = value, !required { return nil }
        return JSONFields.object(value, path: memberPath(key), issues: &issues)
    }

    public mutating func array(_ key: String, required: Bool = false) -> [JSONValue]? {
        guard let value = value(key, required: required) else { return nil }
        switch value {
        case .array(let items): return items
        case .null where !required: return nil
        default:
            issues.append(Diagnostic(path: memberPath(key), message: "expected an array, found \(value.typeName)"))
            return nil
        }
    }

    public mutating func stringArray(_ key: String, required: Bool = false) -> [String]? {
        guard let items = array(key, required: required) else { return nil }
        var out: [String] = []
        for (index, item) in items.enumerated() {
            if case .string(let text) = item {
                out.append(text)
            } else {
                issues.append(Diagnostic(path: JSONPath.index(memberPath(key), index), message: "expected a string, found \(item.typeName)"))
            }
        }
        return out
    }

    /// Reports every member that no read asked for, suggesting the nearest known key.
    public mutating func rejectUnknown() {
        for key in object.keys where !used.contains(key) {
            issues.append(Diagnostic(path: memberPath(key), message: "unknown key" + Suggestion.hint(for: key, in: used.sorted())))
        }
    }
}
