import OutflowCore

/// How the columns of a CSV file decode into profiles, resolved once from the header row.
///
/// A column names a property path of the schema. A top-level path fills its slot directly; a nested
/// path (`address.country`) fills one member of an object that ``assemble(_:_:)`` builds per row, in
/// schema order, from every column under it. A column naming a whole json, array, object or map
/// property holds JSON text. Properties without a column are absent from every profile.
///
/// ```swift
/// let layout = try CSVLayout(header: ["id", "address.country"], schema: schema, file: "customers.csv", line: 1)
/// ```
struct CSVLayout {
    /// What messages and the general decoding path need of a column.
    struct Column {
        /// The path as written in the header, for messages.
        let path: String
        let type: DataType
    }

    /// What the per-cell loop needs of a column; it holds no references, so reading it costs no
    /// reference counting.
    struct Plan {
        /// The top-level slot the value goes to, or -1 when it is a member of a nested object.
        let slot: Int
        /// The index of the value among ``CSVLayout/leafCount`` nested leaves, or -1.
        var leaf: Int
        let nullable: Bool
        /// The kind is string, so a quoted empty cell is a value (the empty string).
        let isString: Bool
        let decoder: CSVCellDecoder
    }

    /// One member of a nested object built from columns.
    indirect enum Member {
        case leaf(name: String, index: Int)
        case object(name: String, members: [Member])
    }

    /// A top-level object property filled from nested columns.
    struct Group {
        let slot: Int
        let members: [Member]
    }

    private(set) var columns: [Column] = []
    private(set) var plans: [Plan] = []
    private(set) var groups: [Group] = []
    private(set) var leafCount = 0

    /// Resolves `header` against `schema`; every problem with it is reported together as one error.
    init(header: [String], schema: ObjectType, file: String, line: Int) throws(SourceError) {
        var problems: [String] = []
        var resolved: [(components: [String], slot: Int, property: Property)] = []
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            guard let path = PropertyPath(parsing: name) else {
                problems.append("column \(index + 1) of the header, \(ValueError.quote(name)), is not a property path")
                continue
            }
            guard let slot = schema.index(of: path.components[0]), let property = schema.property(at: path) else {
                problems.append("column «\(name)» names no property of the schema" + Self.hint(for: path, in: schema))
                continue
            }
            if let first = seen[path.description] {
                problems.append("column «\(name)» appears twice (columns \(first + 1) and \(index + 1))")
                continue
            }
            seen[path.description] = index
            resolved.append((path.components, slot, property))
        }
        for a in resolved {
            for b in resolved where a.components.count < b.components.count && Array(b.components.prefix(a.components.count)) == a.components {
                problems.append(
                    "columns «\(a.components.joined(separator: "."))» and «\(b.components.joined(separator: "."))» both set «\(a.components.joined(separator: "."))»"
                )
            }
        }
        guard problems.isEmpty else {
            throw SourceError(file: file, line: line, message: "invalid header: " + problems.joined(separator: "; "))
        }

        columns = resolved.map { Column(path: $0.components.joined(separator: "."), type: $0.property.type) }
        plans = resolved.map { entry in
            Plan(
                slot: entry.components.count > 1 ? -1 : entry.slot, leaf: -1, nullable: entry.property.nullable,
                isString: entry.property.type.kind == .string, decoder: CSVCellDecoder(entry.property.type))
        }
        // Nested columns, grouped by their top-level property in schema order.
        var bySlot: [Int: [(rest: [String], column: Int)]] = [:]
        for (index, entry) in resolved.enumerated() where entry.components.count > 1 {
            bySlot[entry.slot, default: []].append((Array(entry.components.dropFirst()), index))
        }
        for slot in bySlot.keys.sorted() {
            guard case .object(let type) = schema.properties[slot].type else { continue }
            groups.append(Group(slot: slot, members: members(of: type, bySlot[slot]!)))
        }
    }

    /// Why `path` names nothing: a did-you-mean, or the property on the way that has no nested ones.
    private static func hint(for path: PropertyPath, in schema: ObjectType) -> String {
        for length in stride(from: path.components.count - 1, through: 1, by: -1) {
            let prefix = PropertyPath(Array(path.components.prefix(length)))
            if let property = schema.property(at: prefix), property.type.objectType == nil {
                return ": «\(prefix)» is \(property.type.name), which has no nested properties"
            }
        }
        return Suggestion.hint(for: path.description, in: schema.paths.map(\.description))
    }

    /// The members of `type` that `entries` fill, in schema order, numbering leaves as they come.
    private mutating func members(of type: ObjectType, _ entries: [(rest: [String], column: Int)]) -> [Member] {
        var out: [Member] = []
        for property in type.properties {
            let matching = entries.filter { $0.rest[0] == property.name }
            guard let first = matching.first else { continue }
            if first.rest.count == 1 {
                plans[first.column].leaf = leafCount
                out.append(.leaf(name: property.name, index: leafCount))
                leafCount += 1
            } else if case .object(let nested) = property.type {
                out.append(.object(name: property.name, members: members(of: nested, matching.map { (Array($0.rest.dropFirst()), $0.column) })))
            }
        }
        return out
    }

    /// The object a row's nested leaves make; a leaf without a value (none decoded) is left out.
    static func assemble(_ members: [Member], _ leaves: [Value?]) -> ValueObject {
        var out: [(key: String, value: Value)] = []
        out.reserveCapacity(members.count)
        for member in members {
            switch member {
            case .leaf(let name, let index):
                if let value = leaves[index] { out.append((name, value)) }
            case .object(let name, let nested):
                out.append((name, .object(assemble(nested, leaves))))
            }
        }
        return ValueObject(out)
    }
}
