import Foundation
import OutflowCore

/// A JSON template of a connector file: JSON whose strings may hold `{{ expression }}` parts in the
/// mapping language (DESIGN 9b), compiled once when the file is read.
///
/// A string that is exactly one `{{ ... }}` yields the expression's typed value (a number stays a
/// number, `{{ user }}` an object); a string with text around its parts yields a string. A member of
/// an object whose value reads a missing value is left out, so a user without `status` sends no
/// `status` (Mailchimp's rule); a string with text around a part that reads a missing value is
/// missing too (a default `https://{{ settings.dataCenter }}.api...` without a data centre is no
/// default, not a broken URL). Names in scope: ``TemplateScope/names``.
///
/// ```swift
/// let template = try Template.compile(["email_address": "{{ user.email }}", "list": "l-{{ settings.listId }}"], path: "create.item")
/// let body = try template.evaluate(scope)     // {"email_address":"a@b.c","list":"l-42"}
/// ```
public indirect enum Template: Sendable {
    case literal(JSONValue)
    /// Exactly one expression: its value, typed.
    case expression(TemplateExpression)
    /// Text and expressions side by side: always a string.
    case text([TextPart])
    case array([Template])
    case object([(key: String, value: Template)])

    public enum TextPart: Sendable {
        case text(String)
        case expression(TemplateExpression)
    }

    /// Compiles `json`; a broken expression is reported at `path` (a JSON path of the connector file).
    public static func compile(_ json: JSONValue, path: String) throws(ConnectorFileError) -> Template {
        var issues: [Diagnostic] = []
        let template = compile(json, path: path, issues: &issues)
        guard issues.isEmpty else { throw ConnectorFileError(issues) }
        return template
    }

    static func compile(_ json: JSONValue, path: String, issues: inout [Diagnostic]) -> Template {
        switch json {
        case .string(let text):
            guard text.contains("{{") else { return .literal(json) }
            do throws(TemplateExpressionError) {
                let parts = try splitParts(text)
                if parts.count == 1, case .expression(let expression) = parts[0] { return .expression(expression) }
                return .text(parts)
            } catch {
                issues.append(Diagnostic(path: path, message: error.message))
                return .literal(json)
            }
        case .array(let items):
            return .array(items.enumerated().map { compile($1, path: JSONPath.index(path, $0), issues: &issues) })
        case .object(let object):
            return .object(object.members.map { (key: $0.key, value: compile($0.value, path: JSONPath.member(path, $0.key), issues: &issues)) })
        default:
            return .literal(json)
        }
    }

    /// `a {{ x }} b` -> text, expression, text. An unclosed `{{` is an error naming the text.
    private static func splitParts(_ text: String) throws(TemplateExpressionError) -> [TextPart] {
        var parts: [TextPart] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateExpressionError(message: "\"{{\" without a closing \"}}\" in \"\(text)\"")
            }
            let source = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            parts.append(.expression(try TemplateExpression(source, names: TemplateScope.names)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return parts
    }

    /// The value of the template in `scope`; nil when it is a lone expression that reads a missing value.
    public func evaluate(_ scope: TemplateScope) throws(TemplateError) -> JSONValue? {
        switch self {
        case .literal(let json):
            return json
        case .expression(let expression):
            if let direct = Self.direct(expression, scope) { return direct.value }
            return try Self.run(expression, scope)?.json
        case .text(let parts):
            var out = ""
            for part in parts {
                switch part {
                case .text(let text): out += text
                case .expression(let expression):
                    if let direct = Self.direct(expression, scope) {
                        // What the evaluator gives for a path into json: `.json(member)`, or nil.
                        switch direct.value {
                        case nil: return nil
                        case .string(let text)?: out += text
                        case let json?: out += JSONWriter.string(json)
                        }
                        continue
                    }
                    switch try Self.run(expression, scope) {
                    case nil: return nil
                    case .null?: break
                    case .json(.string(let text))?: out += text
                    case .json(let json)?: out += JSONWriter.string(json)
                    case let value?: out += value.text
                    }
                }
            }
            return .string(out)
        case .array(let items):
            var out: [JSONValue] = []
            for item in items { out.append(try item.evaluate(scope) ?? .null) }
            return .array(out)
        case .object(let members):
            var out = JSONObject()
            for member in members {
                if let value = try member.value.evaluate(scope) { out.members.append((member.key, value)) }
            }
            return .object(out)
        }
    }

    /// The value as a string (for paths, query values and headers); nil when missing or null.
    public func string(_ scope: TemplateScope) throws(TemplateError) -> String? {
        switch try evaluate(scope) {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .number(let text)?: return text
        case .bool(let flag)?: return flag ? "true" : "false"
        case let json?: return JSONWriter.string(json)
        }
    }

    /// The value of a plain path (`user.email`) read straight from the scope, as the evaluator reads
    /// it (a missing member is missing); nil when the expression is not a plain path or the path
    /// crosses something other than an object (then the evaluator decides: null, or an error).
    private static func direct(_ expression: TemplateExpression, _ scope: TemplateScope) -> DirectRead? {
        guard let path = expression.directPath else { return nil }
        guard var current = scope.value(named: path.name) else { return DirectRead(value: nil) }
        for key in path.members {
            guard case .object(let object) = current else { return nil }
            guard let member = object[key] else { return DirectRead(value: nil) }
            current = member
        }
        return DirectRead(value: current)
    }

    /// A plain path's value; nil inside means the value is missing.
    private struct DirectRead {
        var value: JSONValue?
    }

    private static func run(_ expression: TemplateExpression, _ scope: TemplateScope) throws(TemplateError) -> Value? {
        do {
            return try expression.evaluate(scope.values(for: expression.names))
        } catch {
            throw TemplateError(expression: expression.source, message: error.message)
        }
    }

    /// True when the template holds no expression.
    public var isConstant: Bool {
        switch self {
        case .literal: return true
        case .expression, .text: return false
        case .array(let items): return items.allSatisfy { $0.isConstant }
        case .object(let members): return members.allSatisfy { $0.value.isConstant }
        }
    }
}

/// An expression of a template failed for this input (a value that cannot be converted, say).
public struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var expression: String
    public var message: String
    public var description: String { "in {{ \(expression) }}: \(message)" }
}
