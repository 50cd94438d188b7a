import Foundation

/// Checks a filter against the profile schema it will run on, reporting every problem at once.
///
/// Each problem names the condition by index in its path: the property that is not in the schema
/// (with a did-you-mean), an operator that does not apply to the property's kind (the table of
/// ``FilterOperatorTable``), a wrong number of values, a value that does not parse by the property's
/// kind, and an `is between` whose low value is above its high value.
///
/// ```swift
/// let issues = FilterValidator.validate(filter, schema: profileSchema, path: "pipelines[1].filter")
/// // pipelines[1].filter.conditions[2].operator: operator "is greater than" does not apply to
/// // boolean property "vip" (it applies to string, int, float, decimal and json)
/// ```
public enum FilterValidator {
    /// The longest condition value Krenalis accepts, in characters.
    public static let maximumValueLength = 60

    public static func validate(_ filter: Filter, schema: ObjectType, path: String) -> [Diagnostic] {
        var issues: [Diagnostic] = []
        _ = compile(filter, schema: schema, path: path, issues: &issues)
        return issues
    }

    /// The compiled conditions, complete only when `issues` gained nothing.
    static func compile(_ filter: Filter, schema: ObjectType, path: String, issues: inout [Diagnostic]) -> [CompiledFilter.Condition] {
        let conditionsPath = JSONPath.member(path, "conditions")
        if filter.conditions.isEmpty {
            issues.append(Diagnostic(path: conditionsPath, message: "must have at least one condition"))
        }
        var compiled: [CompiledFilter.Condition] = []
        for (index, condition) in filter.conditions.enumerated() {
            let conditionPath = JSONPath.index(conditionsPath, index)
            if let result = compile(condition, schema: schema, path: conditionPath, issues: &issues) {
                compiled.append(result)
            }
        }
        return compiled
    }

    private static func compile(
        _ condition: Filter.Condition, schema: ObjectType, path: String, issues: inout [Diagnostic]
    ) -> CompiledFilter.Condition? {
        let op = condition.operator
        let values = condition.values ?? []
        var ok = checkArity(op, values.count, path: JSONPath.member(path, "values"), issues: &issues)

        let location: FilterPath
        switch FilterPath.resolve(condition.property, in: schema) {
        case .success(let resolved): location = resolved
        case .failure(let failure):
            issues.append(Diagnostic(path: JSONPath.member(path, "property"), message: failure.message))
            return nil
        }
        if let problem = FilterOperatorTable.problem(op, location, written: condition.property) {
            issues.append(Diagnostic(path: JSONPath.member(path, "operator"), message: problem))
            return nil
        }

        let type: DataType = location.isInsideJSON ? .json : location.property.type
        var operands: [FilterOperand] = []
        // Values of an operator that takes none are already reported as too many, not parsed.
        for (index, text) in values.enumerated() where op.arity != .none {
            let valuePath = JSONPath.index(JSONPath.member(path, "values"), index)
            switch operand(text, op: op, type: type, property: condition.property) {
            case .success(let operand): operands.append(operand)
            case .failure(let failure):
                issues.append(Diagnostic(path: valuePath, message: failure.message))
                ok = false
            }
        }
        guard ok else { return nil }
        if op == .isBetween || op == .isNotBetween, let problem = rangeProblem(operands[0], operands[1], values) {
            issues.append(Diagnostic(path: JSONPath.member(path, "values"), message: problem))
            return nil
        }
        return CompiledFilter.Condition(
            slot: location.slot, objectPath: location.objectPath, jsonPath: location.jsonPath, test: test(op, operands),
            negated: isNegation(op))
    }

    private static func checkArity(_ op: FilterOperator, _ count: Int, path: String, issues: inout [Diagnostic]) -> Bool {
        let expected: String
        switch op.arity {
        case .none:
            if count == 0 { return true }
            expected = "no values"
        case .one:
            if count == 1 { return true }
            expected = "exactly one value"
        case .two:
            if count == 2 { return true }
            expected = "two values (low and high)"
        case .oneOrMore:
            if count >= 1 { return true }
            expected = "one or more values"
        }
        let found = count == 0 ? "none" : String(count)
        issues.append(Diagnostic(path: path, message: "operator \"\(op.rawValue)\" takes \(expected), found \(found)"))
        return false
    }

    private static func isNegation(_ op: FilterOperator) -> Bool {
        switch op {
        case .isNot, .isNotBetween, .doesNotContain, .isNotOneOf, .isNotEmpty, .isNotNull, .doesNotExist: return true
        default: return false
        }
    }

    private static func test(_ op: FilterOperator, _ operands: [FilterOperand]) -> CompiledFilter.Test {
        switch op {
        case .is, .isNot: return .equal(operands[0])
        case .isLessThan, .isBefore: return .less(operands[0])
        case .isLessThanOrEqualTo, .isOnOrBefore: return .lessOrEqual(operands[0])
        case .isGreaterThan, .isAfter: return .greater(operands[0])
        case .isGreaterThanOrEqualTo, .isOnOrAfter: return .greaterOrEqual(operands[0])
        case .isBetween, .isNotBetween: return .between(operands[0], operands[1])
        case .contains, .doesNotContain: return .contains(operands[0])
        case .isOneOf, .isNotOneOf: return .oneOf(operands)
        case .startsWith: return .startsWith(operands[0])
        case .endsWith: return .endsWith(operands[0])
        case .isTrue: return .isBoolean(true)
        case .isFalse: return .isBoolean(false)
        case .isEmpty, .isNotEmpty: return .isEmpty
        case .isNull, .isNotNull: return .isNull
        case .exists, .doesNotExist: return .exists
        }
    }

