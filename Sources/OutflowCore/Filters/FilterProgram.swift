import Foundation

extension CompiledFilter {
    /// The conditions lowered for the hot path: plain-data instructions and operands, with the
    /// operands' text and decimal digits in one byte pool, so that stepping through a filter copies
    /// and retains nothing but the profile's own value.
    ///
    /// Operands stay enums with `String` payloads until here; copying such an enum out of an array
    /// costs a call and a retain per profile, which measured as most of a filter's time.
    final class Program: Sendable {
        enum Opcode: UInt8 {
            case exists, isNull, isEmpty, isTrue, isFalse, equal, less, lessOrEqual, greater, greaterOrEqual, between, oneOf, contains,
                startsWith, endsWith
        }

        struct Instruction {
            var slot: Int
            /// Index in `paths`, or -1 when the condition reads the top-level value itself.
            var path: Int32
            var opcode: Opcode
            var negated: Bool
            /// The instruction's operands: `operands[first ..< first + count]`.
            var first: Int32
            var count: Int32
        }

        struct NestedPath {
            var objectPath: [String]
            var jsonPath: [String]
        }

        let logical: Filter.Logical
        let instructions: ContiguousArray<Instruction>
        let operands: ContiguousArray<Operand>
        let pool: ContiguousArray<UInt8>
        let paths: [NestedPath]

        init(logical: Filter.Logical, conditions: [Condition]) {
            var instructions: ContiguousArray<Instruction> = []
            var lowered: [FilterOperand] = []
            var paths: [NestedPath] = []
            for condition in conditions {
                var path: Int32 = -1
                if !condition.objectPath.isEmpty || !condition.jsonPath.isEmpty {
                    path = Int32(paths.count)
                    paths.append(NestedPath(objectPath: condition.objectPath, jsonPath: condition.jsonPath))
                }
                let first = Int32(lowered.count)
                let opcode: Opcode
                switch condition.test {
                case .exists: opcode = .exists
                case .isNull: opcode = .isNull
                case .isEmpty: opcode = .isEmpty
                case .isBoolean(let flag): opcode = flag ? .isTrue : .isFalse
                case .equal(let operand): (opcode, lowered) = (.equal, lowered + [operand])
                case .less(let operand): (opcode, lowered) = (.less, lowered + [operand])
                case .lessOrEqual(let operand): (opcode, lowered) = (.lessOrEqual, lowered + [operand])
                case .greater(let operand): (opcode, lowered) = (.greater, lowered + [operand])
                case .greaterOrEqual(let operand): (opcode, lowered) = (.greaterOrEqual, lowered + [operand])
                case .between(let low, let high): (opcode, lowered) = (.between, lowered + [low, high])
                case .oneOf(let list): (opcode, lowered) = (.oneOf, lowered + list)
                case .contains(let operand): (opcode, lowered) = (.contains, lowered + [operand])
                case .startsWith(let operand): (opcode, lowered) = (.startsWith, lowered + [operand])
                case .endsWith(let operand): (opcode, lowered) = (.endsWith, lowered + [operand])
                }
                instructions.append(
                    Instruction(
                        slot: condition.slot, path: path, opcode: opcode, negated: condition.negated, first: first,
                        count: Int32(lowered.count) - first))
            }
            var pool: ContiguousArray<UInt8> = []
            self.operands = ContiguousArray(lowered.map { Operand($0, pool: &pool) })
            self.logical = logical
            self.instructions = instructions
            self.pool = pool
            self.paths = paths
        }

        @inline(__always)
        func matches(_ batch: ProfileBatch, row: Int) -> Bool {
            instructions.withUnsafeBufferPointer { instructions in
                operands.withUnsafeBufferPointer { operands in
                    pool.withUnsafeBufferPointer { pool in
                        let context = Context(operands: operands, pool: pool)
                        switch logical {
                        case .and:
                            for index in instructions.indices where !run(instructions[index], batch, row, context) { return false }
                            return true
                        case .or:
                            for index in instructions.indices where run(instructions[index], batch, row, context) { return true }
                            return false
                        }
                    }
                }
            }
        }

