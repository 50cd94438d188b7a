/// A batch of profiles read from the warehouse, stored flat so that reading allocates per batch,
/// not per profile.
///
/// Row `r` holds the values of the schema's top-level properties in slots
/// `r * width ..< (r + 1) * width`; `nil` is an absent property, `.null` a null one. A row whose
/// record could not be decoded keeps its error in ``errors`` and is still counted, so every
/// record read has exactly one outcome.
///
/// ```swift
/// var batch = ProfileBatch(schema: schema)
/// while try reader.next(into: &batch) {
///     for row in 0..<batch.count where batch.errors[row] == nil { ... batch[row, slot] ... }
/// }
/// ```
public struct ProfileBatch: Sendable {
    public let schema: ObjectType
    /// Number of slots per row: the schema's top-level property count.
    public let width: Int
    public var values: ContiguousArray<Value?> = []
    /// 1-based record number of each row (header excluded).
    public var records: [Int] = []
    /// 1-based line of the source where each row starts.
    public var lines: [Int] = []
    /// Why a row could not be decoded (stage `input`), or nil.
    public var errors: [String?] = []

    public init(schema: ObjectType) {
        self.schema = schema
        self.width = schema.properties.count
    }

    public var count: Int { records.count }
    public var isEmpty: Bool { records.isEmpty }

    /// Empties the batch, keeping its storage for the next read.
    public mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        errors.removeAll(keepingCapacity: true)
    }

    /// Appends a row of absent values and returns its index; the reader then fills its slots.
    @inline(__always)
    public mutating func appendRow(record: Int, line: Int) -> Int {
        records.append(record)
        lines.append(line)
        errors.append(nil)
        values.append(contentsOf: repeatElement(nil, count: width))
        return records.count - 1
    }

    /// Marks `row` as failed at the input stage.
    public mutating func fail(_ row: Int, _ message: String) {
        errors[row] = message
    }

    /// The value of top-level slot `slot` of row `row`.
    @inline(__always)
    public subscript(row: Int, slot: Int) -> Value? {
        get { values[row &* width &+ slot] }
        set { values[row &* width &+ slot] = newValue }
    }

    /// The value at a property path of row `row` (through nested objects), nil when absent.
    public func value(row: Int, at path: PropertyPath) -> Value? {
        guard let first = path.components.first, let slot = schema.index(of: first) else { return nil }
        var current = self[row, slot]
        for component in path.components.dropFirst() {
            guard case .object(let object)? = current else { return nil }
            current = object[component]
        }
        return current
    }

    /// Row `row` as an object value, present properties only, in schema order.
    public func profile(_ row: Int) -> ValueObject {
        var members: [(key: String, value: Value)] = []
        for (slot, property) in schema.properties.enumerated() {
            if let value = self[row, slot] { members.append((property.name, value)) }
        }
        return ValueObject(members)
    }
}