    private struct ValueProblem: Error {
        var message: String
    }

    /// Parses one condition value by the kind of the property (the element kind for arrays).
    ///
    /// Bounds of the property's type (an int's maximum, a string's maxLength) do not apply: a filter
    /// may ask for `age is less than 1000` on an `int(8)`.
    private static func operand(_ text: String, op: FilterOperator, type: DataType, property: String) -> Result<FilterOperand, ValueProblem> {
        let quoted = ValueError.quote(text)
        if text.unicodeScalars.count > maximumValueLength {
            return .failure(ValueProblem(message: "value \(quoted) is longer than \(maximumValueLength) characters"))
        }
        if text.utf8.contains(0) {
            return .failure(ValueProblem(message: "value \(quoted) contains the NUL character"))
        }
        func invalid(_ what: String) -> Result<FilterOperand, ValueProblem> {
            .failure(ValueProblem(message: "value \(quoted) is not a valid \(what) for property \"\(property)\""))
        }
        switch type {
        case .string(let t):
            if let allowed = t.values, !allowed.contains(text) {
                let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
                return .failure(ValueProblem(message: "value \(quoted) is not one of the allowed values of property \"\(property)\" (\(list))"))
            }
            return .success(.string(text))
        case .int(let t):
            var copy = text
            let parsed = copy.withUTF8 { TextDecoding.parseInteger($0) }
            guard let parsed else { return invalid(t.unsigned ? "unsigned int" : "int") }
            if parsed.negative {
                guard !t.unsigned || parsed.magnitude == 0 else { return invalid("unsigned int") }
                guard parsed.magnitude <= UInt64(Int64.max) + 1 else { return invalid("int") }
                return .success(.int(parsed.magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(parsed.magnitude)))
            }
            if parsed.magnitude > UInt64(Int64.max) {
                guard t.unsigned else { return invalid("int") }
                return .success(.uint(parsed.magnitude))
            }
            return .success(.int(Int64(parsed.magnitude)))
        case .float(let t):
            var copy = text
            guard let value = copy.withUTF8({ TextDecoding.parseDouble($0) }), value.isFinite else { return invalid("float") }
            return .success(.float(t.bitSize == 32 ? Double(Float(value)) : value))
        case .decimal:
            guard let value = DecimalValue(text) else { return invalid("decimal") }
            return .success(.decimal(DecimalKey(value)))
        case .datetime:
            guard let value = DateTimeValue(parsing: text) else { return invalid("datetime (ISO 8601, such as 2024-01-02T03:04:05Z)") }
            return .success(.datetime(value))
        case .date:
            guard let value = DateValue(parsing: text) else { return invalid("date (YYYY-MM-DD)") }
            return .success(.date(value))
        case .time:
            guard let value = TimeValue(parsing: text) else { return invalid("time (hh:mm:ss)") }
            return .success(.time(value))
        case .year:
            guard let value = Int(text), (1...9999).contains(value) else { return invalid("year (1 to 9999)") }
            return .success(.year(value))
        case .uuid:
            guard let value = UUIDText.parse(text) else { return invalid("uuid") }
            return .success(.uuid(value))
        case .ip:
            guard let value = IPAddress.canonical(text) else { return invalid("IP address") }
            return .success(.ip(value))
        case .json:
            switch op {
            case .isBefore, .isOnOrBefore, .isAfter, .isOnOrAfter:
                guard let value = DateTimeValue(parsing: text) else { return invalid("datetime (ISO 8601, such as 2024-01-02T03:04:05Z)") }
                return .success(.jsonInstant(value))
            default:
                return .success(.json(string: text, number: DecimalValue(text).map(DecimalKey.init)))
            }
        case .array(let t):
            return operand(text, op: op, type: t.elementType, property: property)
        case .boolean, .object, .map:
            // The operator table admits no operator with values for these kinds.
            return invalid(type.name)
        }
    }

    /// Why `low...high` is an empty range, or nil; json values compare as numbers when both are.
    private static func rangeProblem(_ low: FilterOperand, _ high: FilterOperand, _ texts: [String]) -> String? {
        let order: Int?
        switch (low, high) {
        case (.json(let lowText, _?), .json(_, let highNumber?)):
            order = highNumber.compare(numberText: lowText)
        case (.json(let lowText, _), .json(let highText, _)):
            order = ByteOrder.compare(lowText, highText)
        case (.int(let a), _): order = FilterOrder.compare(Value.int(a), high)
        case (.uint(let a), _): order = FilterOrder.compare(Value.uint(a), high)
        case (.float(let a), _): order = FilterOrder.compare(Value.float(a), high)
        case (.decimal(let a), .decimal(let b)): order = b.compare(numberText: decimalText(a))
        case (.string(let a), _): order = FilterOrder.compare(Value.string(a), high)
        case (.datetime(let a), _): order = FilterOrder.compare(Value.datetime(a), high)
        case (.date(let a), _): order = FilterOrder.compare(Value.date(a), high)
        case (.time(let a), _): order = FilterOrder.compare(Value.time(a), high)
        case (.year(let a), _): order = FilterOrder.compare(Value.year(a), high)
        default: order = nil
        }
        guard let order, order > 0 else { return nil }
        return "the low value \(ValueError.quote(texts[0])) is greater than the high value \(ValueError.quote(texts[1])), so no value is between them"
    }

    /// The text of a decimal key, for comparing two keys through the number-text path.
    private static func decimalText(_ key: DecimalKey) -> String {
        (key.isNegative ? "-0." : "0.") + String(decoding: key.digits, as: UTF8.self) + "e\(key.exponent)"
    }
}
