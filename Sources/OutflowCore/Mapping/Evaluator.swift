import Foundation

/// A profile as the evaluator reads it: the value of a top-level property by slot.
protocol MappingRow {
    func value(slot: Int, name: String) -> Value?
}

/// One row of a ``ProfileBatch``.
struct BatchRow: MappingRow {
    let batch: ProfileBatch
    let row: Int

    @inline(__always)
    func value(slot: Int, name: String) -> Value? { batch[row, slot] }
}

/// Evaluates type-checked nodes against one profile.
///
/// Results are `Value?`: nil is a missing value (an absent property or JSON member), `.null` a
/// null one. The difference shows in concatenation and `map`, which skip what is missing.
enum Evaluator {
    static func evaluate<Row: MappingRow>(_ node: Node, _ row: Row) throws(ValueError) -> Value? {
        switch node {
        case .constant(let value):
            return value
        case .path(let plan):
            return try read(plan, row)
        case .concatenation(let parts):
            var text = ""
            for part in parts {
                switch try evaluate(part, row) {
                case nil, .null?: continue
                case .json(.null)?: text += "null"
                case .json(.string(let s))?: text += s
                case .json(let json)?: JSONWriter.write(json, to: &text)
                case .string(let s)?: text += s
                case let value?: text += value.text
                }
            }
            return .string(text)
        case .call(let function, let arguments, let types):
            return try call(function, arguments, types, row)
        case .toJSON(let inner):
            guard let value = try evaluate(inner, row) else { return nil }
            if value.isNull { return value }
            return .json(value.json)
        }
    }

    private static func read<Row: MappingRow>(_ plan: PathPlan, _ row: Row) throws(ValueError) -> Value? {
        var current = row.value(slot: plan.slot, name: plan.name)
        for step in plan.steps {
            guard let value = current, !value.isNull else { return current }
            switch step {
            case .member(let key):
                switch value {
                case .object(let object), .map(let object): current = object[key]
                default: return nil
                }
            case .json(let key):
                guard case .json(let json) = value else { return nil }
                guard case .object(let object) = json else {
                    if plan.optional { return .null }
                    throw ValueError(
                        "cannot read \"\(key)\" in \"\(plan.display)\": the value is \(json.typeName), not an object (write \"\(plan.display)?\" to get null instead)")
                }
                current = object[key].map(Value.json)
            }
        }
        return current
    }

    /// True, false, or nil for null; JSON booleans count, anything else is an error.
    static func truth(_ value: Value?, _ function: MappingFunction) throws(ValueError) -> Bool? {
        switch value {
        case nil, .null?, .json(.null)?: return nil
        case .boolean(let flag)?, .json(.bool(let flag))?: return flag
        case let value?: throw ValueError("\(describe(value)) is not a boolean, as \(function.rawValue) requires")
        }
    }

    private static func describe(_ value: Value) -> String {
        if case .json(let json) = value { return ValueError.quote(JSONWriter.string(json)) }
        return ValueError.quote(value.text)
    }

    private static func call<Row: MappingRow>(
        _ function: MappingFunction, _ arguments: [Node], _ types: [DataType?], _ row: Row
    ) throws(ValueError) -> Value? {
        switch function {
        case .and, .or:
            // Three-valued: a deciding value (false for and, true for or) wins over null.
            let decisive = function == .or
            var sawNull = false
            for argument in arguments {
                switch try truth(try evaluate(argument, row), function) {
                case nil: sawNull = true
                case decisive?: return .boolean(decisive)
                default: break
                }
            }
            return sawNull ? .null : .boolean(!decisive)
        case .not:
            guard let flag = try truth(try evaluate(arguments[0], row), function) else { return .null }
            return .boolean(!flag)
        case .eq, .ne:
            guard let equal = try equal(arguments, types, row) else { return .null }
            return .boolean(function == .eq ? equal : !equal)
        case .if:
            if try truth(try evaluate(arguments[0], row), function) == true {
                return try evaluate(arguments[1], row)
            }
            return arguments.count > 2 ? try evaluate(arguments[2], row) : .null
        case .coalesce:
            for argument in arguments {
                if let value = try evaluate(argument, row), !value.isNull, value != .json(.null) { return value }
            }
            return .null
        case .array:
            var items: [Value] = []
            items.reserveCapacity(arguments.count)
            for argument in arguments {
                let value = try evaluate(argument, row) ?? .null
                items.append(.json(value.json))
            }
            return .array(items)
        case .map:
            var members: [(key: String, value: Value)] = []
            members.reserveCapacity(arguments.count / 2)
            for index in stride(from: 0, to: arguments.count, by: 2) {
                guard case .constant(.string(let key)) = arguments[index] else { continue }
                let value = try evaluate(arguments[index + 1], row)
                if case .path = arguments[index + 1], value == nil || value == .null { continue }
                members.append((key, .json((value ?? .null).json)))
            }
            return .map(ValueObject(members))
        case .jsonParse:
            guard let value = try evaluate(arguments[0], row), !value.isNull else { return .null }
            if case .json(let json) = value {
                guard case .string(let text) = json else { return value }
                return try parse(text)
            }
            return try parse(try Conversion.string(value))
        case .len:
            return .int(Int64(length(try evaluate(arguments[0], row))))
        case .lower, .upper, .initcap, .trim, .ltrim, .rtrim:
            guard let value = try evaluate(arguments[0], row), !value.isNull, value != .json(.null) else { return .null }
            let text = try Conversion.string(value)
            switch function {
            case .lower: return .string(text.lowercased())
            case .upper: return .string(text.uppercased())
            case .initcap: return .string(initcap(text))
            case .trim: return .string(trim(text, leading: true, trailing: true))
            case .ltrim: return .string(trim(text, leading: true, trailing: false))
            default: return .string(trim(text, leading: false, trailing: true))
            }
        case .md5, .sha256, .base64:
            guard let value = try evaluate(arguments[0], row), !value.isNull, value != .json(.null) else { return .null }
            let bytes = Array(try Conversion.string(value).utf8)
            switch function {
            case .md5: return .string(Digest.hex(Digest.md5(bytes)))
            case .sha256: return .string(Digest.hex(Digest.sha256(bytes)))
            default: return .string(Data(bytes).base64EncodedString())
            }
        case .escape:
            guard let value = try evaluate(arguments[0], row), !value.isNull, value != .json(.null) else { return .null }
            let special = Set(try Conversion.string(try evaluate(arguments[1], row) ?? .string("")))
            var out = ""
            for character in try Conversion.string(value) {
                if character == "\\" || special.contains(character) { out.append("\\") }
                out.append(character)
            }
            return .string(out)
        case .substring:
            guard let value = try evaluate(arguments[0], row), !value.isNull, value != .json(.null),
                let start = try integer(try evaluate(arguments[1], row))
            else { return .null }
            var length: Int64?
            if arguments.count > 2 {
                guard let n = try integer(try evaluate(arguments[2], row)) else { return .null }
                if n < 0 { throw ValueError("the length of substring must not be negative, found \(n)") }
                length = n
            }
            let scalars = try Conversion.string(value).unicodeScalars
            let skip = Int(clamping: max(start, 1) - 1)
            guard skip < scalars.count else { return .string("") }
            let from = scalars.index(scalars.startIndex, offsetBy: skip)
            var to = scalars.endIndex
            if let length, let end = scalars.index(from, offsetBy: Int(clamping: length), limitedBy: scalars.endIndex) {
                to = end
            }
            return .string(String(scalars[from..<to]))
        }
    }