        @inline(__always)
        private func run(_ instruction: Instruction, _ batch: ProfileBatch, _ row: Int, _ context: Context) -> Bool {
            let slot = batch.slot(row, instruction.slot)
            // `is not between` is not a plain negation: like Krenalis (applies.go), a missing or null
            // value is not "outside the range" either.
            let notBetween = instruction.negated && instruction.opcode == .between
            if instruction.path < 0 {
                if notBetween, slot.tag == .absent || slot.tag == .null { return false }
                // Text is compared in place, in the batch's arena: no String per profile.
                if slot.tag == .text || slot.tag == .ip {
                    let isIP = slot.tag == .ip
                    return batch.withText(slot) { context.evaluateText(instruction, $0, isIP: isIP) } != instruction.negated
                }
                let value = batch.value(of: slot)
                if notBetween, case .json(.null)? = value { return false }
                return context.evaluate(instruction, value) != instruction.negated
            }
            let nested = Self.value(at: batch.value(of: slot), paths[Int(instruction.path)])
            if notBetween {
                switch nested {
                case nil, .null?, .json(.null)?: return false
                default: break
                }
            }
            return context.evaluate(instruction, nested) != instruction.negated
        }

        /// The value below the top-level `value` along `path`; nil when a key on the way is missing
        /// or a step is not an object (a null parent included).
        static func value(at top: Value?, _ path: NestedPath) -> Value? {
            guard var current = top else { return nil }
            for key in path.objectPath {
                guard case .object(let object) = current, let next = object[key] else { return nil }
                current = next
            }
            if path.jsonPath.isEmpty { return current }
            guard case .json(var json) = current else { return nil }
            for key in path.jsonPath {
                guard case .object(let object) = json, let next = object[key] else { return nil }
                json = next
            }
            return .json(json)
        }
    }

    /// A condition value as plain data: numbers inline, text and decimal digits as ranges of the pool.
    struct Operand {
        enum Tag: UInt8 {
            case int, uint, float, decimal, string, datetime, date, time, year, uuid, ip, json, jsonInstant
        }

        var tag: Tag
        /// int, uint (bit pattern), float (bit pattern), datetime seconds, date days, time nanoseconds,
        /// year, or the first 8 bytes of a uuid.
        var number: Int64 = 0
        /// datetime nanoseconds, or the last 8 bytes of a uuid.
        var extra: Int64 = 0
        /// string, ip and json text.
        var text: Range<Int> = 0..<0
        /// decimal and json number: the digits of a ``DecimalKey``.
        var digits: Range<Int> = 0..<0
        var exponent: Int = 0
        var isNegative = false
        var hasNumber = false

        init(_ operand: FilterOperand, pool: inout ContiguousArray<UInt8>) {
            func store(_ bytes: some Collection<UInt8>) -> Range<Int> {
                let start = pool.count
                pool.append(contentsOf: bytes)
                return start..<pool.count
            }
            func store(_ key: DecimalKey) -> (Range<Int>, Int, Bool) { (store(key.digits), key.exponent, key.isNegative) }
            switch operand {
            case .int(let value): (tag, number) = (.int, value)
            case .uint(let value): (tag, number) = (.uint, Int64(bitPattern: value))
            case .float(let value): (tag, number) = (.float, Int64(bitPattern: value.bitPattern))
            case .decimal(let key):
                tag = .decimal
                (digits, exponent, isNegative) = store(key)
                hasNumber = true
            case .string(let text): (tag, self.text) = (.string, store(text.utf8))
            case .datetime(let value): (tag, number, extra) = (.datetime, value.seconds, Int64(value.nanoseconds))
            case .date(let value): (tag, number) = (.date, Int64(value.days))
            case .time(let value): (tag, number) = (.time, value.nanoseconds)
            case .year(let value): (tag, number) = (.year, Int64(value))
            case .uuid(let value): (tag, number, extra) = (.uuid, Self.halves(value).0, Self.halves(value).1)
            case .ip(let text): (tag, self.text) = (.ip, store(text.utf8))
            case .json(let text, let key):
                tag = .json
                self.text = store(text.utf8)
                if let key {
                    (digits, exponent, isNegative) = store(key)
                    hasNumber = true
                }
            case .jsonInstant(let value): (tag, number, extra) = (.jsonInstant, value.seconds, Int64(value.nanoseconds))
            }
        }

        /// The uuid's 16 bytes as two big-endian numbers, so that ordering them orders the bytes.
        static func halves(_ uuid: UUID) -> (Int64, Int64) {
            withUnsafeBytes(of: uuid.uuid) { bytes in
                var high: UInt64 = 0
                var low: UInt64 = 0
                for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
                for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
                return (Int64(bitPattern: high), Int64(bitPattern: low))
            }
        }
    }

    /// The operands and pool of a program while it runs, and the answers of the positive operators.
    struct Context {
        var operands: UnsafeBufferPointer<Operand>
        var pool: UnsafeBufferPointer<UInt8>

