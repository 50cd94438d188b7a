/// One property value of a profile in a ``ProfileBatch``: a tag and a 12-byte payload, with no
/// reference inside, so that resetting a batch destroys nothing and writing a cell costs a store.
///
/// Scalars live in the payload (an int, a float's bits, a datetime's seconds and nanoseconds); a
/// string's bytes live in the batch's arena, the payload holding their offset and length (DESIGN
/// section 2: strings stay slices of the read buffer until a value must outlive its batch); every
/// other value lives in the batch's side table, the payload holding its index.
public struct ProfileSlot: Sendable, Equatable {
    public enum Tag: UInt8, Sendable {
        case absent, null, boolean, int, uint, float, text, datetime, date, time, year, ip, boxed
    }

    public var tag: Tag
    /// Nanoseconds of a datetime; the byte length of text.
    public var extra: UInt32
    public var payload: UInt64

    @inlinable
    public init(tag: Tag, extra: UInt32 = 0, payload: UInt64 = 0) {
        self.tag = tag
        self.extra = extra
        self.payload = payload
    }

    public static let absent = ProfileSlot(tag: .absent)
    public static let null = ProfileSlot(tag: .null)

    @inlinable public static func int(_ value: Int64) -> ProfileSlot { ProfileSlot(tag: .int, payload: UInt64(bitPattern: value)) }
    @inlinable public static func float(_ value: Double) -> ProfileSlot { ProfileSlot(tag: .float, payload: value.bitPattern) }
    @inlinable public static func boolean(_ value: Bool) -> ProfileSlot { ProfileSlot(tag: .boolean, payload: value ? 1 : 0) }

    @inlinable public static func datetime(_ value: DateTimeValue) -> ProfileSlot {
        ProfileSlot(tag: .datetime, extra: UInt32(value.nanoseconds), payload: UInt64(bitPattern: value.seconds))
    }

    @inlinable public var intValue: Int64 { Int64(bitPattern: payload) }
    @inlinable public var floatValue: Double { Double(bitPattern: payload) }
    @inlinable public var boolValue: Bool { payload != 0 }
    @inlinable public var datetimeValue: DateTimeValue {
        DateTimeValue(seconds: Int64(bitPattern: payload), nanoseconds: Int32(extra))
    }
}
