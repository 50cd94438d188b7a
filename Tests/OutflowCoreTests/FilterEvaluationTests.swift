import Testing

@testable import OutflowCore

/// Builds schemas and one-row batches from JSON text, so filter rows read like the files users write.
enum FilterFixture {
    /// A type from shorthand (`int`, `array(string)`) or from schema JSON (`{"kind":"int","unsigned":true}`).
    static func type(_ text: String) throws -> DataType {
        let json: JSONValue
        if text.hasPrefix("{") {
            json = try JSONParser.parse(text)
        } else if text.hasPrefix("array("), text.hasSuffix(")") {
            let element = String(text.dropFirst(6).dropLast())
            return .array(ArrayType(elementType: try type(element)))
        } else {
            json = .object(JSONObject([("kind", .string(text))]))
        }
        var issues: [Diagnostic] = []
        let type = DataType.decode(json, path: "type", issues: &issues)
        guard let type, issues.isEmpty else { throw ValidationError(issues) }
        return type
    }

    /// A schema with the single property `p` of `type`.
    static func schema(_ type: String, nullable: Bool = true) throws -> ObjectType {
        ObjectType(properties: [Property(name: "p", type: try self.type(type), nullable: nullable)])
    }

    /// A schema from the JSON of its `properties` array.
    static func schema(properties: String) throws -> ObjectType {
        var issues: [Diagnostic] = []
        let object = ObjectType.decode(properties: try arrayItems(properties), path: "properties", issues: &issues)
        guard let object, issues.isEmpty else { throw ValidationError(issues) }
        return object
    }

    private static func arrayItems(_ text: String) throws -> [JSONValue] {
        guard case .array(let items) = try JSONParser.parse(text) else { return [] }
        return items
    }

    /// A batch holding the profile written as a JSON object, decoded by `schema`.
    static func batch(_ schema: ObjectType, _ profile: String) throws -> ProfileBatch {
        guard case .object(let object) = try JSONParser.parse(profile) else { throw ValueError("not an object: \(profile)") }
        let values = try JSONDecoding.decodeObject(object, schema)
        var batch = ProfileBatch(schema: schema)
        let row = batch.appendRow(record: 1, line: 1)
        for (slot, property) in schema.properties.enumerated() {
            batch[row, slot] = values[property.name]
        }
        return batch
    }

    static func matches(_ filter: Filter, schema: ObjectType, profile: String) throws -> Bool {
        let compiled = try CompiledFilter(filter, schema: schema)
        return compiled.matches(try batch(schema, profile), row: 0)
    }
}

/// One evaluation row: property `p` of `type`, a condition, the value of `p` in the profile
/// (JSON text, nil when the key is missing) and whether the profile should match.
struct EvaluationRow: Sendable, CustomTestStringConvertible {
    var type: String
    var property: String
    var op: FilterOperator
    var values: [String]?
    var value: String?
    var expected: Bool

    var testDescription: String {
        let shown = values.map { " " + $0.map { "\"\($0)\"" }.joined(separator: ", ") } ?? ""
        return "\(type) \(property)=\(value ?? "<missing>") \(op.rawValue)\(shown) -> \(expected)"
    }
}

private func row(_ type: String, _ op: FilterOperator, _ values: [String]?, _ value: String?, _ expected: Bool, path: String = "p")
    -> EvaluationRow
{
    EvaluationRow(type: type, property: path, op: op, values: values, value: value, expected: expected)
}

private let missing: String? = nil

