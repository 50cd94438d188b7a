/// An ordered list of HTTP header fields with case-insensitive lookup.
///
/// HTTP field names are case-insensitive (RFC 9110 §5.1), and HTTP/2 servers send them in lower case
/// while HTTP/1.1 servers often capitalise them, so every lookup ignores case. Order and repeats are
/// kept because some fields (`Set-Cookie`) may legitimately appear more than once.
///
/// ```swift
/// var headers: HTTPHeaders = ["Content-Type": "application/json"]
/// headers.add("Authorization", "Bearer \(token)")
/// headers["content-type"]  // "application/json"
/// ```
///
/// A response's headers stay in the bytes they arrived in (`ReceivedHeaderLines`) until they are
/// iterated, compared or changed; lookups by name read those bytes directly.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, CustomReflectable {
    public typealias Field = (name: String, value: String)

    /// The fields, when `received` is nil.
    private var fields: [Field]
    /// The fields as received, not yet made into Strings; `fields` is empty meanwhile.
    private var received: ReceivedHeaderLines?

    public init() { fields = [] }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    init(received: ReceivedHeaderLines) {
        fields = []
        self.received = received.isEmpty ? nil : received
    }

    /// The first value of the field `name`, or nil; setting replaces every field of that name.
    public subscript(name: String) -> String? {
        get {
            if let received { return received.indices(named: name).first { _ in true }.map(received.value(at:)) }
            return fields.first { Self.sameName($0.name, name) }?.value
        }
        set {
            materialize()
            fields.removeAll { Self.sameName($0.name, name) }
            if let newValue { fields.append((name: name, value: newValue)) }
        }
    }

    /// Every value of the field `name`, in the order received.
    public func values(for name: String) -> [String] {
        if let received { return received.indices(named: name).map(received.value(at:)) }
        return fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        if let received { return received.indices(named: name).first { _ in true } != nil }
        return fields.contains { Self.sameName($0.name, name) }
    }

    /// Whether some field's name contains one of `fragments` (ASCII bytes in lower case), ignoring case:
    /// one pass over the names that can spare a series of lookups that would all find nothing.
    func containsName(includingAnyOf fragments: [[UInt8]]) -> Bool {
        func matches(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
            fragments.contains { needle in
                guard needle.count <= name.count else { return false }
                return (0...(name.count - needle.count)).contains { start in
                    needle.indices.allSatisfy { offset in
                        let byte = name[start + offset]
                        return (0x41...0x5A ~= byte ? byte | 0x20 : byte) == needle[offset]
                    }
                }
            }
        }
        if let received {
            return received.bytes.withUnsafeBufferPointer { all in
                received.lines.contains { matches(UnsafeBufferPointer(rebasing: all[Int($0.nameStart)..<Int($0.nameEnd)])) }
            }
        }
        return fields.contains { field in
            var name = field.name
            return name.withUTF8(matches)
        }
    }

    /// Appends a field without removing others of the same name.
    public mutating func add(_ name: String, _ value: String) {
        materialize()
        fields.append((name: name, value: value))
    }

    public var count: Int { received?.lines.count ?? fields.count }

    public func makeIterator() -> IndexingIterator<[Field]> {
        allFields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        guard lhs.received != nil || rhs.received != nil else {
            // Two requests' fields, compared by the client for every request it sends (does the handle's
            // header list still fit?): on the stored arrays, with no copy of either.
            return lhs.fields.withUnsafeBufferPointer { a in
                rhs.fields.withUnsafeBufferPointer { b in
                    guard a.count == b.count else { return false }
                    if a.baseAddress == b.baseAddress { return true }
                    for index in a.indices where a[index].name != b[index].name || a[index].value != b[index].value { return false }
                    return true
                }
            }
        }
        return lhs.count == rhs.count && lhs.allFields.elementsEqual(rhs.allFields) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Printed (`dump`, test failures) as the fields, whichever form they are held in.
    public var customMirror: Mirror {
        Mirror(self, children: ["fields": allFields])
    }

    private var allFields: [Field] {
        guard let received else { return fields }
        return received.lines.indices.map { (name: received.name(at: $0), value: received.value(at: $0)) }
    }

    private mutating func materialize() {
        guard received != nil else { return }
        fields = allFields
        received = nil
    }

    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && (asciiCaseInsensitiveEqual(a.utf8, b) ?? (a.lowercased() == b.lowercased()))
    }

    static func sameName(_ a: ArraySlice<UInt8>, _ b: String) -> Bool {
        a.count == b.utf8.count
            && (asciiCaseInsensitiveEqual(a, b) ?? (String(decoding: a, as: UTF8.self).lowercased() == b.lowercased()))
    }

    /// Whether two names are equal ignoring ASCII case; nil when either has a non-ASCII byte, where
    /// only Unicode lower-casing gives the answer `lowercased()` gave before this fast path.
    private static func asciiCaseInsensitiveEqual(_ a: some Collection<UInt8>, _ b: String) -> Bool? {
        var equal = true
        for (x, y) in zip(a, b.utf8) {
            if x >= 0x80 || y >= 0x80 { return nil }
            if x != y, x | 0x20 != y | 0x20 || !((0x61...0x7A).contains(x | 0x20)) { equal = false }
        }
        return equal
    }
}
