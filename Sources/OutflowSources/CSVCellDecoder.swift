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
    /// An integer within `lower ... upper` (the type's bounds, resolved once).
    case int(lower: Int64, upper: Int64, unsignedUpper: UInt64)
    /// A 64-bit float within `minimum ... maximum`; NaN and infinities go to the general path.
    case float(minimum: Double, maximum: Double)
    case boolean
    /// A string whose only constraints are lengths (checked on the bytes; `Int.max` when unset).
    case string(maxLength: Int, maxBytes: Int)
    case datetime
    case general

    init(_ type: DataType) {
        switch type {
        case .int(let t):
            self = .int(lower: t.lowerBound, upper: t.signedUpperBound, unsignedUpper: t.upperBound)
        case .float(let t) where t.bitSize == 64:
            self = .float(minimum: t.minimum ?? -Double.greatestFiniteMagnitude, maximum: t.maximum ?? Double.greatestFiniteMagnitude)
        case .boolean: self = .boolean
        case .string(let t) where t.pattern == nil && t.values == nil:
            self = .string(maxLength: t.maxLength ?? Int.max, maxBytes: t.maxBytes ?? Int.max)
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
        /// The direct path does not decide: use ``TextDecoding``, which also writes the error
        /// message of a cell that breaks a rule.
        case general
    }

    /// The outcome for `cell`. Any cell the direct path does not accept goes to the general path,
    /// so every rule and message stays in one place, Core's ``TextDecoding``.
    @inline(__always)
    func decode(_ cell: UnsafeBufferPointer<UInt8>) -> Outcome {
        switch self {
        case .int(let lower, let upper, let unsignedUpper):
            guard let parsed = TextDecoding.parseInteger(cell) else { return .general }
            if parsed.negative {
                guard parsed.magnitude <= UInt64(Int64.max) else { return .general }
                let value = -Int64(parsed.magnitude)
                return value >= lower && value <= upper ? .slot(.int(value)) : .general
            }
            if parsed.magnitude <= UInt64(Int64.max) {
                let value = Int64(parsed.magnitude)
                return value >= lower && value <= upper ? .slot(.int(value)) : .general
            }
            return parsed.magnitude <= unsignedUpper ? .slot(ProfileSlot(tag: .uint, payload: parsed.magnitude)) : .general
        case .float(let minimum, let maximum):
            guard let value = TextDecoding.parseDouble(cell), value >= minimum, value <= maximum else { return .general }
            return .slot(.float(value))
        case .boolean:
            guard let value = TextDecoding.parseBool(cell) else { return .general }
            return .slot(.boolean(value))
        case .string(let maxLength, let maxBytes):
            let ascii = UTF8Text.isASCII(cell)
            guard ascii || UTF8Text.isValid(cell) else { return .general }
            if cell.count > maxBytes { return .general }
            if cell.count > maxLength {
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
