import Foundation

/// One `{{ expression }}` of a connector template (DESIGN 9b): the mapping language of section 7,
/// plus `md5`, `sha256` and `base64`, over a few names whose values are JSON.
///
/// Connector files use the same parser, type checker and evaluator as pipeline mappings, so there is
/// one expression language, not two. Every name in scope is typed json, so a path into it reads JSON
/// members (`user.email`, `settings.listId`) and a missing member is a missing value.
///
/// ```swift
/// let hash = try TemplateExpression("md5(lower(user.email_address))", names: ["settings", "user"])
/// let value = try hash.evaluate([.object([:]), .object(["email_address": "Ada@Example.org"])])
/// // .string("…32 hex digits…")
/// ```
public struct TemplateExpression: Sendable {
    /// The expression as written.
    public let source: String
    /// The names in scope, in the order `evaluate` takes their values.
    public let names: [String]
    /// The expression when it is only a name or a path of plain members (`user`, `user.email`):
    /// connector templates are mostly these, and ``Template`` reads them without the evaluator.
    public let directPath: (name: String, members: [String])?
    private let node: Node

    /// Parses and type-checks `source`; the error message names the column or the unknown name.
    public init(_ source: String, names: [String]) throws(TemplateExpressionError) {
        self.source = source
        self.names = names
        directPath = Self.directPath(source, names: names)
        let scope = ObjectType(properties: names.map { Property(name: $0, type: .json, readOptional: true, nullable: true) })
        let expression: Expression
        do {
            expression = try Parser.parse(source, templateFunctions: true)
        } catch {
            throw TemplateExpressionError(message: error.description)
        }
        do {
            node = try TypeChecker(inSchema: scope, rowSchema: scope).check(expression).node
        } catch {
            let message = error.message.replacingOccurrences(of: "is not in inSchema", with: "is not a name in scope")
            throw TemplateExpressionError(message: "in \"\(source)\": \(message)")
        }
    }

    /// `a.b.c` of plain identifiers whose head is a name in scope (so not `true` or `null`).
    static func directPath(_ source: String, names: [String]) -> (name: String, members: [String])? {
        let parts = source.split(separator: ".", omittingEmptySubsequences: false)
        for part in parts {
            guard let first = part.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")),
                part.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) })
            else { return nil }
        }
        guard let head = parts.first, names.contains(String(head)) else { return nil }
        return (String(head), parts.dropFirst().map(String.init))
    }

    /// Evaluates with one value per name (nil: the name has no value here). The result is nil when
    /// the expression reads a missing value (a template then leaves its member out), `.null` for null.
    public func evaluate(_ values: [JSONValue?]) throws(ValueError) -> Value? {
        try Evaluator.evaluate(node, TemplateRow(values: values))
    }
}

/// An expression of a connector template that does not parse or names something not in scope.
public struct TemplateExpressionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// The scope of a template as the evaluator reads a row: slot i is name i.
private struct TemplateRow: MappingRow {
    let values: [JSONValue?]
    func value(slot: Int, name: String) -> Value? {
        guard slot < values.count, let json = values[slot] else { return nil }
        return .json(json)
    }
}
