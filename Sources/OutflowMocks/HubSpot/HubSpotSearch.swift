import OutflowCore

/// `POST /crm/v3/objects/contacts/search`: filter groups (OR of groups, AND within a group),
/// free-text `query`, `sorts`, `limit` and the `after` cursor.
///
/// Limits enforced as HubSpot documents them: at most 5 filter groups, 6 filters in a group and 18
/// in all; at most 100 values for `IN` and `NOT_IN`; `limit` at most 200. String comparisons
/// ignore case, as HubSpot's search does. Search sees the index, which lags writes by `search-lag`.
struct HubSpotSearch {
    struct Filter {
        let propertyName: String
        let op: String
        let value: String?
        let values: [String]
        let highValue: String?
    }

    var groups: [[Filter]] = []
    var query: String?
    var properties: [String]?
    var sortProperty = "hs_object_id"
    var descending = false
    var limit = 10
    var after = 0

    static let operators: Set<String> = [
        "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN",
        "NOT_CONTAINS_TOKEN",
    ]

    static func parse(_ body: JSONValue) throws(HubSpotError) -> HubSpotSearch {
        var search = HubSpotSearch()
        let groups = body["filterGroups"]?.arrayValue ?? []
        guard groups.count <= 5 else { throw .validation("Too many filter groups: \(groups.count); the limit is 5") }
        var total = 0
        for group in groups {
            let filters = group["filters"]?.arrayValue ?? []
            guard filters.count <= 6 else { throw .validation("Too many filters in a filter group: \(filters.count); the limit is 6") }
            total += filters.count
            search.groups.append(try filters.map { filter throws(HubSpotError) in try parseFilter(filter) })
        }
        guard total <= 18 else { throw .validation("Too many filters: \(total); the limit is 18 across all filter groups") }
        search.query = body["query"]?.stringValue
        if let names = body["properties"]?.arrayValue, !names.isEmpty { search.properties = names.compactMap(\.stringValue) }
        if let limit = body["limit"] {
            guard let value = limit.intValue, value >= 0, value <= 200 else {
                throw .validation("limit must be between 0 and 200, got \(JSONWriter.string(limit))")
            }
            search.limit = value
        }
        if let after = body["after"], after != .null {
            guard let value = after.intValue, value >= 0 else { throw .validation("after must be a paging cursor, got \(JSONWriter.string(after))") }
            search.after = value
        }
        if let sort = body["sorts"]?[0] {
            if let text = sort.stringValue {
                search.descending = text.hasPrefix("-")
                search.sortProperty = search.descending ? String(text.dropFirst()) : text
            } else if let name = sort["propertyName"]?.stringValue {
                search.sortProperty = name
                search.descending = sort["direction"]?.stringValue == "DESCENDING"
            }
        }
        return search
    }

    private static func parseFilter(_ filter: JSONValue) throws(HubSpotError) -> Filter {
        guard let name = filter["propertyName"]?.stringValue else { throw .invalidJSON("a filter needs \"propertyName\"") }
        guard let op = filter["operator"]?.stringValue, operators.contains(op) else {
            throw .invalidJSON("Cannot construct instance of Filter, problem: unknown operator \(filter["operator"].map(JSONWriter.string) ?? "null")")
        }
        let values = filter["values"]?.arrayValue?.compactMap(scalar) ?? []
        if op == "IN" || op == "NOT_IN" {
            guard filter["values"] != nil else { throw .invalidJSON("operator \(op) requires values") }
            guard values.count <= 100 else {
                throw .validation("Too many values in \(op) filter on \(name): \(values.count); the limit is 100")
            }
        }
        let value = filter["value"].flatMap(scalar)
        if op == "BETWEEN", filter["highValue"] == nil { throw .invalidJSON("operator BETWEEN requires a highValue") }
        return Filter(propertyName: name, op: op, value: value, values: values, highValue: filter["highValue"].flatMap(scalar))
    }

    private static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    /// The page of `snapshot` this search asks for, and the total number of matches.
    func run(_ snapshot: [(contact: HubSpotContact, indexed: [String: String])]) -> (total: Int, page: [(HubSpotContact, [String: String])]) {
        var found = snapshot.filter { entry in
            (groups.isEmpty || groups.contains { group in group.allSatisfy { matches($0, entry.indexed) } })
                && (query.map { matchesQuery($0, entry.indexed) } ?? true)
        }
        found.sort { lhs, rhs in
            let order = Self.compare(lhs.indexed[sortProperty], rhs.indexed[sortProperty])
            if order == 0 { return lhs.contact.id < rhs.contact.id }
            return descending ? order > 0 : order < 0
        }
        let page = found.dropFirst(after).prefix(limit).map { ($0.contact, $0.indexed) }
        return (found.count, Array(page))
    }

    private func matches(_ filter: Filter, _ properties: [String: String]) -> Bool {
        let actual = properties[filter.propertyName]
        switch filter.op {
        case "HAS_PROPERTY": return actual != nil
        case "NOT_HAS_PROPERTY": return actual == nil
        default: break
        }
        guard let actual else { return filter.op == "NEQ" || filter.op == "NOT_IN" || filter.op == "NOT_CONTAINS_TOKEN" }
        let value = filter.value ?? ""
        switch filter.op {
        case "EQ": return Self.compare(actual, value) == 0
        case "NEQ": return Self.compare(actual, value) != 0
        case "LT": return Self.compare(actual, value) < 0
        case "LTE": return Self.compare(actual, value) <= 0
        case "GT": return Self.compare(actual, value) > 0
        case "GTE": return Self.compare(actual, value) >= 0
        case "BETWEEN": return Self.compare(actual, value) >= 0 && Self.compare(actual, filter.highValue ?? "") <= 0
        case "IN": return filter.values.contains { Self.compare(actual, $0) == 0 }
        case "NOT_IN": return !filter.values.contains { Self.compare(actual, $0) == 0 }
        case "CONTAINS_TOKEN": return Self.containsToken(actual, value)
        case "NOT_CONTAINS_TOKEN": return !Self.containsToken(actual, value)
        default: return false
        }
    }

    private func matchesQuery(_ query: String, _ properties: [String: String]) -> Bool {
        let needle = query.lowercased()
        return HubSpotProperties.searchable.contains { properties[$0]?.lowercased().contains(needle) ?? false }
    }

    /// `*` is a wildcard in HubSpot's token search; without one, the value must be a whole token.
    private static func containsToken(_ actual: String, _ token: String) -> Bool {
        let haystack = actual.lowercased()
        let needle = token.lowercased()
        if needle.contains("*") {
            let pieces = needle.split(separator: "*", omittingEmptySubsequences: true)
            return pieces.allSatisfy { haystack.contains($0) }
        }
        let tokens = haystack.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return tokens.contains { $0 == needle } || haystack == needle
    }

    /// Numbers compare as numbers, everything else as lower-cased text; absent sorts first.
    static func compare(_ lhs: String?, _ rhs: String?) -> Int {
        guard let lhs else { return rhs == nil ? 0 : -1 }
        guard let rhs else { return 1 }
        if let l = Double(lhs), let r = Double(rhs) { return l < r ? -1 : (l > r ? 1 : 0) }
        let l = lhs.lowercased()
        let r = rhs.lowercased()
        return l < r ? -1 : (l > r ? 1 : 0)
    }
}
