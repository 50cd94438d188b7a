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

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    /// The value at the path, nil when a step is missing. `{property}` is replaced by `property`'s
    /// dotted components first (a lookup by `address.city` reads `properties.address.city`).
    public func read(_ json: JSONValue, property: String? = nil) -> JSONValue? {
        var path = text
        if let property { path = path.replacingOccurrences(of: "{property}", with: property) }
        guard !path.isEmpty else { return json }
        var current = json
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            var indexes: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "["),
                let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
            {
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard let next = current[String(name)] else { return nil }
                current = next
            }
            for index in indexes {
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
