import Foundation
import OutflowCore

/// The settings schema of a connector (DESIGN 9b `settings`): what a connection of it must and may
/// set, which values are secrets, their defaults, and values derived from others (Mailchimp's data
/// centre is the suffix of its API key).
///
/// ```json
/// "settings": [
///   {"name": "baseURL", "type": "string", "default": "https://{{ settings.dataCenter }}.api.mailchimp.com"},
///   {"name": "apiKey", "type": "string", "required": true, "secret": true},
///   {"name": "dataCenter", "type": "string", "derived": {"from": "apiKey", "afterLast": "-"}}
/// ]
/// ```
///
/// Settings resolve in file order: a value the connection sets (its `${NAME}` references read from
/// the environment), else the derived value, else the default (a template that may read the
/// settings resolved before it). Secrets never appear in messages.
public struct ConnectorSettings: Sendable {
    public struct Setting: Sendable {
        public enum Kind: String, Sendable, CaseIterable {
            case string, int, boolean, object
        }

        public var name: String
        public var kind: Kind
        public var required: Bool
        public var secret: Bool
        public var description: String?
        /// The allowed values of a string setting (`statusIfNew`).
        public var values: [String]?
        public var defaultValue: Template?
        /// The text after the last `afterLast` in setting `from`.
        public var derived: (from: String, afterLast: String)?
    }

    public var settings: [Setting]

    public var names: [String] { settings.map(\.name) }

    public func setting(named name: String) -> Setting? { settings.first { $0.name == name } }

    static func decode(_ items: [JSONValue], path: String, issues: inout [Diagnostic]) -> ConnectorSettings {
        var settings: [Setting] = []
        for (index, item) in items.enumerated() {
            let here = JSONPath.index(path, index)
            guard let object = JSONFields.object(item, path: here, issues: &issues) else { continue }
            var fields = JSONFields(object, path: here)
            let name = fields.string("name", required: true)
            var kind = Setting.Kind.string
            if let text = fields.string("type") {
                if let parsed = Setting.Kind(rawValue: text) {
                    kind = parsed
                } else {
                    fields.issues.append(
                        Diagnostic(
                            path: fields.memberPath("type"),
                            message: "expected one of \(Setting.Kind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\""
                        )
                    )
                }
            }
            var derived: (String, String)?
            if let object = fields.objectMember("derived") {
                var d = JSONFields(object, path: fields.memberPath("derived"))
                if let from = d.string("from", required: true), let separator = d.string("afterLast", required: true) {
                    derived = (from, separator)
                }
                d.rejectUnknown()
                fields.issues += d.issues
            }
            let setting = Setting(
                name: name ?? "",
                kind: kind,
                required: fields.bool("required") ?? false,
                secret: fields.bool("secret") ?? false,
                description: fields.string("description"),
                values: fields.stringArray("values"),
                defaultValue: fields.template("default"),
                derived: derived
            )
            fields.rejectUnknown()
            issues += fields.issues
            if let name {
                if settings.contains(where: { $0.name == name }) {
                    issues.append(Diagnostic(path: here + ".name", message: "setting \"\(name)\" is declared twice"))
                }
                settings.append(setting)
            }
        }
        return ConnectorSettings(settings: settings)
    }

    /// Problems of a connection's settings against this schema: unknown keys (with a did-you-mean),
    /// missing required settings, wrong JSON types, values outside `values`. Paths start at `path`
    /// (`connections[0].settings`); `${NAME}` values are checked by type only when resolved.
    public func validate(_ given: JSONObject, path: String) -> [Diagnostic] {
        var issues: [Diagnostic] = []
        for member in given.members {
            guard let setting = setting(named: member.key) else {
                issues.append(
                    Diagnostic(
                        path: JSONPath.member(path, member.key),
                        message: "unknown setting" + Suggestion.hint(for: member.key, in: names) + "; settings: \(names.joined(separator: ", "))"
                    )
                )
                continue
            }
            if let problem = setting.problem(with: member.value, checkReferences: false) {
                issues.append(Diagnostic(path: JSONPath.member(path, member.key), message: problem))
            }
        }
        for setting in settings where setting.required && given[setting.name] == nil {
            issues.append(Diagnostic(path: JSONPath.member(path, setting.name), message: "is required"))
        }
        return issues
    }

