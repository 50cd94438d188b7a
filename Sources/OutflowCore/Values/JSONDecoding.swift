import Foundation

/// Decodes a JSON value (a JSON or NDJSON profile, a json cell of a CSV) into a ``Value`` of a type.
///
/// JSON numbers decode into int, float, decimal and year; strings into every textual kind
/// (datetime, uuid, ...), decimal too. Objects decode property by property; a member the object
/// type does not declare is an error naming it, because a misspelt column must not vanish.
public enum JSONDecoding {
    public static func decode(_ json: JSONValue, as type: DataType, nullable: Bool = true) throws(ValueError) -> Value {
        if case .null = json {
            if case .json = type { return .json(.null) }
            guard nullable else { throw ValueError("null is not allowed") }
            return .null
        }
        switch type {
        case .json:
            return .json(json)
        case .string, .datetime, .date, .time, .uuid, .ip:
            guard case .string(let text) = json else { throw mismatch(json, type) }
            return try TextDecoding.decode(text, as: type)
        case .boolean:
            guard case .bool(let flag) = json else { throw mismatch(json, type) }
            return .boolean(flag)
        case .int, .float, .year:
            guard case .number(let text) = json else { throw mismatch(json, type) }
            if case .int = type, text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                guard let decimal = DecimalValue(text), let whole = decimal.rescaled(to: 0) else {
                    throw ValueError("«\(text)» is not an integer")
                }
                return try TextDecoding.decode(whole.description, as: type)
            }
            return try TextDecoding.decode(text, as: type)
        case .decimal:
            switch json {
            case .number(let text), .string(let text): return try TextDecoding.decode(text, as: type)
            default: throw mismatch(json, type)
            }
        case .array(let t):
            guard case .array(let items) = json else { throw mismatch(json, type) }
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                do {
                    values.append(try decode(item, as: t.elementType, nullable: true))
                } catch {
                    throw ValueError("element \(index): \(error.message)")
                }
            }
            try Constraints.check(array: values, t)
            return .array(values)
        case .object(let t):
            guard case .object(let object) = json else { throw mismatch(json, type) }
            return .object(try decodeObject(object, t))
        case .map(let element):
            guard case .object(let object) = json else { throw mismatch(json, type) }
            var members: [(key: String, value: Value)] = []
            for member in object.members {
                do {
                    members.append((member.key, try decode(member.value, as: element, nullable: true)))
                } catch {
                    throw ValueError("«\(member.key)»: \(error.message)")
                }
            }
            return .map(ValueObject(members))
        }
    }

    /// Decodes the members of `object` by the properties of `type`, in the type's order.
    public static func decodeObject(_ object: JSONObject, _ type: ObjectType) throws(ValueError) -> ValueObject {
        var members: [(key: String, value: Value)] = []
        members.reserveCapacity(type.properties.count)
        for member in object.members where type.property(named: member.key) == nil {
            throw ValueError(
                "unknown property «\(member.key)»" + Suggestion.hint(for: member.key, in: type.properties.map(\.name)))
        }
        for property in type.properties {
            guard let json = object[property.name] else { continue }
            do {
                members.append((property.name, try decode(json, as: property.type, nullable: property.nullable)))
            } catch {
                throw ValueError("«\(property.name)»: \(error.message)")
            }
        }
        return ValueObject(members)
    }

    static func mismatch(_ json: JSONValue, _ type: DataType) -> ValueError {
        ValueError("expected a JSON value for \(type.name), found \(json.typeName) \(ValueError.quote(JSONWriter.string(json)))")
    }
}
