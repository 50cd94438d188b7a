import Foundation
import OutflowCore

/// A dotted path into an answer's JSON, as connector files write it: `paging.next.after`,
/// `context.objectWriteTraceId[0]`, `properties.{property}`; the empty path is the value itself.
///
/// ```swift
/// ResponsePath("context.objectWriteTraceId[0]").read(error)   // .string("3")
/// ```
public struct ResponsePath: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    /// The steps of a path without `{property}`, parsed once: a write reads a path in every record
    /// of every answer, and parsing it each time cost more than the reading.
    private let steps: [Step]?

    private enum Step: Sendable, Hashable {
        case member(String)
        case index(Int)
    }

    public init(_ text: String) {
        self.text = text
        steps = text.contains("{property}") ? nil : Self.parse(text)
    }

    private static func parse(_ path: String) -> [Step] {
        guard !path.isEmpty else { return [] }
        var steps: [Step] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            let (name, indexes) = split(part)
            if !name.isEmpty { steps.append(.member(String(name))) }
            steps += indexes.map(Step.index)
        }
        return steps
    }

    /// `name[1][2]` -> `name`, [1, 2].
    private static func split(_ part: Substring) -> (Substring, [Int]) {
        var name = part
        var indexes: [Int] = []
        while name.hasSuffix("]"), let open = name.lastIndex(of: "["),
            let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
        {
            indexes.insert(index, at: 0)
            name = name[..<open]
        }
        return (name, indexes)
    }

    public var description: String { text }

    /// The member the path starts with (`context` of `context.objectWriteTraceId[0]`); nil for the
    /// empty path, one that starts with an index, or one with `{property}`.
    var firstStep: String? {
        guard case .member(let name)? = steps?.first else { return nil }
        return name
    }

    /// The member name when the path is exactly one member (`results`), else nil.
    var topMember: String? {
        guard let steps, steps.count == 1 else { return nil }
        return firstStep
    }

    /// The value at the path, nil when a step is missing. `{property}` is replaced by `property`'s
    /// dotted components first (a lookup by `address.city` reads `properties.address.city`).
    public func read(_ json: JSONValue, property: String? = nil) -> JSONValue? {
        var current = json
        for step in steps ?? Self.parse(text.replacingOccurrences(of: "{property}", with: property ?? "{property}")) {
            switch step {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let index):
                guard let next = current[index] else { return nil }
                current = next
            }
        }
        return current
    }

    /// The value at the path as text (strings bare, numbers as written); the first element of an array.
    public func string(_ json: JSONValue, property: String? = nil) -> String? {
        switch read(json, property: property) {
        case .string(let text)?: return text
        case .number(let text)?: return text
        case .bool(let flag)?: return flag ? "true" : "false"
        case .array(let items)?: return items.first.flatMap { ResponsePath("").string($0) }
        default: return nil
        }
    }
}
