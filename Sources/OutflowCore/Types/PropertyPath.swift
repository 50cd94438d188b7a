/// A dotted path to a property through nested objects, such as `address.country`.
///
/// Paths name schema properties in filters, matching, CSV headers and mappings. A property name is
/// an identifier (letters, digits and `_`, not starting with a digit), so a dot always separates.
public struct PropertyPath: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var components: [String]

    public init(_ components: [String]) {
        self.components = components
    }

    /// Parses `a.b.c`; nil when a component is empty.
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.components = parts
    }

    public var description: String { components.joined(separator: ".") }

    /// True when `self` is a strict prefix of `other` (`a` of `a.b`).
    public func isPrefix(of other: PropertyPath) -> Bool {
        components.count < other.components.count && Array(other.components.prefix(components.count)) == components
    }

    public static func < (lhs: PropertyPath, rhs: PropertyPath) -> Bool {
        lhs.description < rhs.description
    }

    /// True when `name` is a valid property name: `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b == 0x5F }
        guard isLetter(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
