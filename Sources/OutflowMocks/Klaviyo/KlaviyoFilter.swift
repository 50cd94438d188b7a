/// The `filter` query parameter of `GET /api/profiles`, in Klaviyo's filter syntax:
/// `equals(email,"ada@example.org")`, `any(email,["a@x.org","b@x.org"])`, several conditions
/// joined by commas meaning AND.
///
/// Only what a connector looks profiles up by is understood: `equals` and `any` on `email`, `id`,
/// `phone_number` and `external_id`; anything else is Klaviyo's 400 naming the `filter` parameter.
///
/// ```swift
/// let filter = try KlaviyoFilter.parse(#"any(email,["ada@example.org","bob@example.org"])"#)
/// filter.matches(profile)
/// ```
struct KlaviyoFilter: Sendable {
    struct Condition: Sendable {
        let field: String
        /// Compared without regard to case for `email`, exactly otherwise.
        let values: [String]
    }

    static let fields = ["email", "id", "phone_number", "external_id"]

    let conditions: [Condition]

    func matches(_ profile: KlaviyoProfile) -> Bool {
        conditions.allSatisfy { condition in
            let value = condition.field == "id" ? profile.id : profile.identifier(condition.field)
            guard let value else { return false }
            return condition.values.contains { condition.field == "email" ? $0.lowercased() == value : $0 == value }
        }
    }

    static func parse(_ text: String) throws(KlaviyoError) -> KlaviyoFilter {
        var scanner = Scanner(characters: Array(text))
        var conditions: [Condition] = []
        repeat {
            conditions.append(try scanner.condition())
        } while scanner.take(",")
        guard scanner.atEnd else { throw scanner.failure("unexpected «\(scanner.rest)»") }
        return KlaviyoFilter(conditions: conditions)
    }

    private struct Scanner {
        let characters: [Character]
        var index = 0

        var atEnd: Bool { index >= characters.count }
        var rest: String { String(characters[min(index, characters.count)...]) }

        func failure(_ message: String) -> KlaviyoError {
            .invalidParameter("Invalid filter provided: \(message).", parameter: "filter")
        }

        mutating func skipSpaces() {
            while index < characters.count, characters[index] == " " { index += 1 }
        }

        mutating func take(_ character: Character) -> Bool {
            skipSpaces()
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
            return true
        }

        mutating func expect(_ character: Character) throws(KlaviyoError) {
            guard take(character) else { throw failure("expected «\(character)» at position \(index + 1)") }
        }

        mutating func word() -> String {
            skipSpaces()
            let start = index
            while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == "-" {
                index += 1
            }
            return String(characters[start..<index])
        }

        mutating func string() throws(KlaviyoError) -> String {
            skipSpaces()
            guard index < characters.count, characters[index] == "\"" || characters[index] == "'" else {
                throw failure("expected a quoted string at position \(index + 1)")
            }
            let quote = characters[index]
            index += 1
            var value = ""
            while index < characters.count, characters[index] != quote {
                if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                value.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw failure("unterminated string") }
            index += 1
            return value
        }

        mutating func condition() throws(KlaviyoError) -> Condition {
            let operation = word()
            guard operation == "equals" || operation == "any" else {
                throw failure("operator «\(operation)» is not supported here; use equals or any")
            }
            try expect("(")
            let field = word()
            guard KlaviyoFilter.fields.contains(field) else {
                throw failure("field «\(field)» cannot be filtered on; use one of \(KlaviyoFilter.fields.joined(separator: ", "))")
            }
            try expect(",")
            var values: [String] = []
            if operation == "equals" {
                values.append(try string())
            } else {
                try expect("[")
                if !take("]") {
                    repeat { values.append(try string()) } while take(",")
                    try expect("]")
                }
            }
            try expect(")")
            return Condition(field: field, values: values)
        }
    }
}
