import Foundation

/// A typed value of a profile or user property (DESIGN section 5).
///
/// Each case carries the canonical form of one kind; the kind of the property decides which case
/// a value takes, so a value never needs its type to be read. `object` and `map` keep member
/// order; an absent property is an absent member, never a null.
///
/// ```swift
/// let v: Value = .object(ValueObject([("email", .string("a@b.c")), ("age", .int(42))]))
/// ```
public enum Value: Hashable, Sendable {
    case null
    case boolean(Bool)
    case int(Int64)
    /// An unsigned integer above `Int64.max` (smaller unsigned values use ``int(_:)``).
    case uint(UInt64)
    case float(Double)
    indirect case decimal(DecimalValue)
    case string(String)
    case datetime(DateTimeValue)
    case date(DateValue)
    case time(TimeValue)
    case year(Int)
    case uuid(UUID)
    case json(JSONValue)
    /// An IP address in its canonical text form.
    case ip(String)
    case array([Value])
    case object(ValueObject)
    case map(ValueObject)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// The members of an object or map value, in order.
public typealias ValueObject = OrderedMembers<Value>
