/// The shape of a mapping's output, planned once from outSchema: which members a user object has,
/// in outSchema order, where each value comes from, and which required properties the mapping
/// leaves unwritten.
///
/// Members are flat, plain values; an object's children are the contiguous range
/// `members[first ..< first + count]`, so assembling a user walks index ranges and knows each
/// object's size before building it. An unmapped `createRequired` or `updateRequired` property is
/// kept as ``Member/unmapped(_:)`` so that creating or updating fails as it would for a null
/// result; `matching.out` and the objects holding it are exempt, since the engine writes it on create.
///
/// ```swift
/// // outSchema {name, contact {first, email}}, mapping contact.first <- first_name
/// // members: [contact(first: 1, count: 1), mapped(entry: 0)]   top: 0 ..< 1
/// ```
struct OutputLayout: Sendable {
    /// The actions for which a property must be present.
    struct Requirement: Sendable {
        var create: Bool
        var update: Bool

        static let none = Requirement(create: false, update: false)

        init(create: Bool, update: Bool) {
            self.create = create
            self.update = update
        }

        init(_ property: Property) {
            self.init(create: property.createRequired, update: property.updateRequired)
        }

        var isNone: Bool { !create && !update }
    }

    enum Member: Sendable {
        /// The value of mapping entry `entry`.
        case mapped(entry: Int32)
        /// A nested object built from `members[first ..< first + count]`, left out when empty.
        case object(first: Int32, count: Int32, Requirement)
        /// A required property the mapping does not write.
        case unmapped(Requirement)
    }

    private(set) var members: [Member] = []
    /// The key of each member in its object.
    private(set) var names: [String] = []
    /// The dotted output path of each member, for messages.
    private(set) var paths: [String] = []
    /// The actions that require each member.
    private(set) var requirements: [Requirement] = []
    /// The top-level members: `members[0 ..< topCount]`.
    private(set) var topCount: Int32 = 0

    /// - Parameter mapped: the output path of each mapping entry, indexed like the entries.
    init(_ schema: ObjectType, mapped: [PropertyPath], matchingOut: PropertyPath?) {
        topCount = plan(schema, prefix: [], mapped: mapped, matchingOut: matchingOut).count
    }

    private mutating func plan(
        _ schema: ObjectType, prefix: [String], mapped: [PropertyPath], matchingOut: PropertyPath?
    ) -> (first: Int32, count: Int32) {
        var level: [(name: String, path: [String], member: Member, requirement: Requirement, nested: ObjectType?)] = []
        for property in schema.properties {
            let here = prefix + [property.name]
            let exempt = matchingOut.map { $0.components.starts(with: here) } ?? false
            let requirement = exempt ? Requirement.none : Requirement(property)
            if let entry = mapped.firstIndex(where: { $0.components == here }) {
                level.append((property.name, here, .mapped(entry: Int32(entry)), requirement, nil))
            } else if case .object(let nested) = property.type,
                mapped.contains(where: { $0.components.starts(with: here) }) || Self.hasRequired(nested, here, matchingOut)
            {
                level.append((property.name, here, .object(first: 0, count: 0, requirement), requirement, nested))
            } else if !requirement.isNone {
                level.append((property.name, here, .unmapped(requirement), requirement, nil))
            }
        }
        let first = Int32(members.count)
        for item in level {
            members.append(item.member)
            names.append(item.name)
            paths.append(PropertyPath(item.path).description)
            requirements.append(item.requirement)
        }
        for (offset, item) in level.enumerated() {
            guard let nested = item.nested, case .object(_, _, let requirement) = item.member else { continue }
            let (childFirst, childCount) = plan(nested, prefix: item.path, mapped: mapped, matchingOut: matchingOut)
            members[Int(first) + offset] = .object(first: childFirst, count: childCount, requirement)
        }
        return (first, Int32(level.count))
    }

    /// True when a property nested in `schema` (at `prefix`) is required for some action.
    private static func hasRequired(_ schema: ObjectType, _ prefix: [String], _ matchingOut: PropertyPath?) -> Bool {
        schema.properties.contains { property in
            let here = prefix + [property.name]
            if matchingOut?.components.starts(with: here) ?? false {
                if case .object(let nested) = property.type { return hasRequired(nested, here, matchingOut) }
                return false
            }
            if property.createRequired || property.updateRequired { return true }
            if case .object(let nested) = property.type { return hasRequired(nested, here, matchingOut) }
            return false
        }
    }
}
