/// A filter checked against a profile schema and compiled for the hot path.
///
/// Compiling resolves each condition's property to a batch slot (plus the members of nested objects
/// and the keys inside a json value) and parses its values once, so matching a profile allocates
/// nothing. The semantics are those of DESIGN section 6 and `docs/filters.md`: a missing or null
/// value fails every positive operator but `exists` and `is empty`; the negative operators
/// (`is not`, `is not null`, ...) are plain negations of their positive, so they hold for a missing key.
///
/// ```swift
/// let filter = try CompiledFilter(pipeline.filter!, schema: batch.schema)
/// for row in 0..<batch.count where batch.errors[row] == nil && filter.matches(batch, row: row) { ... }
/// ```
public struct CompiledFilter: Sendable {
    public let logical: Filter.Logical
    let conditions: [Condition]

    /// Validates `filter` against `schema` (the schema of the batches it will see) and compiles it.
    public init(_ filter: Filter, schema: ObjectType) throws(ValidationError) {
        var issues: [Diagnostic] = []
        let conditions = FilterValidator.compile(filter, schema: schema, path: "filter", issues: &issues)
        guard issues.isEmpty else { throw ValidationError(issues) }
        self.logical = filter.logical
        self.conditions = conditions
    }

    /// True when row `row` of `batch` passes the filter.
    @inlinable @inline(__always)
    public func matches(_ batch: ProfileBatch, row: Int) -> Bool {
        matches(batch.values, base: row &* batch.width)
    }

    @usableFromInline
    func matches(_ values: ContiguousArray<Value?>, base: Int) -> Bool {
        switch logical {
        case .and:
            for index in conditions.indices where !conditions[index].matches(values, base: base) { return false }
            return true
        case .or:
            for index in conditions.indices where conditions[index].matches(values, base: base) { return true }
            return false
        }
    }

    /// What a condition tests, with its values already parsed.
    enum Test: Sendable {
        case exists
        case isNull
        case isEmpty
        case isBoolean(Bool)
        case equal(FilterOperand)
        case less(FilterOperand)
        case lessOrEqual(FilterOperand)
        case greater(FilterOperand)
        case greaterOrEqual(FilterOperand)
        case between(FilterOperand, FilterOperand)
        case oneOf([FilterOperand])
        case contains(FilterOperand)
        case startsWith(FilterOperand)
        case endsWith(FilterOperand)
    }

    /// One compiled condition: where its value is, what it tests, and whether the result is negated.
    struct Condition: Sendable {
        var slot: Int
        var objectPath: [String]
        var jsonPath: [String]
        var test: Test
        var negated: Bool

        @inline(__always)
        func matches(_ values: ContiguousArray<Value?>, base: Int) -> Bool {
            evaluate(value(values, base: base)) != negated
        }

        /// The value at the condition's path; nil when a key on the way is missing or a step is not
        /// an object (a null parent included).
        @inline(__always)
        func value(_ values: ContiguousArray<Value?>, base: Int) -> Value? {
            guard var current = values[base &+ slot] else { return nil }
            if !objectPath.isEmpty {
                for key in objectPath {
                    guard case .object(let object) = current, let next = object[key] else { return nil }
                    current = next
                }
            }
            if jsonPath.isEmpty { return current }
            guard case .json(var json) = current else { return nil }
            for key in jsonPath {
                guard case .object(let object) = json, let next = object[key] else { return nil }
                json = next
            }
            return .json(json)
        }

        /// The positive operator's answer for `value`.
        @inline(__always)
        func evaluate(_ value: Value?) -> Bool {
            switch test {
            case .exists:
                return value != nil
            case .isEmpty:
                guard let value else { return true }
                return Self.isEmpty(value)
            default:
                break
            }
            guard let value else { return false }
            switch test {
            case .isNull:
                switch value {
                case .null, .json(.null): return true
                default: return false
                }
            case .isBoolean(let expected):
                switch value {
                case .boolean(let flag), .json(.bool(let flag)): return flag == expected
                default: return false
                }
            case .equal(let operand):
                return FilterOrder.compare(value, operand) == 0
            case .less(let operand):
                return FilterOrder.compare(value, operand).map { $0 < 0 } ?? false
            case .lessOrEqual(let operand):
                return FilterOrder.compare(value, operand).map { $0 <= 0 } ?? false
            case .greater(let operand):
                return FilterOrder.compare(value, operand).map { $0 > 0 } ?? false
            case .greaterOrEqual(let operand):
                return FilterOrder.compare(value, operand).map { $0 >= 0 } ?? false
            case .between(let low, let high):
                guard let fromLow = FilterOrder.compare(value, low), fromLow >= 0 else { return false }
                guard let fromHigh = FilterOrder.compare(value, high) else { return false }
                return fromHigh <= 0
            case .oneOf(let operands):
                for index in operands.indices where FilterOrder.compare(value, operands[index]) == 0 { return true }
                return false
            case .contains(let operand):
                return Self.contains(value, operand)
            case .startsWith(let operand):
                guard let (text, part) = Self.strings(value, operand) else { return false }
                return ByteOrder.hasPrefix(text, part)
            case .endsWith(let operand):
                guard let (text, part) = Self.strings(value, operand) else { return false }
                return ByteOrder.hasSuffix(text, part)
            case .exists, .isEmpty:
                return false  // answered above
            }
        }

        /// `is empty`: null, "", [], {} and their JSON forms (a missing key is handled by the caller).
        @inline(__always)
        static func isEmpty(_ value: Value) -> Bool {
            switch value {
            case .null: return true
            case .string(let text): return text.isEmpty
            case .array(let items): return items.isEmpty
            case .object(let object), .map(let object): return object.isEmpty
            case .json(let json):
                switch json {
                case .null: return true
                case .string(let text): return text.isEmpty
                case .array(let items): return items.isEmpty
                case .object(let object): return object.isEmpty
                case .bool, .number: return false
                }
            default: return false
            }
        }

        /// Substring for strings (and JSON strings), element membership for arrays (and JSON arrays).
        @inline(__always)
        static func contains(_ value: Value, _ operand: FilterOperand) -> Bool {
            switch (value, operand) {
            case (.string(let text), .string(let part)):
                return ByteOrder.contains(text, part)
            case (.array(let items), _):
                for index in items.indices where FilterOrder.compare(items[index], operand) == 0 { return true }
                return false
            case (.json(.string(let text)), .json(let part, _)):
                return ByteOrder.contains(text, part)
            case (.json(.array(let items)), _):
                for index in items.indices where FilterOrder.compare(items[index], operand) == 0 { return true }
                return false
            default:
                return false
            }
        }

        /// The value's text and the operand's text, when both are strings (JSON strings included).
        @inline(__always)
        static func strings(_ value: Value, _ operand: FilterOperand) -> (String, String)? {
            switch (value, operand) {
            case (.string(let text), .string(let part)): return (text, part)
            case (.json(.string(let text)), .json(let part, _)): return (text, part)
            default: return nil
            }
        }
    }
}
