/// A type-checked expression, ready to be evaluated for every profile without looking anything up
/// by name again.
indirect enum Node: Sendable {
    case constant(Value)
    case path(PathPlan)
    case concatenation([Node])
    /// A function call with the static types of its arguments (nil: the null literal).
    case call(MappingFunction, [Node], types: [DataType?])
    /// A branch of `if` or `coalesce` whose type differs from the others': its value becomes json.
    case toJSON(Node)
}

/// Where a path reads from: the slot of its top-level property in the profile row, then members.
struct PathPlan: Sendable {
    enum Step: Sendable {
        /// A member of an object or map value.
        case member(String)
        /// A member of a JSON object.
        case json(String)
    }

    var slot: Int
    var name: String
    var steps: [Step]
    var optional: Bool
    var display: String
}

/// A problem the type checker found in an expression.
struct TypeCheckError: Error, Hashable, Sendable {
    var message: String
}

/// Checks an expression against the pipeline's inSchema and gives it a static type (nil for the
/// null literal, which converts to anything).
struct TypeChecker {
    let inSchema: ObjectType
    /// The schema whose top-level property order gives the slots of profile rows.
    let rowSchema: ObjectType

    func check(_ expression: Expression) throws(TypeCheckError) -> (node: Node, type: DataType?) {
        switch expression {
        case .literal(let literal, _):
            switch literal {
            case .string(let text): return (.constant(.string(text)), .string(StringType()))
            case .int(let n): return (.constant(.int(n)), .int(IntType(bitSize: 32)))
            case .decimal(let d): return (.constant(.decimal(d)), .decimal(DecimalType(precision: max(d.precision, 1), scale: d.scale)))
            case .boolean(let flag): return (.constant(.boolean(flag)), .boolean)
            case .null: return (.constant(.null), nil)
            }
        case .path(let path):
            return try check(path)
        case .concatenation(let parts):
            var nodes: [Node] = []
            for part in parts {
                let (node, type) = try check(part)
                if let type, !TypeChecker.isText(type) {
                    throw TypeCheckError(message: "cannot concatenate \(describe(part)), of type \(type.name), as text")
                }
                nodes.append(node)
            }
            return (.concatenation(nodes), .string(StringType()))
        case .call(let name, let arguments, _):
            // The parser only lets known names through.
            let function = MappingFunction(rawValue: name) ?? .coalesce
            return try call(function, arguments)
        }
    }

    /// Types whose values have a text: every scalar, and json (whose arrays and objects show as JSON).
    static func isText(_ type: DataType) -> Bool {
        type.kind.isScalar || type.kind == .json
    }

    private func describe(_ expression: Expression) -> String {
        switch expression {
        case .path(let path): return "\"\(path.display)\""
        case .call(let name, _, _): return "the result of \(name)"
        default: return "the value at column \(expression.column)"
        }
    }

    private func notInSchema(_ path: PathExpression, upTo count: Int) -> TypeCheckError {
        let written = PathExpression(components: Array(path.components.prefix(count)), optional: false, column: path.column).display
        return TypeCheckError(message: "property \"\(written)\" is not in inSchema" + Suggestion.hint(for: written, in: inSchema.paths.map(\.description)))
    }

    private func check(_ path: PathExpression) throws(TypeCheckError) -> (node: Node, type: DataType?) {
        let first = path.components[0]
        guard let property = inSchema.property(named: first) else { throw notInSchema(path, upTo: 1) }
        guard let slot = rowSchema.index(of: first) else {
            throw TypeCheckError(message: "property \"\(first)\" is not in the profile schema")
        }
        var type = property.type
        var steps: [PathPlan.Step] = []
        for (index, component) in path.components.enumerated().dropFirst() {
            switch type {
            case .object(let object):
                guard let nested = object.property(named: component) else { throw notInSchema(path, upTo: index + 1) }
                steps.append(.member(component))
                type = nested.type
            case .map(let element):
                steps.append(.member(component))
                type = element
            case .json:
                steps.append(.json(component))
            default:
                let parent = PathExpression(components: Array(path.components.prefix(index)), optional: false, column: path.column).display
                throw TypeCheckError(message: "property \"\(parent)\" is \(type.name), which has no property \"\(component)\"")
            }
        }
        if path.optional, type.kind != .json {
            throw TypeCheckError(message: "'?' applies only to a path into a json property, but \"\(path.display)\" is \(type.name)")
        }
        let plan = PathPlan(slot: slot, name: first, steps: steps, optional: path.optional, display: path.display)
        return (.path(plan), type)
    }

