import OutflowCore

/// Builds the `user` argument of `transform(user)`: only the function's inPaths, nested as in
/// inSchema, read straight from a batch row (DESIGN section 8).
///
/// With `preserveJSON`, json values are passed as their JSON text instead of parsed values.
struct FunctionInput: Sendable {
    private struct Path: Sendable {
        var components: [String]
        /// The top-level slot of the first component in the rows read.
        var slot: Int?
        /// The declared type at the path, so nested objects are cut to inSchema's properties.
        var type: DataType
    }

    private let paths: [Path]
    private let preserveJSON: Bool
    let rowWidth: Int

    init(_ function: TransformationFunction, inSchema: ObjectType, rowSchema: ObjectType) {
        paths = function.inPaths.compactMap { text in
            guard let path = PropertyPath(parsing: text), let property = inSchema.property(at: path) else { return nil }
            return Path(components: path.components, slot: rowSchema.index(of: path.components[0]), type: property.type)
        }
        preserveJSON = function.preserveJSON
        rowWidth = rowSchema.properties.count
    }

    /// The argument for row `row` of `batch`.
    func argument(_ batch: ProfileBatch, row: Int) -> ValueObject {
        var user = ValueObject()
        for path in paths {
            guard let slot = path.slot, var value = batch[row, slot] else { continue }
            var found = true
            for component in path.components.dropFirst() {
                guard case .object(let object) = value, let member = object[component] else {
                    found = false
                    break
                }
                value = member
            }
            guard found else { continue }
            Self.insert(prepare(value, path.type), at: path.components[...], into: &user)
        }
        return user
    }

    /// The argument for a profile given as an object (top-level properties looked up by name).
    func argument(_ profile: ValueObject) -> ValueObject {
        var user = ValueObject()
        for path in paths {
            var current: Value? = .object(profile)
            for component in path.components {
                guard case .object(let object)? = current else {
                    current = nil
                    break
                }
                current = object[component]
            }
            guard let value = current else { continue }
            Self.insert(prepare(value, path.type), at: path.components[...], into: &user)
        }
        return user
    }

    private static func insert(_ value: Value, at components: ArraySlice<String>, into object: inout ValueObject) {
        guard let first = components.first else { return }
        if components.count == 1 {
            object[first] = value
            return
        }
        var nested: ValueObject
        if case .object(let existing)? = object[first] { nested = existing } else { nested = ValueObject() }
        insert(value, at: components.dropFirst(), into: &nested)
        object[first] = .object(nested)
    }

    /// `value` cut to the declared type's properties, with json as text when preserveJSON is set.
    private func prepare(_ value: Value, _ type: DataType) -> Value {
        switch (value, type) {
        case (.json(let json), .json):
            return preserveJSON ? .string(JSONWriter.string(json)) : value
        case (.object(let object), .object(let declared)):
            var members: [(key: String, value: Value)] = []
            members.reserveCapacity(declared.properties.count)
            for property in declared.properties {
                if let member = object[property.name] { members.append((property.name, prepare(member, property.type))) }
            }
            return .object(ValueObject(members))
        case (.array(let items), .array(let declared)):
            guard preserveJSON, declared.elementType.kind == .json || declared.elementType.kind == .object else { return value }
            return .array(items.map { prepare($0, declared.elementType) })
        case (.map(let object), .map(let element)):
            guard preserveJSON, element.kind == .json || element.kind == .object else { return value }
            return .map(ValueObject(object.members.map { (key: $0.key, value: prepare($0.value, element)) }))
        default:
            return value
        }
    }
}
