import Foundation

/// The Krenalis conversion matrix (DESIGN section 7): which kinds a value may be converted to, and
/// the conversion itself, with the target type's range and constraint checks.
///
/// ```swift
/// Conversion.isAllowed(from: .boolean, to: .int(IntType(bitSize: 8)))      // true
/// try Conversion.convert(.float(34.5), to: .int(IntType()))                 // .int(35)
/// ```
enum Conversion {
    /// True when the type checker accepts an expression of type `from` for a property of type `to`.
    static func isAllowed(from: DataType, to: DataType) -> Bool {
        switch (from, to) {
        case (.json, _), (_, .json):
            return true
        case (.string, _):
            return to.kind.isScalar
        case (.boolean, .string), (.boolean, .boolean):
            return true
        case (.boolean, .int(let t)):
            return t.bitSize == 8
        case (.int(let t), .boolean):
            return t.bitSize == 8
        case (.int, .string), (.int, .int), (.int, .float), (.int, .decimal), (.int, .year):
            return true
        case (.float, .string), (.float, .int), (.float, .float), (.float, .decimal),
            (.decimal, .string), (.decimal, .int), (.decimal, .float), (.decimal, .decimal):
            return true
        case (.datetime, .string), (.datetime, .datetime), (.datetime, .date), (.datetime, .time):
            return true
        case (.date, .string), (.date, .datetime), (.date, .date):
            return true
        case (.time, .string), (.time, .time), (.uuid, .string), (.uuid, .uuid), (.ip, .string), (.ip, .ip):
            return true
        case (.year, .string), (.year, .int), (.year, .year):
            return true
        case (.array(let a), .array(let b)):
            return isAllowed(from: a.elementType, to: b.elementType)
        case (.object(let a), .object(let b)):
            return b.properties.allSatisfy { p in a.property(named: p.name).map { isAllowed(from: $0.type, to: p.type) } ?? true }
        case (.object(let a), .map(let element)):
            return a.properties.allSatisfy { isAllowed(from: $0.type, to: element) }
        case (.map(let element), .object(let b)):
            return b.properties.allSatisfy { isAllowed(from: element, to: $0.type) }
        case (.map(let a), .map(let b)):
            return isAllowed(from: a, to: b)
        default:
            return false
        }
    }

