/// A batch of profiles read from the warehouse, stored so that reading allocates per batch, not
/// per profile or per value.
///
/// Row `r` holds the values of the schema's top-level properties in slots
/// `r * width ..< (r + 1) * width`. Each slot is a ``ProfileSlot`` (absent, null, a scalar, a
/// string's bytes in ``arena``, or an index into a side table of other values), so resetting the
/// batch for the next read frees nothing. `batch[row, slot]` reads and writes plain ``Value``s;
/// hot paths (the CSV reader, filters) use the slot and text accessors to skip building them.
///
/// A row whose record could not be decoded keeps its error in ``errors`` and is still counted, so
/// every record read has exactly one outcome.
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
    /// Slots of every row; it never shrinks, so that a reused batch writes rows in place. Only the
    /// first `count * width` slots are rows of this batch.
    @usableFromInline var storage: ContiguousArray<ProfileSlot> = []
    /// The UTF-8 bytes of every text slot of the batch.
    @usableFromInline var textBytes: ContiguousArray<UInt8> = []
    /// Number of rows.
    @usableFromInline var rowCount = 0
    /// Values that are neither scalars nor text (objects, arrays, decimals, json, uuids, ...).
    private var boxed: ContiguousArray<Value> = []
    /// 1-based record number of each row (header excluded).
    public private(set) var records: [Int] = []
    /// 1-based line of the source where each row starts.
    public private(set) var lines: [Int] = []
    /// Why a row could not be decoded (stage `input`); `errors[row]` is nil for a good row.
    public private(set) var errors = RowErrors()

    public init(schema: ObjectType) {
        self.schema = schema
        self.width = schema.properties.count
    }

    public var count: Int { rowCount }
    public var isEmpty: Bool { rowCount == 0 }

    /// The UTF-8 bytes of every text slot of the batch.
    public var arena: ContiguousArray<UInt8> { textBytes }

    /// Empties the batch, keeping its storage for the next read.
    public mutating func removeAll() {
        rowCount = 0
        textBytes.removeAll(keepingCapacity: true)
        boxed.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        errors.removeAll()
    }

    /// Appends a row of absent values and returns its index; the reader then fills its slots.
    @inline(__always)
    public mutating func appendRow(record: Int, line: Int) -> Int {
        records.append(record)
        lines.append(line)
        let row = rowCount
        rowCount &+= 1
        let end = rowCount &* width
        if storage.count < end {
            storage.append(contentsOf: repeatElement(.absent, count: end &- storage.count))
        } else {
            storage.withUnsafeMutableBufferPointer { slots in
                for index in (row &* width)..<end { slots[index] = .absent }
            }
        }
        return row
    }

    /// Marks `row` as failed at the input stage.
    public mutating func fail(_ row: Int, _ message: String) {
        errors[row] = message
    }

    // MARK: Slots

    /// The slots of this batch's rows, row-major.
    public var slots: ArraySlice<ProfileSlot> { storage[0..<(rowCount * width)] }

    /// The raw slot of top-level property `slot` in row `row`.
    @inlinable
    public func slot(_ row: Int, _ slot: Int) -> ProfileSlot {
        storage[row &* width &+ slot]
    }

    /// Stores a scalar slot (not `.text`, not `.boxed`: use ``setText(_:_:_:)`` and the subscript).
    @inlinable
    public mutating func setSlot(_ row: Int, _ slot: Int, _ value: ProfileSlot) {
        storage[row &* width &+ slot] = value
    }

    /// Copies `bytes` (valid UTF-8) into the arena and stores them as the text of a slot.
    @inlinable
    public mutating func setText(_ row: Int, _ slot: Int, _ bytes: UnsafeBufferPointer<UInt8>, tag: ProfileSlot.Tag = .text) {
        let offset = textBytes.count
        textBytes.append(contentsOf: bytes)
        storage[row &* width &+ slot] = ProfileSlot(tag: tag, extra: UInt32(truncatingIfNeeded: bytes.count), payload: UInt64(offset))
    }

    /// Calls `body` with the bytes of a text slot (tags `.text` and `.ip`).
    @inlinable
    public func withText<R>(_ slot: ProfileSlot, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try textBytes.withUnsafeBufferPointer { buffer in
            let start = Int(slot.payload)
            return try body(UnsafeBufferPointer(rebasing: buffer[start..<(start + Int(slot.extra))]))
        }
    }

    // MARK: Values

    /// The value of top-level slot `slot` of row `row`; nil when absent.
    public subscript(row: Int, slot: Int) -> Value? {
        get { value(of: self.slot(row, slot)) }
        set { store(newValue, row, slot) }
    }

    /// The value a slot holds; nil when absent.
    public func value(of slot: ProfileSlot) -> Value? {
        switch slot.tag {
        case .absent: return nil
        case .null: return .null
        case .boolean: return .boolean(slot.boolValue)
        case .int: return .int(slot.intValue)
        case .uint: return .uint(slot.payload)
        case .float: return .float(slot.floatValue)
        case .text: return .string(withText(slot) { String(decoding: $0, as: UTF8.self) })
        case .ip: return .ip(withText(slot) { String(decoding: $0, as: UTF8.self) })
        case .datetime: return .datetime(slot.datetimeValue)
        case .date: return .date(DateValue(days: Int32(truncatingIfNeeded: slot.intValue)))
        case .time: return .time(TimeValue(nanoseconds: slot.intValue))
        case .year: return .year(Int(slot.intValue))
        case .boxed: return boxed[Int(slot.payload)]
        }
    }

    private mutating func store(_ value: Value?, _ row: Int, _ slot: Int) {
        guard let value else {
            setSlot(row, slot, .absent)
            return
        }
        switch value {
        case .null: setSlot(row, slot, .null)
        case .boolean(let flag): setSlot(row, slot, .boolean(flag))
        case .int(let number): setSlot(row, slot, .int(number))
        case .uint(let number): setSlot(row, slot, ProfileSlot(tag: .uint, payload: number))
        case .float(let number): setSlot(row, slot, .float(number))
        case .string(var text):
            text.withUTF8 { setText(row, slot, $0) }
        case .ip(var text):
            text.withUTF8 { setText(row, slot, $0, tag: .ip) }
        case .datetime(let instant): setSlot(row, slot, .datetime(instant))
        case .date(let date): setSlot(row, slot, ProfileSlot(tag: .date, payload: UInt64(bitPattern: Int64(date.days))))
        case .time(let time): setSlot(row, slot, ProfileSlot(tag: .time, payload: UInt64(bitPattern: time.nanoseconds)))
        case .year(let year): setSlot(row, slot, ProfileSlot(tag: .year, payload: UInt64(bitPattern: Int64(year))))
        default:
            boxed.append(value)
            setSlot(row, slot, ProfileSlot(tag: .boxed, payload: UInt64(boxed.count - 1)))
        }
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

/// The input errors of a batch's rows, kept sparse: most rows have none.
public struct RowErrors: Sendable {
    private var messages: [Int: String] = [:]

    public subscript(row: Int) -> String? {
        get { messages.isEmpty ? nil : messages[row] }
        set { messages[row] = newValue }
    }

    /// Number of rows with an error.
    public var count: Int { messages.count }

    mutating func removeAll() {
        if !messages.isEmpty { messages.removeAll(keepingCapacity: true) }
    }
}
