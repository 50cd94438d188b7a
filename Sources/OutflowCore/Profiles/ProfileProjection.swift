/// Restricts profiles of a batch to the properties of another schema (a pipeline's inSchema),
/// precomputing slot positions once so each row costs no lookups by name.
public struct ProfileProjection: Sendable {
    private struct Column: Sendable {
        let name: String
        let slot: Int
        let nested: ObjectType?
    }

    private let columns: [Column]

    /// A projection of rows of `source` onto `target`; properties of `target` missing from
    /// `source` are skipped (validation reports them).
    public init(from source: ObjectType, to target: ObjectType) {
        columns = target.properties.compactMap { property in
            guard let slot = source.index(of: property.name) else { return nil }
            return Column(name: property.name, slot: slot, nested: property.type.objectType)
        }
    }

    /// Row `row` as an object holding only the target's properties that are present, in target order.
    public func project(_ batch: ProfileBatch, row: Int) -> ValueObject {
        var members: [(key: String, value: Value)] = []
        members.reserveCapacity(columns.count)
        for column in columns {
            guard let value = batch[row, column.slot] else { continue }
            if let nested = column.nested, case .object(let object) = value {
                members.append((column.name, .object(Self.restrict(object, to: nested))))
            } else {
                members.append((column.name, value))
            }
        }
        return ValueObject(members)
    }

    static func restrict(_ object: ValueObject, to type: ObjectType) -> ValueObject {
        var members: [(key: String, value: Value)] = []
        for property in type.properties {
            guard let value = object[property.name] else { continue }
            if let nested = property.type.objectType, case .object(let inner) = value {
                members.append((property.name, .object(restrict(inner, to: nested))))
            } else {
                members.append((property.name, value))
            }
        }
        return ValueObject(members)
    }
}