    /// `value` (not null) as a value of `type`, or an error naming the value and the broken rule.
    static func convert(_ value: Value, to type: DataType) throws(ValueError) -> Value {
        if case .json(let json) = value {
            return try convertJSON(json, to: type)
        }
        switch type {
        case .string(let t):
            let text = try string(value)
            try Constraints.check(string: text, t)
            return .string(text)
        case .boolean:
            switch value {
            case .boolean: return value
            case .string(let text): return .boolean(try boolean(text))
            case .int(let n): return .boolean(n != 0)
            case .uint: return .boolean(true)
            default: throw cannot(value, type)
            }
        case .int(let t):
            return try integer(value, t)
        case .float(let t):
            let number: Double
            switch value {
            case .float(let d): number = d
            case .int(let n): number = Double(n)
            case .uint(let n): number = Double(n)
            case .decimal(let d): number = d.doubleValue
            case .string(let text): return try TextDecoding.decode(text, as: type)
            default: throw cannot(value, type)
            }
            try Constraints.check(float: number, t)
            return .float(t.bitSize == 32 ? Double(Float(number)) : number)
        case .decimal(let t):
            switch value {
            case .decimal(let d): return .decimal(try Constraints.checked(decimal: d, t))
            case .int(let n): return .decimal(try Constraints.checked(decimal: DecimalValue(n), t))
            case .uint(let n): return .decimal(try Constraints.checked(decimal: DecimalValue(String(n)) ?? DecimalValue(0), t))
            case .float(let d):
                guard d.isFinite else { throw ValueError("«\(value.text)» is out of range for \(type.name)") }
                let text = String(format: "%.\(t.scale)f", d)
                return .decimal(try Constraints.checked(decimal: DecimalValue(text) ?? DecimalValue(0), t))
            case .string(let text): return try TextDecoding.decode(text, as: type)
            default: throw cannot(value, type)
            }
        case .datetime:
            switch value {
            case .datetime: return value
            case .date(let d): return .datetime(DateTimeValue(seconds: Int64(d.days) * 86_400))
            case .string(let text): return try TextDecoding.decode(text, as: type)
            default: throw cannot(value, type)
            }
        case .date:
            switch value {
            case .date: return value
            case .datetime(let d): return .date(d.date)
            case .string(let text): return .date(try date(text))
            default: throw cannot(value, type)
            }
        case .time:
            switch value {
            case .time: return value
            case .datetime(let d): return .time(d.time)
            case .string(let text): return try TextDecoding.decode(text, as: type)
            default: throw cannot(value, type)
            }
        case .year:
            switch value {
            case .year: return value
            case .int(let n): return .year(try year(n, text: value.text))
            case .uint: throw yearRange(value.text)
            case .string(let text): return .year(try year(text))
            default: throw cannot(value, type)
            }
        case .uuid, .ip:
            if value.kind == type.kind { return value }
            guard case .string(let text) = value else { throw cannot(value, type) }
            return try TextDecoding.decode(text, as: type)
        case .json:
            return .json(value.json)
        case .array(let t):
            guard case .array(let items) = value else { throw cannot(value, type) }
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try element(item, t.elementType)) }
            try Constraints.check(array: out, t)
            return .array(out)
        case .object(let t):
            switch value {
            case .object(let object), .map(let object): return .object(try members(object, t))
            default: throw cannot(value, type)
            }
        case .map(let element):
            switch value {
            case .object(let object), .map(let object):
                var out: [(key: String, value: Value)] = []
                out.reserveCapacity(object.count)
                for member in object.members { out.append((member.key, try self.element(member.value, element))) }
                return .map(ValueObject(out))
            default: throw cannot(value, type)
            }
        }
    }

    /// A JSON value as a value of `type`: strings convert as strings, numbers as decimals, an array
    /// element by element, a scalar to an array by wrapping it.
    private static func convertJSON(_ json: JSONValue, to type: DataType) throws(ValueError) -> Value {
        switch (json, type) {
        case (_, .json):
            return .json(json)
        case (.null, _):
            throw ValueError("JSON null is not a \(type.name) value")
        case (.string(let text), _) where type.kind.isScalar:
            return try convert(.string(text), to: type)
        case (.number(let text), .string), (.number(let text), .int), (.number(let text), .float),
            (.number(let text), .decimal), (.number(let text), .year):
            guard let number = DecimalValue(text) else { throw ValueError("«\(text)» is not a number") }
            if case .float = type, let d = Double(text) { return try convert(.float(d), to: type) }
            if case .string = type { return try convert(.string(text), to: type) }
            if case .decimal = type { return try convert(.decimal(number), to: type) }
            guard let whole = number.rescaled(to: 0) else { throw ValueError("«\(text)» is not an integer") }
            guard let parsed = integerParts(whole.description) else { throw ValueError("«\(text)» is out of range for \(type.name)") }
            if case .year = type {
                guard !parsed.negative, parsed.magnitude <= 9999 else { throw yearRange(text) }
                return .year(try year(Int64(parsed.magnitude), text: text))
            }
            if case .int(let t) = type { return try Constraints.checked(integer: parsed, t, text: { text }) }
            throw cannot(.json(json), type)
        case (.bool(let flag), .boolean):
            return .boolean(flag)
        case (.bool(let flag), .string):
            return try convert(.string(flag ? "true" : "false"), to: type)
        case (.bool(let flag), .int(let t)) where t.bitSize == 8:
            return try convert(.int(flag ? 1 : 0), to: type)
        case (.array(let items), .array(let t)):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try element(.json(item), t.elementType)) }
            try Constraints.check(array: out, t)
            return .array(out)
        case (.object, .array):
            throw cannot(.json(json), type)
        case (_, .array(let t)):
            if let max = t.maxElements, max < 1 { throw cannot(.json(json), type) }
            if let min = t.minElements, min > 1 { throw cannot(.json(json), type) }
            return .array([try element(.json(json), t.elementType)])
        case (.object(let object), .object(let t)):
            return .object(try members(ValueObject(object.members.map { (key: $0.key, value: Value.json($0.value)) }), t))
        case (.object(let object), .map(let element)):
            var out: [(key: String, value: Value)] = []
            out.reserveCapacity(object.count)
            for member in object.members { out.append((member.key, try self.element(.json(member.value), element))) }
            return .map(ValueObject(out))
        default:
            throw cannot(.json(json), type)
        }
    }

    /// An element of an array or map: null stays null (JSON null for json elements).
    private static func element(_ value: Value, _ type: DataType) throws(ValueError) -> Value {
        if value.isNull || value == .json(.null) {
            return type.kind == .json ? .json(.null) : .null
        }
        return try convert(value, to: type)
    }

    /// The members of `object` that `type` declares, converted, in the type's order.
    private static func members(_ object: ValueObject, _ type: ObjectType) throws(ValueError) -> ValueObject {
        var out: [(key: String, value: Value)] = []
        out.reserveCapacity(type.properties.count)
        for property in type.properties {
            guard let value = object[property.name] else { continue }
            do throws(ValueError) {
                if value.isNull || value == .json(.null) {
                    if property.type.kind == .json {
                        out.append((property.name, .json(.null)))
                    } else if property.nullable {
                        out.append((property.name, .null))
                    } else {
                        throw ValueError("null is not allowed")
                    }
                } else {
                    out.append((property.name, try convert(value, to: property.type)))
                }
            } catch {
                throw ValueError("«\(property.name)»: \(error.message)")
            }
        }
        return ValueObject(out)
    }

    /// The text of a scalar, as a string property receives it.
    static func string(_ value: Value) throws(ValueError) -> String {
        switch value {
        case .string(let text), .ip(let text): return text
        case .json(.string(let text)): return text
        case .json(.array), .json(.object), .array, .object, .map: throw cannot(value, .string(StringType()))
        default: return value.text
        }
    }

    /// true/false/yes/no in any case.
    static func boolean(_ text: String) throws(ValueError) -> Bool {
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw ValueError("\(ValueError.quote(text)) is not a boolean (expected true, false, yes or no)")
        }
    }

    private static func integerParts(_ text: String) -> (negative: Bool, magnitude: UInt64)? {
        var copy = text
        return copy.withUTF8 { TextDecoding.parseInteger($0) }
    }

    private static func integer(_ value: Value, _ t: IntType) throws(ValueError) -> Value {
        let text = { value.text }
        switch value {
        case .int(let n): return try Constraints.checked(integer: (n < 0, n.magnitude), t, text: text)
        case .uint(let n): return try Constraints.checked(integer: (false, n), t, text: text)
        case .year(let n): return try Constraints.checked(integer: (n < 0, UInt64(n.magnitude)), t, text: text)
        case .boolean(let flag): return try Constraints.checked(integer: (false, flag ? 1 : 0), t, text: text)
        case .string(let string):
            guard let parsed = integerParts(string) else { throw TextDecoding.invalid(string, .int(t)) }
            return try Constraints.checked(integer: parsed, t, text: { string })
        case .float(let d):
            // Half away from zero, as Krenalis (Go's math.Round) does: 34.5 -> 35, -0.5 -> -1.
            let rounded = d.rounded(.toNearestOrAwayFromZero)
            if rounded >= -9_223_372_036_854_775_808.0, rounded < 9_223_372_036_854_775_808.0 {
                let n = Int64(rounded)
                return try Constraints.checked(integer: (n < 0, n.magnitude), t, text: text)
            }
            if rounded >= 0, rounded < 18_446_744_073_709_551_616.0 {
                return try Constraints.checked(integer: (false, UInt64(rounded)), t, text: text)
            }
            throw Constraints.outOfRange(value.text, t)
        case .decimal(let d):
            guard let whole = d.rescaled(to: 0) else { throw ValueError("«\(d)» is not an integer") }
            guard let parsed = integerParts(whole.description) else { throw Constraints.outOfRange(d.description, t) }
            return try Constraints.checked(integer: parsed, t, text: text)
        default:
            throw cannot(value, .int(t))
        }
    }

    private static func yearRange(_ text: String) -> ValueError {
        ValueError("\(ValueError.quote(text)) is not a valid year (expected 1 to 9999)")
    }

    private static func year(_ n: Int64, text: String) throws(ValueError) -> Int {
        guard (1...9999).contains(n) else { throw yearRange(text) }
        return Int(n)
    }

    /// One to four digits without a sign or a leading zero.
    private static func year(_ text: String) throws(ValueError) -> Int {
        let utf8 = text.utf8
        guard (1...4).contains(utf8.count), utf8.first != UInt8(ascii: "0"),
            utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let n = Int(text)
        else { throw yearRange(text) }
        return n
    }

    /// `YYYY-MM-DD`, `MM/DD/YYYY`, `MM.DD.YYYY`, or a spreadsheet serial day number (`44927` is
    /// 2023-01-01; day 60, the 1900-02-29 that never was, is refused).
    static func date(_ text: String) throws(ValueError) -> DateValue {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                n = n * 10 + Int(d)
            }
            return n
        }
        let invalid = ValueError("\(ValueError.quote(text)) is not a valid date (expected YYYY-MM-DD, MM/DD/YYYY, MM.DD.YYYY or a serial day number)")
        if bytes.count == 10 {
            var parts: (Int?, Int?, Int?) = (nil, nil, nil)
            if bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") {
                parts = (number(0..<4), number(5..<7), number(8..<10))
            } else if (bytes[2] == UInt8(ascii: "/") && bytes[5] == UInt8(ascii: "/")) || (bytes[2] == UInt8(ascii: ".") && bytes[5] == UInt8(ascii: ".")) {
                parts = (number(6..<10), number(0..<2), number(3..<5))
            }
            guard let y = parts.0, let m = parts.1, let d = parts.2 else { throw invalid }
            guard (1...9999).contains(y) else { throw ValueError("\(ValueError.quote(text)) is not a valid date (year not in 1 to 9999)") }
            guard let date = DateValue(year: y, month: m, day: d) else { throw invalid }
            return date
        }
        // A serial number: at least 3 characters, digits with at most one inner point.
        let points = bytes.filter { $0 == UInt8(ascii: ".") }.count
        guard bytes.count >= 3, points <= 1, bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: "."),
            bytes.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }),
            let serial = Double(text), serial < 3_000_000
        else { throw invalid }
        var days = Int(serial)
        if days == 60 { throw invalid }
        if days > 60 { days -= 1 }
        // Day 1 is 1900-01-01, so day 0 is 1899-12-31.
        let epoch = DateValue.daysFromCivil(year: 1899, month: 12, day: 31)
        let date = DateValue(days: Int32(epoch + days))
        guard date.days <= DateValue.maximumDays else { throw ValueError("\(ValueError.quote(text)) is not a valid date (year not in 1 to 9999)") }
        return date
    }

    static func cannot(_ value: Value, _ type: DataType) -> ValueError {
        let what: String
        switch value {
        case .json(let json): what = "the JSON \(json.typeName.split(separator: " ").last ?? "value") \(ValueError.quote(JSONWriter.string(json)))"
        case .array, .object, .map: what = "a value of kind \(value.kind)"
        default: what = ValueError.quote(value.text)
        }
        return ValueError("cannot convert \(what) to \(type.name)")
    }
}

extension Value {
    /// The kind a value of this case has.
    var kind: Kind {
        switch self {
        case .null, .json: return .json
        case .boolean: return .boolean
        case .int, .uint: return .int
        case .float: return .float
        case .decimal: return .decimal
        case .string: return .string
        case .datetime: return .datetime
        case .date: return .date
        case .time: return .time
        case .year: return .year
        case .uuid: return .uuid
        case .ip: return .ip
        case .array: return .array
        case .object: return .object
        case .map: return .map
        }
    }
}
