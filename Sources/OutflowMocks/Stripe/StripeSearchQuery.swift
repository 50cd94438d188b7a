/// A query of Stripe's search query language for customers: `email:'ada@example.org'`,
/// `email:'a@x.org' OR email:'b@x.org'`, `name~'ada'`, `metadata['plan']:'pro'`, `-email:'x'`.
///
/// Clauses are joined by `AND` or by `OR` but not both (Stripe refuses the mix), at most 10 of
/// them. `:` is an exact match (case-insensitive for email, as Stripe matches emails), `~` a
/// substring of at least 3 characters.
struct StripeSearchQuery: Sendable {
    struct Clause: Sendable {
        /// `email`, `name`, `phone`, `description` or `metadata[KEY]`.
        let field: String
        let metadataKey: String?
        let substring: Bool
        let negated: Bool
        let value: String
    }

    let clauses: [Clause]
    let any: Bool

    static let fields = ["email", "name", "phone", "description", "metadata"]

    func matches(_ customer: StripeCustomer) -> Bool {
        let results = clauses.map { clause -> Bool in
            let stored: String?
            if let key = clause.metadataKey {
                stored = customer.object["metadata"]?[key]?.stringValue
            } else {
                stored = customer.object[clause.field]?.stringValue
            }
            let hit: Bool
            if let stored {
                let (a, b) = clause.field == "email" || clause.substring ? (stored.lowercased(), clause.value.lowercased()) : (stored, clause.value)
                hit = clause.substring ? a.contains(b) : a == b
            } else {
                hit = false
            }
            return clause.negated ? !hit : hit
        }
        return any ? results.contains(true) : results.allSatisfy { $0 }
    }

    /// The fields the store's search index keys customers by (what the connector looks them up by).
    static let indexedFields = ["email", "name", "phone"]

    /// The index keys of `customer`: `field:value` for each indexed field it has, emails lower-cased
    /// as `:` compares them.
    static func indexKeys(_ customer: StripeCustomer) -> [String] {
        indexedFields.compactMap { field in
            customer.object[field]?.stringValue.map { field + ":" + (field == "email" ? $0.lowercased() : $0) }
        }
    }

    /// Keys one of which every customer the query matches has (see ``indexKeys(_:)``), or nil when
    /// every customer must be checked: an exact, not negated clause on an indexed field, under AND;
    /// under OR only when every clause is one.
    var candidateKeys: [String]? {
        let keys = clauses.map { clause -> String? in
            guard clause.metadataKey == nil, !clause.substring, !clause.negated, Self.indexedFields.contains(clause.field) else { return nil }
            return clause.field + ":" + (clause.field == "email" ? clause.value.lowercased() : clause.value)
        }
        if any || clauses.count == 1 {
            let all = keys.compactMap { $0 }
            return all.count == keys.count ? all : nil
        }
        return keys.lazy.compactMap { $0 }.first.map { [$0] }
    }

    static func parse(_ text: String) throws(StripeError) -> StripeSearchQuery {
        var scanner = Scanner(characters: Array(text))
        var clauses: [Clause] = []
        var joiners: Set<String> = []
        while true {
            clauses.append(try scanner.clause())
            scanner.skipSpaces()
            if scanner.atEnd { break }
            let joiner = scanner.word()
            guard joiner == "AND" || joiner == "OR" else {
                throw .searchQuery("Invalid query: expected AND or OR at position \(scanner.index + 1), found «\(joiner)».")
            }
            joiners.insert(joiner)
        }
        guard joiners.count <= 1 else {
            throw .searchQuery("Invalid query: you cannot combine AND and OR in the same query.")
        }
        guard clauses.count <= 10 else {
            throw .searchQuery("Invalid query: a query may contain at most 10 clauses; this one has \(clauses.count).")
        }
        return StripeSearchQuery(clauses: clauses, any: joiners.contains("OR"))
    }

    private struct Scanner {
        let characters: [Character]
        var index = 0

        var atEnd: Bool { index >= characters.count }

        mutating func skipSpaces() {
            while index < characters.count, characters[index] == " " { index += 1 }
        }

        mutating func word() -> String {
            skipSpaces()
            let start = index
            while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" { index += 1 }
            return String(characters[start..<index])
        }

        mutating func quoted() throws(StripeError) -> String {
            skipSpaces()
            guard index < characters.count, characters[index] == "'" || characters[index] == "\"" else {
                throw .searchQuery("Invalid query: expected a quoted value at position \(index + 1).")
            }
            let quote = characters[index]
            index += 1
            var value = ""
            while index < characters.count, characters[index] != quote {
                if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                value.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw .searchQuery("Invalid query: unterminated string.") }
            index += 1
            return value
        }

        mutating func clause() throws(StripeError) -> Clause {
            skipSpaces()
            let negated = index < characters.count && characters[index] == "-"
            if negated { index += 1 }
            let field = word()
            guard StripeSearchQuery.fields.contains(field) else {
                throw .searchQuery("Invalid query: the field «\(field)» is not supported for customers; use email, name, phone, description or metadata['KEY'].")
            }
            var key: String?
            if field == "metadata" {
                guard index < characters.count, characters[index] == "[" else {
                    throw .searchQuery("Invalid query: metadata must name a key, as in metadata['plan'].")
                }
                index += 1
                key = try quoted()
                guard index < characters.count, characters[index] == "]" else { throw .searchQuery("Invalid query: expected ] after the metadata key.") }
                index += 1
            }
            guard index < characters.count, characters[index] == ":" || characters[index] == "~" else {
                throw .searchQuery("Invalid query: expected : or ~ after \(field) at position \(index + 1).")
            }
            let substring = characters[index] == "~"
            index += 1
            let value = try quoted()
            if substring, value.count < 3 {
                throw .searchQuery("Invalid query: a substring match (~) needs at least 3 characters.")
            }
            return Clause(field: field, metadataKey: key, substring: substring, negated: negated, value: value)
        }
    }
}
