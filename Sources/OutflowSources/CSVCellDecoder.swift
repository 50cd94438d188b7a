import OutflowCore

/// The direct path from a CSV cell's bytes to a value for the common types, chosen once per column.
///
/// Integers, 64-bit floats, booleans and strings without constraints decode straight from the read
/// buffer with Core's byte-level primitives, skipping the per-cell dispatch on ``DataType``. For every
/// other type, and for any cell these paths refuse, ``decode(_:)`` returns nil and the caller uses
/// ``TextDecoding``, so values and error messages stay Core's. The enum holds no references, so
/// copying it in the per-cell loop costs no reference counting.
///
/// ```swift
/// let decoder = CSVCellDecoder(.int(IntType(bitSize: 16)))
/// let value = try decoder.decode(bytes) ?? TextDecoding.decode(bytes, as: type)
/// ```
enum CSVCellDecoder {
    case int(IntType)
    case float(FloatType)
    case boolean
    case string
    case general

    init(_ type: DataType) {
        switch type {
        case .int(let t): self = .int(t)
        case .float(let t) where t.bitSize == 64: self = .float(t)
        case .boolean: self = .boolean
        case .string(let t) where t == StringType(): self = .string
        default: self = .general
        }
    }

    /// The value of `cell`, or nil when ``TextDecoding`` must decide (other types, refused cells).
    @inline(__always)
    func decode(_ cell: UnsafeBufferPointer<UInt8>) throws(ValueError) -> Value? {
        switch self {
        case .int(let t):
            guard let parsed = TextDecoding.parseInteger(cell) else { return nil }
            return try Constraints.checked(integer: parsed, t, text: { String(decoding: cell, as: UTF8.self) })
        case .float(let t):
            guard let value = TextDecoding.parseDouble(cell) else { return nil }
            try Constraints.check(float: value, t)
            return .float(value)
        case .boolean:
            guard let value = TextDecoding.parseBool(cell) else { return nil }
            return .boolean(value)
        case .string:
            guard let text = UTF8Text.string(cell) else { return nil }
            return .string(text)
        case .general:
            return nil
        }
    }
}
