/// Named members that keep the order they were written in: a JSON object, or an object or map value.
///
/// Outputs and error messages follow the order the user wrote, so a dictionary will not do.
/// Lookups are linear: profile objects and workspace objects are small, and a scan over a few
/// members beats hashing every key.
///
/// ```swift
/// var user = ValueObject([("email", .string("a@b.c"))])
/// user["age"] = .int(42)   // appended
/// user["email"] = nil      // removed
/// ```
public struct OrderedMembers<Element: Hashable & Sendable>: Hashable, Sendable {
    public var members: [(key: String, value: Element)]

    public init(_ members: [(key: String, value: Element)] = []) {
        self.members = members
    }

    /// The member named `key`; setting nil removes it, setting a new key appends it.
    public subscript(key: String) -> Element? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    public var keys: [String] { members.map(\.key) }
    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }

    public static func == (lhs: OrderedMembers, rhs: OrderedMembers) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (l, r) in zip(lhs.members, rhs.members) where l.key != r.key || l.value != r.value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

extension OrderedMembers: ExpressibleByDictionaryLiteral {
    /// `["email": "a@b.c", "age": 42]` as members in the written order (tests and settings built in code).
    public init(dictionaryLiteral elements: (String, Element)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