    private func call(_ function: MappingFunction, _ arguments: [Expression]) throws(TypeCheckError) -> (node: Node, type: DataType?) {
        let (minimum, maximum) = function.arity
        if arguments.count < minimum || maximum.map({ arguments.count > $0 }) ?? false {
            throw TypeCheckError(message: "function \(function.rawValue) \(function.arityText), found \(arguments.count)")
        }
        var nodes: [Node] = []
        var types: [DataType?] = []
        for argument in arguments {
            let (node, type) = try check(argument)
            nodes.append(node)
            types.append(type)
        }
        func require(_ index: Int, _ expected: String, _ allowed: (DataType) -> Bool) throws(TypeCheckError) {
            if let type = types[index], !allowed(type) {
                throw TypeCheckError(message: "argument \(index + 1) of \(function.rawValue) must be \(expected), but it is \(type.name)")
            }
        }
        let isBoolean = { (t: DataType) in t.kind == .boolean || t.kind == .json }
        let isInteger = { (t: DataType) in t.kind == .int || t.kind == .json }
        switch function {
        case .and, .or, .not:
            for index in types.indices { try require(index, "boolean", isBoolean) }
            return (.call(function, nodes, types: types), .boolean)
        case .eq, .ne:
            if let from = types[0], let to = types[1], !Conversion.isAllowed(from: from, to: to) {
                throw TypeCheckError(message: "\(function.rawValue) compares by converting its first argument to the type of the second, but \(from.name) cannot be converted to \(to.name)")
            }
            return (.call(function, nodes, types: types), .boolean)
        case .if:
            try require(0, "boolean", isBoolean)
            let (branches, type) = unify(Array(nodes.dropFirst()), Array(types.dropFirst()))
            return (.call(function, [nodes[0]] + branches, types: types), type)
        case .coalesce:
            let (branches, type) = unify(nodes, types)
            return (.call(function, branches, types: types), type)
        case .array:
            return (.call(function, nodes, types: types), .array(ArrayType(elementType: .json)))
        case .map:
            guard arguments.count % 2 == 0 else {
                throw TypeCheckError(message: "function map takes pairs of a key and a value, found \(arguments.count) arguments")
            }
            var keys: Set<String> = []
            for index in stride(from: 0, to: arguments.count, by: 2) {
                guard case .literal(.string(let key), _) = arguments[index] else {
                    throw TypeCheckError(message: "argument \(index + 1) of map must be a string literal (a key)")
                }
                if !keys.insert(key).inserted { throw TypeCheckError(message: "key \"\(key)\" is repeated in map") }
            }
            return (.call(function, nodes, types: types), .map(.json))
        case .jsonParse:
            try require(0, "a string", TypeChecker.isText)
            return (.call(function, nodes, types: types), .json)
        case .len:
            return (.call(function, nodes, types: types), .int(IntType(bitSize: 32)))
        case .lower, .upper, .initcap, .trim, .ltrim, .rtrim, .md5, .sha256, .base64:
            try require(0, "a string", TypeChecker.isText)
            return (.call(function, nodes, types: types), .string(StringType()))
        case .escape:
            try require(0, "a string", TypeChecker.isText)
            try require(1, "a string", TypeChecker.isText)
            return (.call(function, nodes, types: types), .string(StringType()))
        case .substring:
            try require(0, "a string", TypeChecker.isText)
            try require(1, "an int", isInteger)
            if types.count == 3 {
                try require(2, "an int", isInteger)
                if case .literal(.int(let length), _) = arguments[2], length < 0 {
                    throw TypeCheckError(message: "the length of substring must not be negative, found \(length)")
                }
            }
            return (.call(function, nodes, types: types), .string(StringType()))
        }
    }

    /// The common type of the branches of `if` or `coalesce`: their type when they agree (the null
    /// literal agrees with anything), json otherwise, with the other branches turned into json.
    private func unify(_ nodes: [Node], _ types: [DataType?]) -> ([Node], DataType?) {
        let known = types.compactMap { $0 }
        guard let first = known.first else { return (nodes, nil) }
        if known.allSatisfy({ $0 == first }) { return (nodes, first) }
        if known.allSatisfy({ $0.kind == .string }) { return (nodes, .string(StringType())) }
        let wrapped = zip(nodes, types).map { node, type in type == nil || type?.kind == .json ? node : Node.toJSON(node) }
        return (wrapped, .json)
    }
}