    /// The settings a connection works with: given values with `${NAME}` read from `environment`,
    /// derived values and defaults. Throws a message that never holds a secret's value.
    public func resolve(_ given: JSONObject, environment: [String: String]) throws(SettingsError) -> JSONObject {
        var resolved = JSONObject()
        for member in given.members {
            guard let setting = setting(named: member.key) else {
                throw SettingsError(message: "unknown setting \"\(member.key)\"" + Suggestion.hint(for: member.key, in: names))
            }
            let value = try Self.substitute(member.value, environment: environment, setting: member.key)
            if let problem = setting.problem(with: value, checkReferences: true) {
                throw SettingsError(message: "setting \"\(member.key)\" \(problem)")
            }
            resolved.members.append((member.key, value))
        }
        for setting in settings where resolved[setting.name] == nil {
            if let derived = setting.derived, case .string(let source)? = resolved[derived.from],
                let range = source.range(of: derived.afterLast, options: .backwards)
            {
                let suffix = String(source[range.upperBound...])
                if !suffix.isEmpty { resolved.members.append((setting.name, .string(suffix))) }
            }
        }
        // Defaults after derived values: a default may read a derived value (Mailchimp's baseURL).
        for setting in settings where resolved[setting.name] == nil {
            guard let template = setting.defaultValue else { continue }
            do {
                if let value = try template.evaluate(TemplateScope(settings: resolved)) { resolved.members.append((setting.name, value)) }
            } catch {
                throw SettingsError(message: "the default of setting \"\(setting.name)\" cannot be computed: \(error.message)")
            }
        }
        for setting in settings where setting.required && resolved[setting.name] == nil {
            throw SettingsError(message: "setting \"\(setting.name)\" is required")
        }
        return resolved
    }

    /// `${NAME}` references replaced by the environment's values; a missing variable is an error naming it.
    static func substitute(_ value: JSONValue, environment: [String: String], setting: String) throws(SettingsError) -> JSONValue {
        switch value {
        case .string(let text):
            guard text.contains("${") else { return value }
            var out = ""
            var rest = text[...]
            while let start = rest.range(of: "${") {
                out += rest[..<start.lowerBound]
                let after = rest[start.upperBound...]
                guard let end = after.firstIndex(of: "}") else { break }
                let name = String(after[..<end])
                guard let replacement = environment[name] else {
                    throw SettingsError(message: "environment variable \(name) (setting \"\(setting)\") is not set")
                }
                out += replacement
                rest = after[after.index(after: end)...]
            }
            out += rest
            return .string(out)
        case .array(let items):
            var out: [JSONValue] = []
            for item in items { out.append(try substitute(item, environment: environment, setting: setting)) }
            return .array(out)
        case .object(let object):
            var out = JSONObject()
            for member in object.members {
                out.members.append((member.key, try substitute(member.value, environment: environment, setting: setting)))
            }
            return .object(out)
        default:
            return value
        }
    }
}

extension ConnectorSettings.Setting {
    /// What is wrong with `value` for this setting, in words that never quote a secret.
    func problem(with value: JSONValue, checkReferences: Bool) -> String? {
        if case .string(let text) = value, text.contains("${"), !checkReferences { return nil }
        switch (kind, value) {
        case (.string, .string(let text)):
            if let values, !values.contains(text) {
                let shown = secret ? "the value" : "\"\(text)\""
                return "must be one of \(values.joined(separator: ", ")), found \(shown)"
            }
            return nil
        case (.int, .number(let text)) where Int64(text) != nil: return nil
        case (.boolean, .bool): return nil
        case (.object, .object): return nil
        default: return "expected \(kind == .int ? "an integer" : kind == .object ? "an object" : "a \(kind.rawValue)"), found \(value.typeName)"
        }
    }
}

/// A connection's settings that cannot be used with its connector.
public struct SettingsError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
