import OutflowCore

/// The body of `POST /contacts/search`: a query of single filters `{"field","operator","value"}`
/// nested under `{"operator":"AND"|"OR","value":[...]}`, and `pagination` with `per_page` (at
/// most 150) and `starting_after`.
///
/// Operators: `=`, `!=`, `IN`, `NIN`, `~` (contains), `!~`, `^` (starts with), `$` (ends with),
/// `>`, `<`; fields are the contact's own (`email`, `id`, `external_id`, `role`, `name`, `phone`)
/// or `custom_attributes.NAME`. Emails compare without regard to case.
///
/// ```json
/// {"query":{"field":"email","operator":"IN","value":["a@x.org","b@x.org"]},"pagination":{"per_page":150}}
/// ```
struct IntercomSearch: Sendable {
    indirect enum Query: Sendable {
        case all([Query])
        case any([Query])
        case filter(field: String, operator: String, value: JSONValue)
    }

    static let maxPerPage = 150
    static let operators = ["=", "!=", "IN", "NIN", "~", "!~", "^", "$", ">", "<"]

    let query: Query
    let perPage: Int
    let startingAfter: String?

    static func parse(_ body: JSONValue) throws(IntercomError) -> IntercomSearch {
        guard let query = body["query"] else { throw .missing("query parameter is required") }
        let pagination = body["pagination"]
        var perPage = 50
        if let given = pagination?["per_page"] {
            guard let number = given.intValue, (1...maxPerPage).contains(number) else {
                throw .invalid("per_page must be an integer between 1 and \(maxPerPage)")
            }
            perPage = number
        }
        return IntercomSearch(query: try parseQuery(query), perPage: perPage, startingAfter: pagination?["starting_after"]?.stringValue)
    }

    private static func parseQuery(_ value: JSONValue) throws(IntercomError) -> Query {
        guard let operation = value["operator"]?.stringValue else { throw .invalid("query must have an operator") }
        if operation == "AND" || operation == "OR" {
            guard let items = value["value"]?.arrayValue else { throw .invalid("\(operation) needs a list of queries as its value") }
            var parsed: [Query] = []
            for item in items { parsed.append(try parseQuery(item)) }
            return operation == "AND" ? .all(parsed) : .any(parsed)
        }
        guard operators.contains(operation) else { throw .invalid("Operator \(operation) is not supported") }
        guard let field = value["field"]?.stringValue else { throw .invalid("query must have a field") }
        guard let operand = value["value"] else { throw .invalid("query must have a value") }
        if operation == "IN" || operation == "NIN" {
            guard operand.arrayValue != nil else { throw .invalid("\(operation) needs a list as its value") }
        }
        return .filter(field: field, operator: operation, value: operand)
    }

    func matches(_ contact: IntercomContact) -> Bool { Self.evaluate(query, contact) }

    /// The fields the store's search index keys contacts by (what connectors look contacts up by).
    static let indexedFields = ["id", "email", "external_id"]

    /// The index keys of `contact`: `field:text` for each indexed field it has, as `=` and `IN` compare.
    static func indexKeys(_ contact: IntercomContact) -> [String] {
        indexedFields.compactMap { field in text(of: field, in: contact).map { field + ":" + $0 } }
    }

    /// Keys one of which every contact the query matches has (see ``indexKeys(_:)``), or nil when
    /// the query must be checked against every contact: `=` or `IN` on an indexed field, an AND
    /// holding one, an OR made only of them.
    var candidateKeys: [String]? { Self.candidateKeys(query) }

    private static func candidateKeys(_ query: Query) -> [String]? {
        switch query {
        case .all(let items): return items.lazy.compactMap(candidateKeys).first
        case .any(let items):
            var keys: [String] = []
            for item in items {
                guard let more = candidateKeys(item) else { return nil }
                keys += more
            }
            return keys
        case .filter(let field, let operation, let operand):
            guard indexedFields.contains(field) else { return nil }
            let wanted = (operand.arrayValue ?? [operand]).compactMap(scalarText).map { fold($0, field) }
            switch operation {
            case "IN": return wanted.map { field + ":" + $0 }
            // `=` with no scalar value matches the contacts without the field: not indexed.
            case "=": return wanted.first.map { [field + ":" + $0] }
            default: return nil
            }
        }
    }

    /// A field's value as the operators compare it: scalar text, emails lower-cased.
    private static func text(of field: String, in contact: IntercomContact) -> String? {
        let stored: JSONValue? = field.hasPrefix("custom_attributes.")
            ? contact.object["custom_attributes"]?[String(field.dropFirst("custom_attributes.".count))]
            : contact.object[field]
        return stored.flatMap(scalarText).map { fold($0, field) }
    }

    private static func fold(_ text: String, _ field: String) -> String { field == "email" ? text.lowercased() : text }

    private static func evaluate(_ query: Query, _ contact: IntercomContact) -> Bool {
        switch query {
        case .all(let items): return items.allSatisfy { evaluate($0, contact) }
        case .any(let items): return items.contains { evaluate($0, contact) }
        case .filter(let field, let operation, let operand):
            let text = text(of: field, in: contact)
            let wanted = (operand.arrayValue ?? [operand]).compactMap(scalarText).map { fold($0, field) }
            switch operation {
            case "=": return text == wanted.first
            case "!=": return text != wanted.first
            case "IN": return text.map(wanted.contains) ?? false
            case "NIN": return !(text.map(wanted.contains) ?? false)
            case "~": return text.map { t in wanted.first.map { t.contains($0) } ?? false } ?? false
            case "!~": return !(text.map { t in wanted.first.map { t.contains($0) } ?? false } ?? false)
            case "^": return text.map { t in wanted.first.map { t.hasPrefix($0) } ?? false } ?? false
            case "$": return text.map { t in wanted.first.map { t.hasSuffix($0) } ?? false } ?? false
            case ">", "<":
                guard let a = text.flatMap(Double.init), let b = wanted.first.flatMap(Double.init) else { return false }
                return operation == ">" ? a > b : a < b
            default: return false
            }
        }
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }
}
