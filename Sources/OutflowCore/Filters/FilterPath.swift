/// Where a filter condition's property lives in a profile: a top-level slot of the batch, the members
/// of nested objects under it, and the keys of a JSON value below a json property.
///
/// A condition's property is a dotted path through objects (`address.country`) that may continue
/// inside a json property, with dots or, for keys that are not names, brackets:
/// `traits.plan`, `traits["odd key"].level`.
///
/// ```swift
/// let location = try FilterPath.resolve("traits.plan", in: schema).get()
/// // location.slot == schema.index(of: "traits"), location.jsonPath == ["plan"]
/// ```
struct FilterPath: Sendable {
    /// The schema's top-level property the path starts at, which is the batch slot.
    var slot: Int
    /// Member names of nested objects below the top-level property.
    var objectPath: [String]
    /// Keys inside the json property's value, when the path continues inside one.
    var jsonPath: [String]
    /// The property the path names, or the json property it continues inside.
    var property: Property
    /// Path up to `property` in dotted form, for messages.
    var propertyName: String

    var isInsideJSON: Bool { !jsonPath.isEmpty }

    /// One segment of a written path: a name after a dot or a quoted key in brackets.
    struct Segment: Equatable {
        var key: String
        var bracketed: Bool
    }

    /// Why a path does not resolve, as a message for the person who wrote it.
    struct Failure: Error {
        var message: String
    }

    /// Splits `a.b["odd key"].c` into its segments; nil when it is malformed.
    static func segments(_ text: String) -> [Segment]? {
        let bytes = Array(text.utf8)
        var segments: [Segment] = []
        var index = 0
        while true {
            if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
                // ["key"], with \" and \\ escapes.
                guard !segments.isEmpty, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") else { return nil }
                index += 2
                var key: [UInt8] = []
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\\") {
                        guard index + 1 < bytes.count else { return nil }
                        key.append(bytes[index + 1])
                        index += 2
                    } else if byte == UInt8(ascii: "\"") {
                        closed = true
                        index += 1
                        break
                    } else {
                        key.append(byte)
                        index += 1
                    }
                }
                guard closed, index < bytes.count, bytes[index] == UInt8(ascii: "]") else { return nil }
                index += 1
                segments.append(Segment(key: String(decoding: key, as: UTF8.self), bracketed: true))
            } else {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "."), bytes[index] != UInt8(ascii: "[") { index += 1 }
                guard index > start else { return nil }
                segments.append(Segment(key: String(decoding: bytes[start..<index], as: UTF8.self), bracketed: false))
            }
            if index == bytes.count { return segments }
            if bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count else { return nil }
            }
        }
    }

    /// Resolves `text` against `schema`: through objects, then inside a json property.
    static func resolve(_ text: String, in schema: ObjectType) -> Result<FilterPath, Failure> {
        guard let segments = segments(text) else {
            return .failure(Failure(message: "property path \"\(text)\" is not valid (write a.b, or a.b[\"key\"] inside a json property)"))
        }
        var object = schema
        var slot = 0
        var objectPath: [String] = []
        var names: [String] = []
        for (position, segment) in segments.enumerated() {
            guard !segment.bracketed, let index = object.index(of: segment.key) else {
                let hint = Suggestion.hint(for: text, in: schema.paths.map(\.description))
                return .failure(Failure(message: "property \"\(text)\" is not in the schema" + hint))
            }
            let property = object.properties[index]
            if position == 0 { slot = index } else { objectPath.append(segment.key) }
            names.append(segment.key)
            let name = names.joined(separator: ".")
            let rest = segments[(position + 1)...]
            if rest.isEmpty {
                return .success(FilterPath(slot: slot, objectPath: objectPath, jsonPath: [], property: property, propertyName: name))
            }
            switch property.type {
            case .object(let nested):
                object = nested
            case .json:
                return .success(FilterPath(slot: slot, objectPath: objectPath, jsonPath: rest.map(\.key), property: property, propertyName: name))
            default:
                return .failure(
                    Failure(message: "property \"\(text)\" is not in the schema: \"\(name)\" is \(property.type.name), not an object or json"))
            }
        }
        return .failure(Failure(message: "property path \"\(text)\" is not valid"))
    }
}