private let stringRows: [EvaluationRow] = [
    row("string", .is, ["abc"], #""abc""#, true),
    row("string", .is, ["abc"], #""abd""#, false),
    row("string", .is, ["abc"], #""ABC""#, false),
    row("string", .is, ["abc"], "null", false),
    row("string", .is, ["abc"], missing, false),
    // Byte-wise: a decomposed é is not the precomposed é, though Swift's == says they are equal.
    row("string", .is, ["\u{E9}"], #""e\u0301""#, false),
    row("string", .isNot, ["abc"], #""abc""#, false),
    row("string", .isNot, ["abc"], #""x""#, true),
    row("string", .isNot, ["abc"], "null", true),
    row("string", .isNot, ["abc"], missing, true),
    row("string", .isLessThan, ["b"], #""a""#, true),
    row("string", .isLessThan, ["b"], #""b""#, false),
    row("string", .isLessThan, ["b"], #""B""#, true),
    row("string", .isLessThan, ["b"], missing, false),
    row("string", .isLessThan, ["\u{E9}"], #""e\u0301""#, true),
    row("string", .isLessThanOrEqualTo, ["b"], #""b""#, true),
    row("string", .isLessThanOrEqualTo, ["b"], #""c""#, false),
    row("string", .isGreaterThan, ["b"], #""c""#, true),
    row("string", .isGreaterThan, ["b"], #""b""#, false),
    row("string", .isGreaterThan, ["b"], #""ba""#, true),
    row("string", .isGreaterThan, ["z"], #""é""#, true),
    row("string", .isGreaterThan, ["b"], "null", false),
    row("string", .isGreaterThanOrEqualTo, ["b"], #""b""#, true),
    row("string", .isGreaterThanOrEqualTo, ["b"], #""a""#, false),
    row("string", .isBetween, ["b", "d"], #""c""#, true),
    row("string", .isBetween, ["b", "d"], #""b""#, true),
    row("string", .isBetween, ["b", "d"], #""d""#, true),
    row("string", .isBetween, ["b", "d"], #""da""#, false),
    row("string", .isBetween, ["b", "d"], #""a""#, false),
    row("string", .isBetween, ["b", "d"], "null", false),
    row("string", .isNotBetween, ["b", "d"], #""e""#, true),
    row("string", .isNotBetween, ["b", "d"], #""c""#, false),
    // Krenalis applies.go: `is not between` is false for a missing or null value.
    row("string", .isNotBetween, ["b", "d"], missing, false),
    row("string", .isNotBetween, ["b", "d"], "null", false),
    row("string", .contains, ["bc"], #""abcd""#, true),
    row("string", .contains, ["bc"], #""abd""#, false),
    row("string", .contains, ["bc"], #""""#, false),
    row("string", .contains, ["bc"], "null", false),
    row("string", .contains, ["bc"], missing, false),
    row("string", .contains, [""], #""x""#, true),
    row("string", .contains, ["abcd"], #""abc""#, false),
    row("string", .doesNotContain, ["bc"], #""abcd""#, false),
    row("string", .doesNotContain, ["bc"], #""xyz""#, true),
    row("string", .doesNotContain, ["bc"], missing, true),
    row("string", .isOneOf, ["a", "b"], #""b""#, true),
    row("string", .isOneOf, ["a", "b"], #""c""#, false),
    row("string", .isOneOf, ["a", "b"], "null", false),
    row("string", .isNotOneOf, ["a", "b"], #""c""#, true),
    row("string", .isNotOneOf, ["a", "b"], #""a""#, false),
    row("string", .isNotOneOf, ["a", "b"], missing, true),
    row("string", .startsWith, ["ab"], #""abc""#, true),
    row("string", .startsWith, ["ab"], #""cab""#, false),
    row("string", .startsWith, ["abc"], #""ab""#, false),
    row("string", .startsWith, ["ab"], missing, false),
    row("string", .endsWith, ["bc"], #""abc""#, true),
    row("string", .endsWith, ["bc"], #""bca""#, false),
    row("string", .endsWith, ["bc"], "null", false),
    row("string", .isEmpty, nil, #""""#, true),
    row("string", .isEmpty, nil, #""x""#, false),
    row("string", .isEmpty, nil, #"" ""#, false),
    row("string", .isEmpty, nil, "null", true),
    row("string", .isEmpty, nil, missing, true),
    row("string", .isNotEmpty, nil, #""x""#, true),
    row("string", .isNotEmpty, nil, #""""#, false),
    row("string", .isNotEmpty, nil, missing, false),
    row("string", .isNull, nil, "null", true),
    row("string", .isNull, nil, #""""#, false),
    row("string", .isNull, nil, missing, false),
    row("string", .isNotNull, nil, missing, true),
    row("string", .isNotNull, nil, "null", false),
    row("string", .isNotNull, nil, #""x""#, true),
    row("string", .exists, nil, #""""#, true),
    row("string", .exists, nil, "null", true),
    row("string", .exists, nil, missing, false),
    row("string", .doesNotExist, nil, missing, true),
    row("string", .doesNotExist, nil, "null", false),
    row(#"{"kind":"string","values":["free","pro"]}"#, .is, ["pro"], #""pro""#, true),
    row(#"{"kind":"string","values":["free","pro"]}"#, .isOneOf, ["free", "pro"], #""free""#, true),
    row(#"{"kind":"string","values":["","pro"]}"#, .isEmpty, nil, #""""#, true),
]

private let booleanRows: [EvaluationRow] = [
    row("boolean", .isTrue, nil, "true", true),
    row("boolean", .isTrue, nil, "false", false),
    row("boolean", .isTrue, nil, "null", false),
    row("boolean", .isTrue, nil, missing, false),
    row("boolean", .isFalse, nil, "false", true),
    row("boolean", .isFalse, nil, "true", false),
    row("boolean", .isFalse, nil, "null", false),
    row("boolean", .isFalse, nil, missing, false),
    row("boolean", .isNull, nil, "null", true),
    row("boolean", .isNull, nil, "false", false),
    row("boolean", .isNotNull, nil, "false", true),
    row("boolean", .isNotNull, nil, "null", false),
    row("boolean", .exists, nil, "false", true),
    row("boolean", .exists, nil, missing, false),
    row("boolean", .doesNotExist, nil, missing, true),
    row("boolean", .doesNotExist, nil, "true", false),
]

private let intRows: [EvaluationRow] = [
    row("int", .is, ["42"], "42", true),
    row("int", .is, ["42"], "41", false),
    row("int", .is, ["+42"], "42", true),
    row("int", .is, ["42"], "null", false),
    row("int", .is, ["42"], missing, false),
    row("int", .is, ["-9223372036854775808"], "-9223372036854775808", true),
    row("int", .isNot, ["42"], "42", false),
    row("int", .isNot, ["42"], "41", true),
    row("int", .isNot, ["42"], missing, true),
    row("int", .isLessThan, ["10"], "9", true),
    row("int", .isLessThan, ["10"], "10", false),
    row("int", .isLessThan, ["10"], "-5", true),
    row("int", .isLessThan, ["10"], missing, false),
    row("int", .isLessThanOrEqualTo, ["10"], "10", true),
    row("int", .isLessThanOrEqualTo, ["10"], "11", false),
    row("int", .isGreaterThan, ["10"], "11", true),
    row("int", .isGreaterThan, ["10"], "10", false),
    row("int", .isGreaterThan, ["-1"], "0", true),
    row("int", .isGreaterThan, ["10"], "null", false),
    row("int", .isGreaterThanOrEqualTo, ["10"], "10", true),
    row("int", .isGreaterThanOrEqualTo, ["10"], "9", false),
    row("int", .isBetween, ["1", "10"], "1", true),
    row("int", .isBetween, ["1", "10"], "10", true),
    row("int", .isBetween, ["1", "10"], "5", true),
    row("int", .isBetween, ["1", "10"], "0", false),
    row("int", .isBetween, ["1", "10"], "11", false),
    row("int", .isBetween, ["1", "10"], missing, false),
    row("int", .isNotBetween, ["1", "10"], "11", true),
    row("int", .isNotBetween, ["1", "10"], "5", false),
    row("int", .isNotBetween, ["1", "10"], "1", false),
    row("int", .isNotBetween, ["1", "10"], missing, false),
    row("int", .isNotBetween, ["1", "10"], "null", false),
    row("int", .isOneOf, ["1", "2", "3"], "2", true),
    row("int", .isOneOf, ["1", "2", "3"], "4", false),
    row("int", .isOneOf, ["1", "2", "3"], "null", false),
    row("int", .isNotOneOf, ["1", "2"], "3", true),
    row("int", .isNotOneOf, ["1", "2"], "1", false),
    row("int", .isNotOneOf, ["1", "2"], "null", true),
    row("int", .isNull, nil, "null", true),
    row("int", .isNull, nil, "0", false),
    row("int", .isNotNull, nil, "0", true),
    row("int", .exists, nil, "0", true),
    row("int", .doesNotExist, nil, "0", false),
    // A filter value may lie outside the property's own range.
    row(#"{"kind":"int","bitSize":8}"#, .isLessThan, ["1000"], "100", true),
    row(#"{"kind":"int","bitSize":8}"#, .isGreaterThan, ["-1000"], "-100", true),
    row(#"{"kind":"int","unsigned":true}"#, .isGreaterThan, ["9223372036854775807"], "18446744073709551615", true),
    row(#"{"kind":"int","unsigned":true}"#, .is, ["18446744073709551615"], "18446744073709551615", true),
    row(#"{"kind":"int","unsigned":true}"#, .is, ["18446744073709551615"], "18446744073709551614", false),
    row(#"{"kind":"int","unsigned":true}"#, .isLessThan, ["9223372036854775808"], "5", true),
    row(#"{"kind":"int","unsigned":true}"#, .isLessThan, ["5"], "9223372036854775808", false),
    row(#"{"kind":"int","unsigned":true}"#, .isBetween, ["1", "18446744073709551615"], "9223372036854775808", true),
]

private let floatRows: [EvaluationRow] = [
    row("float", .is, ["1.5"], "1.5", true),
    row("float", .is, ["1.5"], "1.25", false),
    row("float", .is, ["0"], "-0.0", true),
    row("float", .is, ["1.5"], missing, false),
    row("float", .isNot, ["1.5"], "1.5", false),
    row("float", .isNot, ["1.5"], "2", true),
    row("float", .isLessThan, ["1.5"], "1.4999", true),
    row("float", .isLessThan, ["1.5"], "1.5", false),
    row("float", .isLessThanOrEqualTo, ["1.5"], "1.5", true),
    row("float", .isLessThanOrEqualTo, ["1.5"], "1.6", false),
    row("float", .isGreaterThan, ["1.5"], "2", true),
    row("float", .isGreaterThan, ["1.5"], "1.5", false),
    row("float", .isGreaterThan, ["-1e3"], "-999.5", true),
    row("float", .isGreaterThanOrEqualTo, ["1.5"], "1.5", true),
    row("float", .isGreaterThanOrEqualTo, ["1.5"], "1.4", false),
    row("float", .isBetween, ["0", "1"], "0.5", true),
    row("float", .isBetween, ["0", "1"], "1", true),
    row("float", .isBetween, ["0", "1"], "1.1", false),
    row("float", .isNotBetween, ["0", "1"], "1.1", true),
    row("float", .isNotBetween, ["0", "1"], "0", false),
    row("float", .isOneOf, ["1.5", "2.5"], "2.5", true),
    row("float", .isOneOf, ["1.5", "2.5"], "3.5", false),
    row("float", .isNotOneOf, ["1.5", "2.5"], "3.5", true),
    row("float", .isNotOneOf, ["1.5", "2.5"], "1.5", false),
    row(#"{"kind":"float","bitSize":32}"#, .is, ["0.1"], "0.1", true),
    row(#"{"kind":"float","bitSize":32}"#, .isGreaterThan, ["0.1"], "0.1", false),
    row("float", .isNull, nil, "null", true),
    row("float", .isNotNull, nil, "0", true),
]

private let decimal = #"{"kind":"decimal","precision":10,"scale":2}"#
private let wideDecimal = #"{"kind":"decimal","precision":40,"scale":0}"#

private let decimalRows: [EvaluationRow] = [
    row(decimal, .is, ["12.5"], "12.50", true),
    row(decimal, .is, ["12.500"], #""12.5""#, true),
    row(decimal, .is, ["12.51"], "12.50", false),
    row(decimal, .is, ["0"], "0", true),
    row(decimal, .is, ["-0"], "0.00", true),
    row(decimal, .is, ["1e1"], "10", true),
    row(decimal, .is, ["12.5"], missing, false),
    row(decimal, .isNot, ["12.5"], "12.5", false),
    row(decimal, .isNot, ["12.5"], "12.49", true),
    row(decimal, .isNot, ["12.5"], "null", true),
    row(decimal, .isLessThan, ["12.501"], "12.5", true),
    row(decimal, .isLessThan, ["12.5"], "12.5", false),
    row(decimal, .isLessThan, ["-2"], "-3", true),
    row(decimal, .isLessThan, ["-2"], "-1.99", false),
    row(decimal, .isLessThan, ["0.001"], "0", true),
    row(decimal, .isLessThanOrEqualTo, ["12.5"], "12.5", true),
    row(decimal, .isLessThanOrEqualTo, ["12.5"], "12.51", false),
    row(decimal, .isGreaterThan, ["12.499"], "12.50", true),
    row(decimal, .isGreaterThan, ["-2"], "-1.5", true),
    row(decimal, .isGreaterThan, ["0"], "-0.01", false),
    row(decimal, .isGreaterThan, ["99"], "100", true),
    row(decimal, .isGreaterThan, ["100"], "99.99", false),
    row(decimal, .isGreaterThanOrEqualTo, ["12.50"], "12.49", false),
    row(decimal, .isGreaterThanOrEqualTo, ["12.50"], "12.5", true),
    row(decimal, .isBetween, ["-1", "1"], "0", true),
    row(decimal, .isBetween, ["-1", "1"], "-1", true),
    row(decimal, .isBetween, ["-1", "1"], "-1.01", false),
    row(decimal, .isBetween, ["-1", "1"], "1.01", false),
    row(decimal, .isNotBetween, ["-1", "1"], "1.01", true),
    row(decimal, .isNotBetween, ["-1", "1"], "0.99", false),
    row(decimal, .isOneOf, ["1", "2.00"], "2", true),
    row(decimal, .isOneOf, ["1", "2.00"], "3", false),
    row(decimal, .isNotOneOf, ["1", "2.00"], "3", true),
    row(decimal, .isNotOneOf, ["1", "2.00"], "1.00", false),
    row(wideDecimal, .isGreaterThan, ["123456789012345678901234567890"], "123456789012345678901234567891", true),
    row(wideDecimal, .isGreaterThan, ["123456789012345678901234567891"], "123456789012345678901234567891", false),
    row(wideDecimal, .is, ["1234567890123456789012345678901234567890"], #""1234567890123456789012345678901234567890""#, true),
]

private let datetimeRows: [EvaluationRow] = [
    row("datetime", .is, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:00Z""#, true),
    row("datetime", .is, ["2024-01-01T01:00:00+01:00"], #""2024-01-01T00:00:00Z""#, true),
    row("datetime", .is, ["2024-01-01"], #""2024-01-01T00:00:00Z""#, true),
    row("datetime", .is, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:00.000000001Z""#, false),
    row("datetime", .is, ["2024-01-01T00:00:00Z"], missing, false),
    row("datetime", .isNot, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:01Z""#, true),
    row("datetime", .isNot, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:00Z""#, false),
    row("datetime", .isNot, ["2024-01-01T00:00:00Z"], missing, true),
    row("datetime", .isAfter, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:00.5Z""#, true),
    row("datetime", .isAfter, ["2024-01-01T00:00:00.5Z"], #""2024-01-01T00:00:00.5Z""#, false),
    row("datetime", .isAfter, ["2024-01-01T00:00:00Z"], #""2023-12-31T23:59:59.999999999Z""#, false),
    row("datetime", .isAfter, ["2024-01-01T00:00:00Z"], "null", false),
    row("datetime", .isAfter, ["2024-01-01T00:00:00Z"], missing, false),
    row("datetime", .isOnOrAfter, ["2024-01-01T00:00:00.5Z"], #""2024-01-01T00:00:00.5Z""#, true),
    row("datetime", .isOnOrAfter, ["2024-01-01T00:00:00.5Z"], #""2024-01-01T00:00:00.4Z""#, false),
    row("datetime", .isBefore, ["2024-01-01T00:00:00.000000002Z"], #""2024-01-01T00:00:00.000000001Z""#, true),
    row("datetime", .isBefore, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:00Z""#, false),
    row("datetime", .isBefore, ["2024-01-01T00:00:00Z"], missing, false),
    row("datetime", .isOnOrBefore, ["2024-01-01"], #""2023-12-31T23:59:59.999Z""#, true),
    row("datetime", .isOnOrBefore, ["2024-01-01"], #""2024-01-01T00:00:00Z""#, true),
    row("datetime", .isOnOrBefore, ["2024-01-01"], #""2024-01-01T00:00:00.001Z""#, false),
    row("datetime", .isBetween, ["2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z"], #""2024-06-01T12:00:00Z""#, true),
    row("datetime", .isBetween, ["2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z"], #""2024-01-01T00:00:00Z""#, true),
    row("datetime", .isBetween, ["2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z"], #""2024-12-31T23:59:59Z""#, true),
    row("datetime", .isBetween, ["2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z"], #""2024-12-31T23:59:59.5Z""#, false),
    row("datetime", .isNotBetween, ["2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z"], #""2025-01-01T00:00:00Z""#, true),
    row("datetime", .isNotBetween, ["2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z"], #""2024-03-01T00:00:00Z""#, false),
    row("datetime", .isOneOf, ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"], #""2024-02-01T00:00:00Z""#, true),
    row("datetime", .isOneOf, ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"], #""2024-03-01T00:00:00Z""#, false),
    row("datetime", .isNotOneOf, ["2024-01-01T00:00:00Z"], #""2024-03-01T00:00:00Z""#, true),
    row("datetime", .isNotOneOf, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:00Z""#, false),
    row("datetime", .isNull, nil, "null", true),
    row("datetime", .isNotNull, nil, #""2024-01-01T00:00:00Z""#, true),
]

private let dateTimeOfDayYearRows: [EvaluationRow] = [
    row("date", .is, ["2024-02-29"], #""2024-02-29""#, true),
    row("date", .is, ["2024-02-29"], #""2024-03-01""#, false),
    row("date", .isNot, ["2024-02-29"], #""2024-03-01""#, true),
    row("date", .isBefore, ["2024-03-01"], #""2024-02-29""#, true),
    row("date", .isBefore, ["2024-03-01"], #""2024-03-01""#, false),
    row("date", .isAfter, ["2024-03-01"], #""2024-02-29""#, false),
    row("date", .isAfter, ["2024-03-01"], #""2024-03-02""#, true),
    row("date", .isOnOrBefore, ["2024-02-29"], #""2024-02-29""#, true),
    row("date", .isOnOrAfter, ["2024-03-01"], #""2024-02-29""#, false),
    row("date", .isOnOrAfter, ["2024-03-01"], #""2024-03-01""#, true),
    row("date", .isBetween, ["2024-01-01", "2024-01-31"], #""2024-01-31""#, true),
    row("date", .isBetween, ["2024-01-01", "2024-01-31"], #""2024-02-01""#, false),
    row("date", .isNotBetween, ["2024-01-01", "2024-01-31"], #""2024-02-01""#, true),
    row("date", .isOneOf, ["2024-01-01", "2024-12-25"], #""2024-12-25""#, true),
    row("date", .isNotOneOf, ["2024-01-01", "2024-12-25"], #""2024-12-25""#, false),
    row("date", .isBefore, ["2024-03-01"], missing, false),
    row("time", .is, ["12:30:00"], #""12:30:00""#, true),
    row("time", .is, ["12:30"], #""12:30:00""#, true),
    row("time", .is, ["12:30:00"], #""12:30:00.1""#, false),
    row("time", .isNot, ["12:30:00"], #""12:30:01""#, true),
    row("time", .isBefore, ["12:30:00"], #""12:29:59.999999999""#, true),
    row("time", .isBefore, ["12:30:00"], #""12:30:00""#, false),
    row("time", .isAfter, ["12:30"], #""12:30:00.1""#, true),
    row("time", .isOnOrBefore, ["12:30"], #""12:30:00""#, true),
    row("time", .isOnOrAfter, ["12:30"], #""12:29:00""#, false),
    row("time", .isBetween, ["09:00", "17:00"], #""17:00:00""#, true),
    row("time", .isBetween, ["09:00", "17:00"], #""17:00:00.000001""#, false),
    row("time", .isNotBetween, ["09:00", "17:00"], #""08:59:59""#, true),
    row("time", .isOneOf, ["09:00", "17:00"], #""17:00:00""#, true),
    row("time", .isNotOneOf, ["09:00", "17:00"], #""17:00:00""#, false),
    row("year", .is, ["2024"], "2024", true),
    row("year", .is, ["2024"], "2023", false),
    row("year", .isNot, ["2024"], "2023", true),
    row("year", .isBefore, ["2000"], "1999", true),
    row("year", .isBefore, ["2000"], "2000", false),
    row("year", .isAfter, ["2000"], "2000", false),
    row("year", .isAfter, ["2000"], "2001", true),
    row("year", .isOnOrAfter, ["2000"], "2000", true),
    row("year", .isOnOrBefore, ["2000"], "2001", false),
    row("year", .isOnOrBefore, ["2000"], "2000", true),
    row("year", .isBetween, ["1990", "1999"], "1995", true),
    row("year", .isBetween, ["1990", "1999"], "2000", false),
    row("year", .isNotBetween, ["1990", "1999"], "2000", true),
    row("year", .isOneOf, ["1999", "2024"], "2024", true),
    row("year", .isNotOneOf, ["1999", "2024"], "2024", false),
    row("year", .isAfter, ["2000"], missing, false),
]

private let uuidIPRows: [EvaluationRow] = [
    row("uuid", .is, ["123e4567-e89b-12d3-a456-426614174000"], #""123E4567-E89B-12D3-A456-426614174000""#, true),
    row("uuid", .is, ["123e4567-e89b-12d3-a456-426614174000"], #""123e4567-e89b-12d3-a456-426614174001""#, false),
    row("uuid", .isNot, ["123e4567-e89b-12d3-a456-426614174000"], #""123e4567-e89b-12d3-a456-426614174001""#, true),
    row("uuid", .isNot, ["123e4567-e89b-12d3-a456-426614174000"], #""123e4567-e89b-12d3-a456-426614174000""#, false),
    row("uuid", .isNot, ["123e4567-e89b-12d3-a456-426614174000"], missing, true),
    row("uuid", .isNull, nil, "null", true),
    row("ip", .is, ["2001:db8::1"], #""2001:0db8:0000::0001""#, true),
    row("ip", .is, ["10.0.0.1"], #""10.0.0.1""#, true),
    row("ip", .is, ["10.0.0.1"], #""10.0.0.2""#, false),
    row("ip", .isNot, ["10.0.0.1"], #""10.0.0.2""#, true),
    row("ip", .isNot, ["10.0.0.1"], "null", true),
    row("ip", .exists, nil, #""10.0.0.1""#, true),
]

private let containerRows: [EvaluationRow] = [
    row("array(string)", .contains, ["b"], #"["a","b"]"#, true),
    row("array(string)", .contains, ["b"], #"["a"]"#, false),
    row("array(string)", .contains, ["b"], #"["abc"]"#, false),
    row("array(string)", .contains, ["b"], "[]", false),
    row("array(string)", .contains, ["b"], "null", false),
    row("array(string)", .contains, ["b"], missing, false),
    row("array(string)", .doesNotContain, ["b"], #"["a"]"#, true),
    row("array(string)", .doesNotContain, ["b"], #"["b"]"#, false),
    row("array(string)", .doesNotContain, ["b"], missing, true),
    row("array(string)", .isEmpty, nil, "[]", true),
    row("array(string)", .isEmpty, nil, #"["a"]"#, false),
    row("array(string)", .isEmpty, nil, "null", true),
    row("array(string)", .isEmpty, nil, missing, true),
    row("array(string)", .isNotEmpty, nil, #"["a"]"#, true),
    row("array(string)", .isNotEmpty, nil, "[]", false),
    row("array(string)", .isNull, nil, "null", true),
    row("array(string)", .isNull, nil, "[]", false),
    row("array(int)", .contains, ["2"], "[1,2,3]", true),
    row("array(int)", .contains, ["4"], "[1,2,3]", false),
    row("array(int)", .doesNotContain, ["4"], "[1,2,3]", true),
    row(#"{"kind":"array","elementType":{"kind":"decimal","precision":5,"scale":2}}"#, .contains, ["2.5"], #"["2.50"]"#, true),
    row(#"{"kind":"array","elementType":{"kind":"decimal","precision":5,"scale":2}}"#, .contains, ["2.51"], "[2.5]", false),
    row("array(datetime)", .contains, ["2024-01-01T00:00:00Z"], #"["2024-01-01T00:00:00.000Z"]"#, true),
    row("array(datetime)", .contains, ["2024-01-01T00:00:00Z"], #"["2024-01-01T00:00:00.001Z"]"#, false),
    row("array(json)", .contains, ["2"], #"[1, 2.0]"#, true),
    row("array(json)", .contains, ["x"], #"["x"]"#, true),
    row("array(json)", .contains, ["x"], "[1]", false),
    row("array(json)", .contains, ["2"], #"["2"]"#, true),
    row(#"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"},"nullable":true}]}"#, .isEmpty, nil, "{}", true),
    row(#"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"},"nullable":true}]}"#, .isEmpty, nil, #"{"a":"x"}"#, false),
    row(#"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"},"nullable":true}]}"#, .isEmpty, nil, "null", true),
    row(#"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"},"nullable":true}]}"#, .isEmpty, nil, missing, true),
    row(#"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"},"nullable":true}]}"#, .isNotEmpty, nil, #"{"a":"x"}"#, true),
    row(#"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"},"nullable":true}]}"#, .isNotEmpty, nil, "{}", false),
    row(#"{"kind":"map","elementType":{"kind":"int"}}"#, .isEmpty, nil, "{}", true),
    row(#"{"kind":"map","elementType":{"kind":"int"}}"#, .isEmpty, nil, #"{"k":1}"#, false),
    row(#"{"kind":"map","elementType":{"kind":"int"}}"#, .isNotEmpty, nil, #"{"k":1}"#, true),
    row(#"{"kind":"map","elementType":{"kind":"int"}}"#, .isNotEmpty, nil, "null", false),
    row(#"{"kind":"map","elementType":{"kind":"int"}}"#, .exists, nil, "{}", true),
]

private let jsonRows: [EvaluationRow] = [
    // Numbers compare as decimals, strings as strings, anything else never compares.
    row("json", .is, ["10"], "10", true),
    row("json", .is, ["10"], "10.0", true),
    row("json", .is, ["10"], "1e1", true),
    row("json", .is, ["10"], #""10""#, true),
    row("json", .is, ["10"], #""10.0""#, false),
    row("json", .is, ["abc"], #""abc""#, true),
    row("json", .is, ["true"], "true", false),
    row("json", .is, ["null"], "null", false),
    row("json", .is, ["10"], "[10]", false),
    row("json", .is, ["10"], missing, false),
    row("json", .isNot, ["true"], "true", true),
    row("json", .isNot, ["10"], "10.00", false),
    row("json", .isNot, ["10"], missing, true),
    row("json", .isGreaterThan, ["9.5"], "10", true),
    row("json", .isGreaterThan, ["9.5"], #""10""#, false),
    row("json", .isGreaterThan, ["9.5"], "9.5", false),
    row("json", .isGreaterThan, ["1e2"], "1000", true),
    row("json", .isGreaterThan, ["-1"], "-0.5", true),
    row("json", .isGreaterThan, ["b"], #""c""#, true),
    row("json", .isGreaterThan, ["b"], "5", false),
    row("json", .isGreaterThan, ["1"], "true", false),
    row("json", .isLessThan, ["100"], "99", true),
    row("json", .isLessThan, ["1e2"], "99.999", true),
    row("json", .isLessThan, ["100"], "100.0", false),
    row("json", .isLessThan, ["b"], #""a""#, true),
    row("json", .isLessThan, ["b"], "1", false),
    row("json", .isLessThan, ["100"], "null", false),
    row("json", .is, ["1e-3"], "0.001", true),
    row("json", .is, ["0"], "-0", true),
    row("json", .is, ["123.45"], "12345e-2", true),
    row("json", .is, ["100"], "1E+2", true),
    row("json", .isGreaterThan, ["0.0001"], "0.001", true),
    row("json", .isLessThan, ["0"], "-0.0001", true),
    row("json", .isLessThan, ["-0.001"], "-0.01", true),
    row("json", .isGreaterThan, ["1.5"], "1.49999999999999999999999", false),
    row("json", .isLessThan, ["1.5"], "1.49999999999999999999999", true),
    row("json", .isGreaterThan, ["99999999999999999999"], "100000000000000000000", true),
    row("json", .isGreaterThanOrEqualTo, ["10"], "10.00", true),
    row("json", .isGreaterThanOrEqualTo, ["10"], "9.99", false),
    row("json", .isLessThanOrEqualTo, ["-1"], "-1.5", true),
    row("json", .isLessThanOrEqualTo, ["-1"], "-0.5", false),
    row("json", .isBetween, ["1", "10"], "5", true),
    row("json", .isBetween, ["1", "10"], "10", true),
    row("json", .isBetween, ["1", "10"], "11", false),
    row("json", .isBetween, ["1", "10"], #""5""#, false),
    row("json", .isBetween, ["a", "c"], #""b""#, true),
    row("json", .isBetween, ["a", "c"], "2", false),
    row("json", .isNotBetween, ["1", "10"], "11", true),
    row("json", .isNotBetween, ["1", "10"], "1.5", false),
    row("json", .isOneOf, ["1", "x"], "1.0", true),
    row("json", .isOneOf, ["1", "x"], #""x""#, true),
    row("json", .isOneOf, ["1", "x"], #""y""#, false),
    row("json", .isOneOf, ["1", "x"], "false", false),
    row("json", .isNotOneOf, ["1"], "2", true),
    row("json", .isNotOneOf, ["1"], "1", false),
    row("json", .contains, ["b"], #""abc""#, true),
    row("json", .contains, ["2"], "[1,2]", true),
    row("json", .contains, ["2"], #"[1,"2"]"#, true),
    row("json", .contains, ["2"], "[1,2.00]", true),
    row("json", .contains, ["3"], "[1,2]", false),
    row("json", .contains, ["x"], #"{"x":1}"#, false),
    row("json", .contains, ["1"], "1", false),
    row("json", .doesNotContain, ["b"], #""xyz""#, true),
    row("json", .doesNotContain, ["2"], "[1,2]", false),
    row("json", .startsWith, ["ab"], #""abc""#, true),
    row("json", .startsWith, ["1"], "12", false),
    row("json", .endsWith, ["bc"], #""abc""#, true),
    row("json", .endsWith, ["bc"], #""abcd""#, false),
    row("json", .isBefore, ["2024-01-01"], #""2023-06-01T00:00:00Z""#, true),
    row("json", .isBefore, ["2024-01-01"], #""2024-06-01""#, false),
    row("json", .isBefore, ["2024-01-01"], "2023", false),
    row("json", .isBefore, ["2024-01-01"], #""not a date""#, false),
    row("json", .isAfter, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:00.5Z""#, true),
    row("json", .isOnOrAfter, ["2024-01-01T00:00:00Z"], #""2024-01-01""#, true),
    row("json", .isOnOrBefore, ["2024-01-01T00:00:00Z"], #""2024-01-01T00:00:00.1Z""#, false),
    row("json", .isTrue, nil, "true", true),
    row("json", .isTrue, nil, "false", false),
    row("json", .isTrue, nil, #""true""#, false),
    row("json", .isTrue, nil, "1", false),
    row("json", .isFalse, nil, "false", true),
    row("json", .isFalse, nil, "null", false),
    row("json", .isFalse, nil, "0", false),
    row("json", .isEmpty, nil, "null", true),
    row("json", .isEmpty, nil, #""""#, true),
    row("json", .isEmpty, nil, "[]", true),
    row("json", .isEmpty, nil, "{}", true),
    row("json", .isEmpty, nil, "0", false),
    row("json", .isEmpty, nil, "false", false),
    row("json", .isEmpty, nil, #"" ""#, false),
    row("json", .isEmpty, nil, missing, true),
    row("json", .isNotEmpty, nil, "[1]", true),
    row("json", .isNotEmpty, nil, "{}", false),
    row("json", .isNull, nil, "null", true),
    row("json", .isNull, nil, #""""#, false),
    row("json", .isNull, nil, missing, false),
    row("json", .isNotNull, nil, missing, true),
    row("json", .isNotNull, nil, "null", false),
    row("json", .exists, nil, "null", true),
    row("json", .exists, nil, missing, false),
    row("json", .doesNotExist, nil, missing, true),
]

private let jsonPathRows: [EvaluationRow] = [
    row("json", .is, ["pro"], #"{"plan":"pro"}"#, true, path: "p.plan"),
    row("json", .is, ["pro"], #"{"plan":"free"}"#, false, path: "p.plan"),
    row("json", .is, ["pro"], #""pro""#, false, path: "p.plan"),
    row("json", .isNot, ["pro"], "null", true, path: "p.plan"),
    row("json", .isNot, ["pro"], missing, true, path: "p.plan"),
    row("json", .exists, nil, #"{"plan":null}"#, true, path: "p.plan"),
    row("json", .exists, nil, "{}", false, path: "p.plan"),
    row("json", .exists, nil, "[1]", false, path: "p.plan"),
    row("json", .doesNotExist, nil, "{}", true, path: "p.plan"),
    row("json", .isNull, nil, #"{"plan":null}"#, true, path: "p.plan"),
    row("json", .isNull, nil, "null", false, path: "p.plan"),
    row("json", .isEmpty, nil, "{}", true, path: "p.plan"),
    row("json", .isEmpty, nil, #"{"plan":[]}"#, true, path: "p.plan"),
    row("json", .isEmpty, nil, #"{"plan":"x"}"#, false, path: "p.plan"),
    row("json", .isGreaterThan, ["1"], #"{"a":{"b":2}}"#, true, path: "p.a.b"),
    row("json", .isGreaterThan, ["1"], #"{"a":{"b":0.5}}"#, false, path: "p.a.b"),
    row("json", .is, ["x"], #"{"odd key":"x"}"#, true, path: #"p["odd key"]"#),
    row("json", .is, ["1"], #"{"a.b":1}"#, true, path: #"p["a.b"]"#),
    row("json", .is, ["1"], #"{"a":{"b":1}}"#, false, path: #"p["a.b"]"#),
    row("json", .is, ["1"], #"{"a":{"b c":1}}"#, true, path: #"p.a["b c"]"#),
    row("json", .contains, ["vip"], #"{"tags":["new","vip"]}"#, true, path: "p.tags"),
    row("json", .isTrue, nil, #"{"flags":{"beta":true}}"#, true, path: "p.flags.beta"),
]

@Suite struct FilterEvaluationTests {
    static let rows: [EvaluationRow] =
        stringRows + booleanRows + intRows + floatRows + decimalRows + datetimeRows + dateTimeOfDayYearRows + uuidIPRows
        + containerRows + jsonRows + jsonPathRows

    @Test(arguments: rows)
    func evaluates(_ row: EvaluationRow) throws {
        let schema = try FilterFixture.schema(row.type)
        let filter = Filter(logical: .and, conditions: [.init(property: row.property, operator: row.op, values: row.values)])
        let profile = row.value.map { #"{"p": \#($0)}"# } ?? "{}"
        #expect(try FilterFixture.matches(filter, schema: schema, profile: profile) == row.expected)
    }

    static let addressSchema = #"""
        [{"name":"email","type":{"kind":"string"},"nullable":true},
         {"name":"address","nullable":true,"type":{"kind":"object","properties":[
            {"name":"country","type":{"kind":"string"},"nullable":true},
            {"name":"geo","type":{"kind":"object","properties":[{"name":"lat","type":{"kind":"float"}}]}}]}}]
        """#

    struct NestedRow: Sendable, CustomTestStringConvertible {
        var property: String
        var op: FilterOperator
        var values: [String]?
        var profile: String
        var expected: Bool
        var testDescription: String { "\(profile) \(property) \(op.rawValue) \(values ?? []) -> \(expected)" }
    }

    static let nestedRows: [NestedRow] = [
        NestedRow(property: "address.country", op: .is, values: ["US"], profile: #"{"address":{"country":"US"}}"#, expected: true),
        NestedRow(property: "address.country", op: .is, values: ["US"], profile: #"{"address":{"country":"IT"}}"#, expected: false),
        NestedRow(property: "address.country", op: .is, values: ["US"], profile: #"{"address":null}"#, expected: false),
        NestedRow(property: "address.country", op: .is, values: ["US"], profile: #"{}"#, expected: false),
        NestedRow(property: "address.country", op: .isNot, values: ["US"], profile: #"{"address":null}"#, expected: true),
        NestedRow(property: "address.country", op: .isNot, values: ["US"], profile: #"{"address":{}}"#, expected: true),
        NestedRow(property: "address.country", op: .isNull, values: nil, profile: #"{"address":{"country":null}}"#, expected: true),
        NestedRow(property: "address.country", op: .isNull, values: nil, profile: #"{"address":null}"#, expected: false),
        NestedRow(property: "address.country", op: .exists, values: nil, profile: #"{"address":{}}"#, expected: false),
        NestedRow(property: "address.country", op: .exists, values: nil, profile: #"{"address":{"country":null}}"#, expected: true),
        NestedRow(property: "address.country", op: .isEmpty, values: nil, profile: #"{"address":{"country":""}}"#, expected: true),
        NestedRow(property: "address.country", op: .isEmpty, values: nil, profile: #"{"address":null}"#, expected: true),
        NestedRow(property: "address.geo.lat", op: .isGreaterThan, values: ["45"], profile: #"{"address":{"geo":{"lat":45.5}}}"#, expected: true),
        NestedRow(property: "address.geo.lat", op: .isGreaterThan, values: ["45"], profile: #"{"address":{"geo":{"lat":44}}}"#, expected: false),
        NestedRow(property: "address", op: .isEmpty, values: nil, profile: #"{"address":{}}"#, expected: true),
        NestedRow(property: "address", op: .isNotEmpty, values: nil, profile: #"{"address":{"country":"US"}}"#, expected: true),
    ]

    @Test(arguments: nestedRows)
    func evaluatesNestedPaths(_ row: NestedRow) throws {
        let schema = try FilterFixture.schema(properties: Self.addressSchema)
        let filter = Filter(logical: .and, conditions: [.init(property: row.property, operator: row.op, values: row.values)])
        #expect(try FilterFixture.matches(filter, schema: schema, profile: row.profile) == row.expected)
    }

    struct LogicalRow: Sendable, CustomTestStringConvertible {
        var logical: Filter.Logical
        var profile: String
        var expected: Bool
        var testDescription: String { "\(logical) \(profile) -> \(expected)" }
    }

    /// `email ends with "@acme.com"` joined with `address.country is "US"`.
    static let logicalRows: [LogicalRow] = [
        LogicalRow(logical: .and, profile: #"{"email":"a@acme.com","address":{"country":"US"}}"#, expected: true),
        LogicalRow(logical: .and, profile: #"{"email":"a@acme.com","address":{"country":"IT"}}"#, expected: false),
        LogicalRow(logical: .and, profile: #"{"email":"a@other.com","address":{"country":"US"}}"#, expected: false),
        LogicalRow(logical: .and, profile: #"{}"#, expected: false),
        LogicalRow(logical: .or, profile: #"{"email":"a@acme.com","address":{"country":"IT"}}"#, expected: true),
        LogicalRow(logical: .or, profile: #"{"email":"a@other.com","address":{"country":"US"}}"#, expected: true),
        LogicalRow(logical: .or, profile: #"{"email":"a@other.com","address":{"country":"IT"}}"#, expected: false),
        LogicalRow(logical: .or, profile: #"{}"#, expected: false),
    ]

    @Test(arguments: logicalRows)
    func joinsConditions(_ row: LogicalRow) throws {
        let schema = try FilterFixture.schema(properties: Self.addressSchema)
        let filter = Filter(
            logical: row.logical,
            conditions: [
                .init(property: "email", operator: .endsWith, values: ["@acme.com"]),
                .init(property: "address.country", operator: .is, values: ["US"]),
            ])
        #expect(try FilterFixture.matches(filter, schema: schema, profile: row.profile) == row.expected)
    }

    @Test func matchesEachRowOfABatch() throws {
        let schema = try FilterFixture.schema("int")
        var batch = ProfileBatch(schema: schema)
        for (index, value) in [Value.int(5), nil, .null, .int(50)].enumerated() {
            let row = batch.appendRow(record: index + 1, line: index + 2)
            batch[row, 0] = value
        }
        let filter = try CompiledFilter(
            Filter(logical: .and, conditions: [.init(property: "p", operator: .isNotBetween, values: ["10", "20"])]), schema: schema)
        // Missing and null are neither between nor outside the bounds (Krenalis applies.go).
        #expect((0..<batch.count).map { filter.matches(batch, row: $0) } == [true, false, false, true])
        let above = try CompiledFilter(
            Filter(logical: .and, conditions: [.init(property: "p", operator: .isGreaterThan, values: ["10"])]), schema: schema)
        #expect((0..<batch.count).map { above.matches(batch, row: $0) } == [false, false, false, true])
    }
}
