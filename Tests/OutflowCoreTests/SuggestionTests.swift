import Testing
@testable import OutflowCore

@Suite struct SuggestionTests {
    static let rows: [(String, [String], String?)] = [
        ("exportmode", ["exportMode", "enabled"], "exportMode"),
        ("nullabel", ["nullable", "name"], "nullable"),
        ("first_nam", ["first_name", "last_name"], "first_name"),
        ("zzzzzz", ["email", "name"], nil),
        ("x", [], nil),
    ]

    @Test(arguments: rows)
    func suggests(_ word: String, _ candidates: [String], _ expected: String?) {
        #expect(Suggestion.closest(to: word, in: candidates) == expected)
    }
}
