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

    /// One top-level key of the argument, for hosts that build it straight from a batch's slots.
    struct Entry: Sendable {
        var name: String
        var slot: Int
        /// The key is one whole top-level property: a scalar slot can be converted as it is.
        var whole: Bool
        /// The inPaths under this key, as indices into `paths`.
        fileprivate var paths: [Int]
    }

    private let paths: [Path]
    private let preserveJSON: Bool
    let rowWidth: Int
    /// The schema of the rows arguments are read from.
    let rowSchema: ObjectType
    /// The argument's top-level keys in the order ``argument(_:row:)`` inserts them; nil when
    /// that order depends on which values a row has (paths of one key interleaved with another's).
    let entries: [Entry]?

    init(_ function: TransformationFunction, inSchema: ObjectType, rowSchema: ObjectType) {
        paths = function.inPaths.compactMap { text in
            guard let path = PropertyPath(parsing: text), let property = inSchema.property(at: path) else { return nil }
            return Path(components: path.components, slot: rowSchema.index(of: path.components[0]), type: property.type)
        }
        preserveJSON = function.preserveJSON
        rowWidth = rowSchema.properties.count
        self.rowSchema = rowSchema
        entries = Self.entries(paths)
    }

    private static func entries(_ paths: [Path]) -> [Entry]? {
        var entries: [Entry] = []
        for (index, path) in paths.enumerated() {
            guard let slot = path.slot else { continue }
            let name = path.components[0]
            if let last = entries.last, last.name == name {
                entries[entries.count - 1].paths.append(index)
                entries[entries.count - 1].whole = false
            } else if entries.contains(where: { $0.name == name }) {
                return nil
            } else {
                entries.append(Entry(name: name, slot: slot, whole: path.components.count == 1, paths: [index]))
            }
        }
        return entries
    }

    /// The value of one top-level key of the argument for row `row`, as ``argument(_:row:)``
    /// would give it (cut to inSchema, json as text with preserveJSON); nil when absent.
    func value(_ batch: ProfileBatch, row: Int, _ entry: Entry) -> Value? {
        if entry.whole {
            guard let value = batch[row, entry.slot] else { return nil }
            return prepare(value, paths[entry.paths[0]].type)
        }
        var user = ValueObject()
        for index in entry.paths {
            let path = paths[index]
            guard let value = Self.member(batch[row, entry.slot], path.components.dropFirst()) else { continue }
            Self.insert(prepare(value, path.type), at: path.components[...], into: &user)
        }
        return user[entry.name]
    }

    /// The value below a top-level value along `components` through nested objects; nil when the
    /// top-level value or a member on the way is missing.
    static func member(_ top: Value?, _ components: ArraySlice<String>) -> Value? {
        guard var value = top else { return nil }
        for component in components {
            guard case .object(let object) = value, let next = object[component] else { return nil }
            value = next
        }
        return value
    }

    /// The argument for row `row` of `batch`.
    func argument(_ batch: ProfileBatch, row: Int) -> ValueObject {
        var user = ValueObject()
        for path in paths {
            guard let slot = path.slot, let value = Self.member(batch[row, slot], path.components.dropFirst()) else { continue }
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