        @inline(__always)
        func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: pool[range])
        }

        @inline(__always)
        func decimal(_ operand: Operand) -> DecimalDigits {
            DecimalDigits(isNegative: operand.isNegative, exponent: operand.exponent, digits: bytes(operand.digits))
        }

        @inline(__always)
        func evaluate(_ instruction: Program.Instruction, _ value: Value?) -> Bool {
            guard let value else {
                // A missing value: only emptiness has a positive answer.
                return instruction.opcode == .isEmpty
            }
            let first = Int(instruction.first)
            switch instruction.opcode {
            case .exists:
                return true
            case .isEmpty:
                return Self.isEmpty(value)
            case .isNull:
                switch value {
                case .null, .json(.null): return true
                default: return false
                }
            case .isTrue, .isFalse:
                switch value {
                case .boolean(let flag), .json(.bool(let flag)): return flag == (instruction.opcode == .isTrue)
                default: return false
                }
            case .equal:
                return compare(value, operands[first]) == 0
            case .less:
                guard let order = compare(value, operands[first]) else { return false }
                return order < 0
            case .lessOrEqual:
                guard let order = compare(value, operands[first]) else { return false }
                return order <= 0
            case .greater:
                guard let order = compare(value, operands[first]) else { return false }
                return order > 0
            case .greaterOrEqual:
                guard let order = compare(value, operands[first]) else { return false }
                return order >= 0
            case .between:
                guard let fromLow = compare(value, operands[first]), fromLow >= 0 else { return false }
                guard let fromHigh = compare(value, operands[first &+ 1]) else { return false }
                return fromHigh <= 0
            case .oneOf:
                for index in first..<(first &+ Int(instruction.count)) where compare(value, operands[index]) == 0 { return true }
                return false
            case .contains:
                return contains(value, operands[first])
            case .startsWith, .endsWith:
                let text: String
                switch value {
                case .string(let string), .json(.string(let string)): text = string
                default: return false
                }
                let operand = operands[first]
                guard operand.tag == .string || operand.tag == .json else { return false }
                return instruction.opcode == .startsWith
                    ? ByteOrder.hasPrefix(text, bytes(operand.text)) : ByteOrder.hasSuffix(text, bytes(operand.text))
            }
        }

        /// The positive answer of `instruction` for a string (or, with `isIP`, an ip) held as bytes;
        /// the same answers ``evaluate(_:_:)`` gives for `.string` and `.ip` values.
        @inline(__always)
        func evaluateText(_ instruction: Program.Instruction, _ text: UnsafeBufferPointer<UInt8>, isIP: Bool) -> Bool {
            let first = Int(instruction.first)
            switch instruction.opcode {
            case .exists: return true
            case .isEmpty: return !isIP && text.isEmpty
            case .isNull, .isTrue, .isFalse: return false
            case .equal: return compareText(text, isIP, operands[first]) == 0
            case .less:
                guard let order = compareText(text, isIP, operands[first]) else { return false }
                return order < 0
            case .lessOrEqual:
                guard let order = compareText(text, isIP, operands[first]) else { return false }
                return order <= 0
            case .greater:
                guard let order = compareText(text, isIP, operands[first]) else { return false }
                return order > 0
            case .greaterOrEqual:
                guard let order = compareText(text, isIP, operands[first]) else { return false }
                return order >= 0
            case .between:
                guard let fromLow = compareText(text, isIP, operands[first]), fromLow >= 0 else { return false }
                guard let fromHigh = compareText(text, isIP, operands[first &+ 1]) else { return false }
                return fromHigh <= 0
            case .oneOf:
                for index in first..<(first &+ Int(instruction.count)) where compareText(text, isIP, operands[index]) == 0 { return true }
                return false
            case .contains, .startsWith, .endsWith:
                let operand = operands[first]
                guard !isIP, operand.tag == .string || operand.tag == .json else { return false }
                let part = bytes(operand.text)
                switch instruction.opcode {
                case .contains: return ByteOrder.contains(text, part)
                case .startsWith: return ByteOrder.hasPrefix(text, part)
                default: return ByteOrder.hasSuffix(text, part)
                }
            }
        }

        @inline(__always)
        func compareText(_ text: UnsafeBufferPointer<UInt8>, _ isIP: Bool, _ operand: Operand) -> Int? {
            guard operand.tag == (isIP ? .ip : .string) else { return nil }
            return ByteOrder.compare(text, bytes(operand.text))
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
        func contains(_ value: Value, _ operand: Operand) -> Bool {
            switch value {
            case .string(let text), .json(.string(let text)):
                guard operand.tag == .string || operand.tag == .json else { return false }
                return ByteOrder.contains(text, bytes(operand.text))
            case .array(let items):
                for index in items.indices where compare(items[index], operand) == 0 { return true }
                return false
            case .json(.array(let items)):
                for index in items.indices where compare(items[index], operand) == 0 { return true }
                return false
            default:
                return false
            }
        }

        /// The ordering of a property value against an operand: -1, 0, 1, or nil when they do not
        /// compare (a type mismatch, a NaN, a JSON value of another JSON type).
        @inline(__always)
        func compare(_ value: Value, _ operand: Operand) -> Int? {
            switch operand.tag {
            case .int:
                let b = operand.number
                switch value {
                case .int(let a): return a < b ? -1 : (a == b ? 0 : 1)
                case .uint(let a): return b < 0 ? 1 : (a < UInt64(b) ? -1 : (a == UInt64(b) ? 0 : 1))
                default: return nil
                }
            case .uint:
                let b = UInt64(bitPattern: operand.number)
                switch value {
                case .int(let a): return a < 0 ? -1 : (UInt64(a) < b ? -1 : (UInt64(a) == b ? 0 : 1))
                case .uint(let a): return a < b ? -1 : (a == b ? 0 : 1)
                default: return nil
                }
            case .float:
                guard case .float(let a) = value else { return nil }
                let b = Double(bitPattern: UInt64(bitPattern: operand.number))
                if a < b { return -1 }
                if a > b { return 1 }
                return a == b ? 0 : nil
            case .decimal:
                guard case .decimal(let a) = value else { return nil }
                return decimal(operand).compare(a)
            case .string:
                guard case .string(let a) = value else { return nil }
                return ByteOrder.compare(a, bytes(operand.text))
            case .datetime:
                guard case .datetime(let a) = value else { return nil }
                return Self.order(a, operand)
            case .date:
                guard case .date(let a) = value else { return nil }
                return Self.order(Int64(a.days), operand.number)
            case .time:
                guard case .time(let a) = value else { return nil }
                return Self.order(a.nanoseconds, operand.number)
            case .year:
                guard case .year(let a) = value else { return nil }
                return Self.order(Int64(a), operand.number)
            case .uuid:
                guard case .uuid(let a) = value else { return nil }
                let (high, low) = Operand.halves(a)
                if high != operand.number { return UInt64(bitPattern: high) < UInt64(bitPattern: operand.number) ? -1 : 1 }
                return low == operand.extra ? 0 : (UInt64(bitPattern: low) < UInt64(bitPattern: operand.extra) ? -1 : 1)
            case .ip:
                guard case .ip(let a) = value else { return nil }
                return ByteOrder.compare(a, bytes(operand.text))
            case .json, .jsonInstant:
                guard case .json(let json) = value else { return nil }
                return compare(json, operand)
            }
        }

        /// JSON numbers compare as decimals, JSON strings as strings (or as datetimes for `is before`
        /// and friends); other JSON types never compare.
        @inline(__always)
        func compare(_ json: JSONValue, _ operand: Operand) -> Int? {
            switch json {
            case .number(let text):
                guard operand.tag == .json, operand.hasNumber else { return nil }
                return decimal(operand).compare(numberText: text)
            case .string(let text):
                if operand.tag == .json { return ByteOrder.compare(text, bytes(operand.text)) }
                guard operand.tag == .jsonInstant, let instant = DateTimeValue(parsing: text) else { return nil }
                return Self.order(instant, operand)
            default:
                return nil
            }
        }

        @inline(__always)
        static func order(_ a: Int64, _ b: Int64) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

        @inline(__always)
        static func order(_ a: DateTimeValue, _ operand: Operand) -> Int {
            a.seconds != operand.number ? order(a.seconds, operand.number) : order(Int64(a.nanoseconds), operand.extra)
        }
    }
}

/// Orders a value against a condition value outside the hot path (the validator's range check).
enum FilterOrder {
    static func compare(_ value: Value, _ operand: FilterOperand) -> Int? {
        var pool: ContiguousArray<UInt8> = []
        let lowered = [CompiledFilter.Operand(operand, pool: &pool)]
        return lowered.withUnsafeBufferPointer { operands in
            pool.withUnsafeBufferPointer { pool in
                CompiledFilter.Context(operands: operands, pool: pool).compare(value, operands[0])
            }
        }
    }
}
