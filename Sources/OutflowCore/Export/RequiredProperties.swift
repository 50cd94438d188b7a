/// The `createRequired` and `updateRequired` checks of an outSchema, applied once the action is
/// known (DESIGN section 9): a CreateOrUpdate transformation runs before the lookup, so it cannot
/// decide them itself, and an upsert must satisfy both.
///
/// ```swift
/// let required = RequiredProperties(outSchema: pipeline.outSchema)
/// if let problem = required.problem(in: user, creating: true, updating: false) { fail(stage: .validate, problem) }
/// ```
public struct RequiredProperties: Hashable, Sendable {
    private struct Rule: Hashable, Sendable {
        var path: [String]
        var create: Bool
        var update: Bool
    }

    private let rules: [Rule]

    public init(outSchema: ObjectType) {
        var rules: [Rule] = []
        func walk(_ type: ObjectType, _ prefix: [String]) {
            for property in type.properties {
                let path = prefix + [property.name]
                if property.createRequired || property.updateRequired {
                    rules.append(Rule(path: path, create: property.createRequired, update: property.updateRequired))
                }
                if let nested = property.type.objectType { walk(nested, path) }
            }
        }
        walk(outSchema, [])
        self.rules = rules
    }

    /// True when no property is required for any action.
    public var isEmpty: Bool { rules.isEmpty }

    /// Why `user` cannot be sent to create (`creating`) and/or update (`updating`) a user, or nil.
    ///
    /// A nested property is required only when its parent object is present; a required parent is
    /// checked by its own rule.
    public func problem(in user: ValueObject, creating: Bool, updating: Bool) -> String? {
        for rule in rules where (creating && rule.create) || (updating && rule.update) {
            switch Self.presence(of: rule.path, in: user) {
            case .present, .parentAbsent: continue
            case .absent:
                let path = rule.path.joined(separator: ".")
                let action = creating && rule.create ? "create" : "update"
                return "«\(path)» is required to \(action) a user, but the transformation gives it no value"
            }
        }
        return nil
    }

    private enum Presence { case present, absent, parentAbsent }

    private static func presence(of path: [String], in object: ValueObject) -> Presence {
        var current = object
        for (index, component) in path.enumerated() {
            let value = current[component]
            if index == path.count - 1 {
                // A null the transformation wrote on purpose is a value, as for the mapping's own check.
                return value == nil ? .absent : .present
            }
            guard case .object(let nested)? = value else { return .parentAbsent }
            current = nested
        }
        return .present
    }
}