    /// eq and ne: nil when a side is null; otherwise the first converted to the type of the second,
    /// and false when that conversion fails.
    private static func equal<Row: MappingRow>(_ arguments: [Node], _ types: [DataType?], _ row: Row) throws(ValueError) -> Bool? {
        guard let left = try evaluate(arguments[0], row), !left.isNull,
            let right = try evaluate(arguments[1], row), !right.isNull,
            let type = types[1]
        else { return nil }
        if type.kind == .json {
            // A decimal is written to JSON as a string, but compared with JSON it is the number it is.
            if case .decimal(let d) = left { return jsonEqual(.number(d.description), right.json) }
            return jsonEqual(left.json, right.json)
        }
        if left == .json(.null) { return nil }
        guard let converted = try? Conversion.convert(left, to: type) else { return false }
        return converted == right
    }

    /// JSON equality where numbers compare by value (1.0 equals 1) and object member order does not matter.
    static func jsonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            guard let l = DecimalValue(x), let r = DecimalValue(y) else { return x == y }
            return l == r
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { jsonEqual($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.members.allSatisfy { member in y[member.key].map { jsonEqual(member.value, $0) } ?? false }
        default:
            return a == b
        }
    }

    private static func parse(_ text: String) throws(ValueError) -> Value {
        do {
            return .json(try JSONParser.parse(text))
        } catch {
            throw ValueError("\(ValueError.quote(text)) is not valid JSON (\(error.message))")
        }
    }

    /// An int argument (substring's start and length); nil for null.
    private static func integer(_ value: Value?) throws(ValueError) -> Int64? {
        guard let value, !value.isNull, value != .json(.null) else { return nil }
        switch try Conversion.convert(value, to: .int(IntType())) {
        case .int(let n): return n
        default: return Int64.max
        }
    }

    /// Runes of a string, elements of an array, keys of an object or map, 0 for null, and the
    /// characters of the text of anything else (a number, a boolean, a date).
    static func length(_ value: Value?) -> Int {
        switch value {
        case nil, .null?, .json(.null)?: return 0
        case .string(let text)?, .json(.string(let text))?: return text.unicodeScalars.count
        case .array(let items)?: return items.count
        case .json(.array(let items))?: return items.count
        case .object(let object)?, .map(let object)?: return object.count
        case .json(.object(let object))?: return object.count
        case .json(let json)?: return JSONWriter.string(json).unicodeScalars.count
        case let value?: return value.text.unicodeScalars.count
        }
    }

    /// Title case: the first letter or digit of each word upper-cased, the rest lower-cased.
    static func initcap(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var inWord = false
        for character in text {
            if character.isLetter || character.isNumber {
                out += inWord ? character.lowercased() : character.uppercased()
                inWord = true
            } else {
                out.append(character)
                inWord = false
            }
        }
        return out
    }

    static func trim(_ text: String, leading: Bool, trailing: Bool) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        if leading {
            while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        }
        if trailing {
            while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        }
        return String(scalars[start..<end])
    }
}
