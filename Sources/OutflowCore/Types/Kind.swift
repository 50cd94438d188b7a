/// The fifteen kinds of the Krenalis type system (DESIGN section 5).
public enum Kind: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case string, boolean, int, float, decimal, datetime, date, time, year, uuid, json, ip, array, object, map

    public var description: String { rawValue }

    /// Kinds whose values are single scalars (not containers, not json).
    public var isScalar: Bool {
        switch self {
        case .array, .object, .map, .json: return false
        default: return true
        }
    }
}
