import OutflowCore

/// The direct path from a CSV cell's bytes into a batch slot for the common types, chosen once per
/// column.
///
/// Integers, 64-bit floats, booleans, datetimes and strings without a pattern decode straight from
/// the read buffer into a ``ProfileSlot`` with Core's byte-level primitives: no `String` and no
/// ``Value`` is made, and string bytes are copied once, into the batch's arena. For every other
/// type, and for any cell these paths refuse, ``decode(_:)`` returns nil and the caller uses
/// ``TextDecoding``, so values and error messages stay Core's. The enum holds no references, so
/// copying it in the per-cell loop costs no reference counting.
enum CSVCellDecoder {
    case int(IntType)
    case float(FloatType)
    case boolean
    /// A string whose only constraints are lengths (checked on the bytes).
    case string(maxLength: Int?, maxBytes: Int?)
    case datetime
    case general

    init(_ type: DataType) {
        switch type {
        case .int(let t): self = .int(t)
        case .float(let t) where t.bitSize == 64: self = .float(t)
        case .boolean: self = .boolean
        case .string(let t) where t.pattern == nil && t.values == nil: self = .string(maxLength: t.maxLength, maxBytes: t.maxBytes)
        case .datetime: self = .datetime
        default: self = .general
        }
    }

    /// What a cell decodes to on the direct path.
    enum Outcome {
        /// A scalar slot, ready to store.
        case slot(ProfileSlot)
        /// Valid UTF-8 text to copy into the arena as is.
        case text
        /// The direct path does not decide: use ``TextDecoding``.
        case general
    }

    /// The outcome for `cell`; throws when the direct path can tell the cell is invalid.
    @inline(__always)
    func decode(_ cell: UnsafeBufferPointer<UInt8>) throws(ValueError) -> Outcome {
        switch self {
        case .int(let t):
            guard let parsed = TextDecoding.parseInteger(cell) else { return .general }
            switch try Constraints.checked(integer: parsed, t, text: { String(decoding: cell, as: UTF8.self) }) {
            case .int(let value): return .slot(.int(value))
            case .uint(let value): return .slot(ProfileSlot(tag: .uint, payload: value))
            default: return .general
            }
        case .float(let t):
            guard let value = TextDecoding.parseDouble(cell) else { return .general }
            try Constraints.check(float: value, t)
            return .slot(.float(value))
        case .boolean:
            guard let value = TextDecoding.parseBool(cell) else { return .general }
            return .slot(.boolean(value))
        case .string(let maxLength, let maxBytes):
            let ascii = UTF8Text.isASCII(cell)
            guard ascii || UTF8Text.isValid(cell) else { return .general }
            if let maxBytes, cell.count > maxBytes { return .general }
            if let maxLength, cell.count > maxLength {
                // Count runes only when the byte count exceeds the limit.
                if ascii { return .general }
                var runes = 0
                for byte in cell where byte & 0xC0 != 0x80 { runes &+= 1 }
                if runes > maxLength { return .general }
            }
            return .text
        case .datetime:
            guard let value = DateTimeValue(utf8: cell) else { return .general }
            return .slot(.datetime(value))
        case .general:
            return .general
        }
    }
}
