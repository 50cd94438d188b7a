/// Which operators apply to which property kinds: the table of Krenalis
/// (`core/filters.go`, `validateFilterCondition`), with Outflow's additions of DESIGN section 7.
///
/// ```
/// is, is not                     string, int, float, decimal, datetime, date, time, year, uuid, ip, json
/// is less than (or equal to),
/// is greater than (or equal to)  string¹, int, float, decimal, json
/// is between, is not between     string¹, int, float, decimal, datetime, date, time, year, json
/// contains, does not contain     string, json, array²
/// is one of, is not one of       string, int, float, decimal, datetime, date, time, year, json
/// starts with, ends with         string¹, json
/// is before, is on or before,
/// is after, is on or after       datetime, date, time, year, json
/// is true, is false              boolean, json
/// is empty, is not empty         string³, array, object, map, json
/// is null, is not null           every kind⁴
/// exists, does not exist         every kind
/// ```
/// ¹ not a string with allowed `values`. ² `array(T)` when `T` takes `is` (not boolean, array, object
/// or map). ³ a string with allowed `values` only when `""` is among them. ⁴ only a nullable property,
/// a json property or a path inside one: other properties are never null.
///
/// A path that continues inside a json property (`traits.plan`) has the kind json. Outflow, unlike
/// Krenalis exports, accepts json properties and `is empty` on objects; `exists` is not limited to
/// read-optional properties, because Outflow's readers let any property be missing.
enum FilterOperatorTable {
    /// The kinds `op` applies to, in the order of the table, for messages.
    static func kinds(of op: FilterOperator) -> [Kind] {
        switch op {
        case .is, .isNot:
            return [.string, .int, .float, .decimal, .datetime, .date, .time, .year, .uuid, .ip, .json]
        case .isLessThan, .isLessThanOrEqualTo, .isGreaterThan, .isGreaterThanOrEqualTo:
            return [.string, .int, .float, .decimal, .json]
        case .isBetween, .isNotBetween, .isOneOf, .isNotOneOf:
            return [.string, .int, .float, .decimal, .datetime, .date, .time, .year, .json]
        case .contains, .doesNotContain:
            return [.string, .json, .array]
        case .startsWith, .endsWith:
            return [.string, .json]
        case .isBefore, .isOnOrBefore, .isAfter, .isOnOrAfter:
            return [.datetime, .date, .time, .year, .json]
        case .isTrue, .isFalse:
            return [.boolean, .json]
        case .isEmpty, .isNotEmpty:
            return [.string, .array, .object, .map, .json]
        case .isNull, .isNotNull, .exists, .doesNotExist:
            return Kind.allCases
        }
    }

    /// Nil when `op` applies to the property at `path`, otherwise why it does not.
    static func problem(_ op: FilterOperator, _ path: FilterPath, written: String) -> String? {
        let type: DataType = path.isInsideJSON ? .json : path.property.type
        let allowed = kinds(of: op)
        let subject = "\(type.name) property \"\(written)\""
        guard allowed.contains(type.kind) else {
            return "operator \"\(op.rawValue)\" does not apply to \(subject) (it applies to \(list(allowed)))"
        }
        switch (op, type) {
        case (.contains, .array(let t)), (.doesNotContain, .array(let t)):
            if !Self.kinds(of: .is).contains(t.elementType.kind) {
                return "operator \"\(op.rawValue)\" does not apply to \(subject): its elements are \(t.elementType.name)"
            }
        case (.isLessThan, .string(let t)), (.isLessThanOrEqualTo, .string(let t)), (.isGreaterThan, .string(let t)),
            (.isGreaterThanOrEqualTo, .string(let t)), (.isBetween, .string(let t)), (.isNotBetween, .string(let t)),
            (.startsWith, .string(let t)), (.endsWith, .string(let t)):
            if t.values != nil {
                return "operator \"\(op.rawValue)\" does not apply to \(subject), which has allowed values"
            }
        case (.isEmpty, .string(let t)), (.isNotEmpty, .string(let t)):
            if let values = t.values, !values.contains("") {
                return "operator \"\(op.rawValue)\" does not apply to \(subject): its allowed values exclude the empty string"
            }
        case (.isNull, _), (.isNotNull, _):
            if !path.property.nullable && type.kind != .json {
                return "operator \"\(op.rawValue)\" applies only to nullable or json properties; \(subject) is not nullable"
            }
        default:
            break
        }
        return nil
    }

    private static func list(_ kinds: [Kind]) -> String {
        let names = kinds.map(\.rawValue)
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
