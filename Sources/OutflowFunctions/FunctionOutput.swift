import OutflowCore

/// Checks what `transform(user)` returned and turns it into the user to export: only outPaths may
/// appear, and each value goes through the same conversion and validation against outSchema as a
/// mapping's (DESIGN sections 7 and 8).
struct FunctionOutput: Sendable {
    /// The keys allowed at one level of the returned object.
    private struct Level: Sendable {
        var names: [String: Member] = [:]
    }

    private indirect enum Member: Sendable {
        case leaf(Int)
        case object(Level)
    }

    private struct Leaf: Sendable {
        var path: String
        var property: Property
        /// Values that the conversion would return unchanged, checked without it.
        var shortcut: Shortcut
    }

    /// What a leaf's property takes as is: a non-empty string within a bare maxLength (every
    /// other string constraint goes through the conversion), or a datetime, given as one or as
    /// the ISO text JavaScript returns (parsed as the conversion parses it; text it refuses goes
    /// through the conversion for its message).
    private enum Shortcut: Sendable {
        case none
        case string(maxLength: Int)
        case datetime

        init(_ type: DataType) {
            switch type {
            case .string(let t) where t.maxBytes == nil && t.pattern == nil && t.values == nil:
                self = .string(maxLength: t.maxLength ?? Int.max)
            case .datetime:
                self = .datetime
            default:
                self = .none
            }
        }

        /// `value` when the conversion would give it back unchanged; nil when it must run.
        @inline(__always)
        func accept(_ value: Value) -> Value? {
            switch (self, value) {
            // Bytes bound characters from above, so a byte count within the limit is enough.
            case (.string(let maxLength), .string(let text)) where !text.isEmpty && text.utf8.count <= maxLength: return value
            case (.datetime, .datetime): return value
            case (.datetime, .string(let text)) where !text.isEmpty: return DateTimeValue(parsing: text).map(Value.datetime)
            default: return nil
            }
        }
    }

    /// The output in outSchema order: a leaf is one outPath, an object groups nested ones.
    private indirect enum Node: Sendable {
        case leaf(name: String, leaf: Int)
        case object(name: String, children: [Node])
    }

    private let leaves: [Leaf]
    /// Each leaf's shortcut, apart so the hot path does not copy leaves.
    private let shortcuts: [Shortcut]
    private let top: Level
    private let plan: [Node]
    private let preserveJSON: Bool

    init(_ function: TransformationFunction, outSchema: ObjectType) {
        var leaves: [Leaf] = []
        var top = Level()
        var parsed: [(PropertyPath, Int)] = []
        for text in function.outPaths {
            guard let path = PropertyPath(parsing: text), let property = outSchema.property(at: path) else { continue }
            let index = leaves.count
            leaves.append(Leaf(path: text, property: property, shortcut: Shortcut(property.type)))
            parsed.append((path, index))
            Self.add(path.components[...], index, to: &top)
        }
        self.leaves = leaves
        self.shortcuts = leaves.map(\.shortcut)
        self.top = top
        self.plan = Self.plan(outSchema, prefix: [], parsed)
        self.preserveJSON = function.preserveJSON
    }

    private static func add(_ components: ArraySlice<String>, _ index: Int, to level: inout Level) {
        guard let first = components.first else { return }
        if components.count == 1 {
            level.names[first] = .leaf(index)
            return
        }
        var nested = Level()
        if case .object(let existing)? = level.names[first] { nested = existing }
        add(components.dropFirst(), index, to: &nested)
        level.names[first] = .object(nested)
    }

    private static func plan(_ schema: ObjectType, prefix: [String], _ paths: [(PropertyPath, Int)]) -> [Node] {
        var out: [Node] = []
        for property in schema.properties {
            let here = prefix + [property.name]
            if let (_, leaf) = paths.first(where: { $0.0.components == here }) {
                out.append(.leaf(name: property.name, leaf: leaf))
            } else if case .object(let nested) = property.type, paths.contains(where: { $0.0.components.starts(with: here) }) {
                out.append(.object(name: property.name, children: plan(nested, prefix: here, paths)))
            }
        }
        return out
    }

