/// A pipeline's filter as written in the pipelines API: a flat list of conditions joined by
/// `and` or `or` (DESIGN section 6).
public struct Filter: Hashable, Sendable {
    public enum Logical: String, Hashable, Sendable, CaseIterable {
        case and, or
    }

    public var logical: Logical
    public var conditions: [Condition]

    public init(logical: Logical, conditions: [Condition]) {
        self.logical = logical
        self.conditions = conditions
    }

    /// One condition: a property path, an operator and the operator's values (as strings).
    public struct Condition: Hashable, Sendable {
        public var property: String
        public var `operator`: FilterOperator
        public var values: [String]?

        public init(property: String, operator: FilterOperator, values: [String]? = nil) {
            self.property = property
            self.operator = `operator`
            self.values = values
        }
    }
}

/// The 26 operators of a filter condition, spelt as the API spells them.
public enum FilterOperator: String, Hashable, Sendable, CaseIterable {
    case `is` = "is"
    case isNot = "is not"
    case isLessThan = "is less than"
    case isLessThanOrEqualTo = "is less than or equal to"
    case isGreaterThan = "is greater than"
    case isGreaterThanOrEqualTo = "is greater than or equal to"
    case isBetween = "is between"
    case isNotBetween = "is not between"
    case contains = "contains"
    case doesNotContain = "does not contain"
    case isOneOf = "is one of"
    case isNotOneOf = "is not one of"
    case startsWith = "starts with"
    case endsWith = "ends with"
    case isBefore = "is before"
    case isOnOrBefore = "is on or before"
    case isAfter = "is after"
    case isOnOrAfter = "is on or after"
    case isTrue = "is true"
    case isFalse = "is false"
    case isEmpty = "is empty"
    case isNotEmpty = "is not empty"
    case isNull = "is null"
    case isNotNull = "is not null"
    case exists = "exists"
    case doesNotExist = "does not exist"

    /// How many values the operator takes.
    public enum Arity: Hashable, Sendable {
        case none, one, two, oneOrMore
    }

    public var arity: Arity {
        switch self {
        case .isTrue, .isFalse, .isEmpty, .isNotEmpty, .isNull, .isNotNull, .exists, .doesNotExist: return .none
        case .isBetween, .isNotBetween: return .two
        case .isOneOf, .isNotOneOf: return .oneOrMore
        default: return .one
        }
    }
}

extension Filter {
    /// Decodes the API's filter JSON, reporting shape problems (semantic checks need a schema; see
    /// `FilterValidator`).
    public static func decode(_ json: JSONValue, path: String, issues: inout [Diagnostic]) -> Filter? {
        guard let object = JSONFields.object(json, path: path, issues: &issues) else { return nil }
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let logicalText = fields.string("logical", required: true)
        var logical: Logical?
        if let logicalText {
            logical = Logical(rawValue: logicalText)
            if logical == nil {
                fields.issues.append(Diagnostic(path: fields.memberPath("logical"), message: "must be \"and\" or \"or\", found \"\(logicalText)\""))
            }
        }
        let items = fields.array("conditions", required: true)
        fields.rejectUnknown()
        guard let items else { return nil }
        if items.isEmpty {
            fields.issues.append(Diagnostic(path: fields.memberPath("conditions"), message: "must have at least one condition"))
        }
        var conditions: [Condition] = []
        var ok = true
        for (index, item) in items.enumerated() {
            let itemPath = JSONPath.index(fields.memberPath("conditions"), index)
            guard let object = JSONFields.object(item, path: itemPath, issues: &fields.issues) else {
                ok = false
                continue
            }
            var condition = JSONFields(object, path: itemPath)
            let property = condition.string("property", required: true)
            let operatorText = condition.string("operator", required: true)
            let values = condition.stringArray("values")
            condition.rejectUnknown()
            fields.issues += condition.issues
            guard let property, let operatorText else {
                ok = false
                continue
            }
            guard let op = FilterOperator(rawValue: operatorText) else {
                fields.issues.append(
                    Diagnostic(
                        path: condition.memberPath("operator"),
                        message: "unknown operator \"\(operatorText)\"" + Suggestion.hint(for: operatorText, in: FilterOperator.allCases.map(\.rawValue))))
                // A placeholder keeps the indexes of the following conditions; the caller drops
                // further findings about this condition because its shape was already reported.
                conditions.append(Condition(property: property, operator: .exists, values: nil))
                continue
            }
            conditions.append(Condition(property: property, operator: op, values: values))
        }
        guard ok, conditions.count == items.count else { return nil }
        return Filter(logical: logical ?? .and, conditions: conditions)
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("logical", .string(logical.rawValue)),
                (
                    "conditions",
                    .array(
                        conditions.map { condition in
                            var object = JSONObject([("property", .string(condition.property)), ("operator", .string(condition.operator.rawValue))])
                            if let values = condition.values { object["values"] = .array(values.map(JSONValue.string)) }
                            return .object(object)
                        })
                ),
            ]))
    }
}
