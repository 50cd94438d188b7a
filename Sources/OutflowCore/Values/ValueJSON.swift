/// The JSON encoding of values in every output (DESIGN section 5): numbers as numbers, decimal as a
/// string, datetime as RFC 3339 UTC, date `YYYY-MM-DD`, year as a number, uuid lower-case, json as itself.
extension Value {
    public var json: JSONValue {
        switch self {
        case .null: return .null
        case .boolean(let flag): return .bool(flag)
        case .int(let number): return .number(String(number))
        case .uint(let number): return .number(String(number))
        case .float(let number): return Value.floatJSON(number)
        case .decimal(let decimal): return .string(decimal.description)
        case .string(let text): return .string(text)
        case .datetime(let value): return .string(value.description)
        case .date(let value): return .string(value.description)
        case .time(let value): return .string(value.description)
        case .year(let year): return .number(String(year))
        case .uuid(let uuid): return .string(uuid.uuidString.lowercased())
        case .json(let json): return json
        case .ip(let text): return .string(text)
        case .array(let items): return .array(items.map(\.json))
        case .object(let object), .map(let object):
            return .object(JSONObject(object.members.map { (key: $0.key, value: $0.value.json) }))
        }
    }

    /// JSON has no NaN or infinity; they are written as strings, the way PostgreSQL's JSON output does.
    static func floatJSON(_ number: Double) -> JSONValue {
        if number.isNaN { return .string("NaN") }
        if number.isInfinite { return .string(number < 0 ? "-Infinity" : "Infinity") }
        if number == number.rounded(), abs(number) < 1e15 { return .number(String(Int64(number))) }
        return .number(String(number))
    }

    /// The value as text for messages and concatenation: strings bare, everything else as its JSON.
    public var text: String {
        switch self {
        case .string(let text), .ip(let text): return text
        case .decimal(let decimal): return decimal.description
        case .datetime(let value): return value.description
        case .date(let value): return value.description
        case .time(let value): return value.description
        case .uuid(let uuid): return uuid.uuidString.lowercased()
        default: return JSONWriter.string(json)
        }
    }
}