    /// The user for a value returned by the function, or why the profile fails.
    func user(from returned: Value, action: MappingAction) -> Result<ValueObject, FunctionError> {
        guard case .object(let object) = returned else {
            return .failure(FunctionError(message: "transform must return an object holding the outPaths, but it returned \(Self.describe(returned))"))
        }
        var values = [Value?](repeating: nil, count: leaves.count)
        do throws(FunctionError) {
            try collect(object, top, prefix: "", into: &values)
            return .success(ValueObject(try assemble(plan, values, action)))
        } catch {
            return .failure(error)
        }
    }

    /// Number of outPaths: the size of the array ``user(leaves:action:)`` takes.
    var leafCount: Int { leaves.count }

    /// Per outPath, in the order ``user(leaves:action:)`` takes them: its name when it is a
    /// top-level key of the returned object, nil when it is nested in one.
    var leafNames: [String?] {
        leaves.indices.map { index in topLevelLeaf(leaves[index].path) == index ? leaves[index].path : nil }
    }

    /// The index of the outPath named `name` at the top level, when it is one (not a group of
    /// nested outPaths, not an unknown key): hosts that read a returned object key by key use it.
    func topLevelLeaf(_ name: String) -> Int? {
        if case .leaf(let index)? = top.names[name] { return index }
        return nil
    }

    /// The user for a returned object whose keys were all top-level outPaths, given as the value
    /// of each outPath (nil where the object did not have it), or why the profile fails.
    func user(leaves values: [Value?], action: MappingAction) -> Result<ValueObject, FunctionError> {
        do throws(FunctionError) {
            return .success(ValueObject(try assemble(plan, values, action)))
        } catch {
            return .failure(error)
        }
    }

    private func collect(_ object: ValueObject, _ level: Level, prefix: String, into values: inout [Value?]) throws(FunctionError) {
        for member in object.members {
            let path = prefix.isEmpty ? member.key : prefix + "." + member.key
            switch level.names[member.key] {
            case nil:
                let allowed = leaves.map(\.path).joined(separator: ", ")
                throw FunctionError(property: path, message: "transform returned «\(path)», which is not one of the outPaths (\(allowed))")
            case .leaf(let index)?:
                values[index] = member.value
            case .object(let nested)?:
                switch member.value {
                case .object(let inner): try collect(inner, nested, prefix: path, into: &values)
                case .null: continue
                default:
                    throw FunctionError(property: path, message: "transform returned \(Self.describe(member.value)) for «\(path)», which must be an object holding outPaths")
                }
            }
        }
    }

    private func assemble(_ nodes: [Node], _ values: [Value?], _ action: MappingAction) throws(FunctionError) -> [(key: String, value: Value)] {
        var members: [(key: String, value: Value)] = []
        members.reserveCapacity(nodes.count)
        for node in nodes {
            switch node {
            case .leaf(let name, let index):
                if let value = values[index], let accepted = shortcuts[index].accept(value) {
                    members.append((name, accepted))
                    continue
                }
                let leaf = leaves[index]
                var result: Value?
                if let value = values[index] {
                    do {
                        result = try CompiledMapping.finish(try jsonText(value, leaf.property), property: leaf.property, isConstant: false)
                    } catch {
                        throw FunctionError(property: leaf.path, message: error.message + " while mapping to «\(leaf.path)»")
                    }
                }
                if let result {
                    members.append((name, result))
                } else if action == .create, leaf.property.createRequired {
                    throw FunctionError(property: leaf.path, message: "«\(leaf.path)» is required to create a user, but the function gives it no value")
                } else if action == .update, leaf.property.updateRequired {
                    throw FunctionError(property: leaf.path, message: "«\(leaf.path)» is required to update a user, but the function gives it no value")
                }
            case .object(let name, let children):
                let nested = try assemble(children, values, action)
                if !nested.isEmpty { members.append((name, .object(ValueObject(nested)))) }
            }
        }
        return members
    }

    /// With preserveJSON a json property receives JSON text, which is parsed here.
    private func jsonText(_ value: Value, _ property: Property) throws(ValueError) -> Value {
        guard preserveJSON, property.type.kind == .json, case .string(let text) = value else { return value }
        do {
            return .json(try JSONParser.parse(text))
        } catch {
            throw ValueError("\(ValueError.quote(text)) is not valid JSON (\(error))")
        }
    }

    static func describe(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .array: return "an array"
        case .string(let text): return "the string \(ValueError.quote(text))"
        case .boolean(let flag): return "the boolean \(flag)"
        case .int, .uint, .float, .decimal: return "the number \(value.text)"
        default: return "«\(value.text)»"
        }
    }
}
