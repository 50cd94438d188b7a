import OutflowCore

extension Template {
    /// Whether evaluating the template may read the scope name `name`.
    ///
    /// It looks for `name` as a whole word in each expression's text, not after a `.` (where it is
    /// a member, like `user.id`). A false "yes" costs only a value computed for nothing; there is no
    /// false "no", since the scope's names are read only as such words. The write path asks it
    /// about `id`, whose value (the item's delivery id) is expensive to compute.
    public func mayRead(_ name: String) -> Bool {
        switch self {
        case .literal: return false
        case .expression(let expression): return Self.mentions(expression.source, name)
        case .text(let parts):
            return parts.contains { part in
                if case .expression(let expression) = part { return Self.mentions(expression.source, name) }
                return false
            }
        case .array(let items): return items.contains { $0.mayRead(name) }
        case .object(let members): return members.contains { $0.value.mayRead(name) }
        }
    }

    static func mentions(_ source: String, _ name: String) -> Bool {
        let text = Array(source.utf8)
        let word = Array(name.utf8)
        guard !word.isEmpty, text.count >= word.count else { return false }
        func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte >= 0x80
        }
        for start in 0...(text.count - word.count) where text[start..<(start + word.count)].elementsEqual(word) {
            let before: UInt8? = start > 0 ? text[start - 1] : nil
            let after: UInt8? = start + word.count < text.count ? text[start + word.count] : nil
            if let before, isWordByte(before) || before == UInt8(ascii: ".") { continue }
            if let after, isWordByte(after) { continue }
            return true
        }
        return false
    }
}

extension RequestSpec {
    /// Whether any template of the request (path, query, body, headers) may read `name`.
    public func mayRead(_ name: String) -> Bool {
        path.mayRead(name) || query.contains { $0.value.mayRead(name) } || body?.mayRead(name) == true || headers?.mayRead(name) == true
    }
}
