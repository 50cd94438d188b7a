import OutflowCore

/// Reading the members of a connector file: durations, statuses, templates and bounded integers,
/// each problem reported at its JSON path with what was expected.
///
/// Durations as connector files write them: `500ms`, `10s`, `1m`, `1h` (a bare number is seconds).
///
/// ```swift
/// DurationText.parse("10s")   // .seconds(10)
/// ```
enum DurationText {
    static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number >= 0 else { return nil }
            return .milliseconds(Int64((number * scale * 1000).rounded()))
        }
        guard let number = Double(text), number >= 0 else { return nil }
        return .milliseconds(Int64((number * 1000).rounded()))
    }
}

extension JSONFields {
    /// A duration member (`"10s"`); a wrong one is reported at its path.
    mutating func duration(_ key: String, required: Bool = false) -> Duration? {
        guard let text = string(key, required: required) else { return nil }
        guard let duration = DurationText.parse(text) else {
            issues.append(Diagnostic(path: memberPath(key), message: "expected a duration such as \"500ms\" or \"10s\", found \"\(text)\""))
            return nil
        }
        return duration
    }

    /// A positive integer member, at most `maximum`.
    mutating func positiveInt(_ key: String, required: Bool = false, maximum: Int = 100_000) -> Int? {
        guard let number = int(key, required: required) else { return nil }
        guard number >= 1, number <= maximum else {
            issues.append(Diagnostic(path: memberPath(key), message: "expected an integer from 1 to \(maximum), found \(number)"))
            return nil
        }
        return Int(number)
    }

    /// A template member (any JSON, strings may hold `{{ expression }}`).
    mutating func template(_ key: String, required: Bool = false) -> Template? {
        guard let json = value(key, required: required) else { return nil }
        return Template.compile(json, path: memberPath(key), issues: &issues)
    }

    /// An array of integer statuses; `"5xx"` stands for 500 to 599.
    mutating func statuses(_ key: String) -> Set<Int>? {
        guard let items = array(key) else { return nil }
        var out: Set<Int> = []
        for (index, item) in items.enumerated() {
            if case .number(let text) = item, let status = Int(text), (100...599).contains(status) {
                out.insert(status)
            } else if case .string(let text) = item, text.count == 3, text.hasSuffix("xx"), let digit = Int(text.prefix(1)), (1...5).contains(digit) {
                out.formUnion(digit * 100...(digit * 100 + 99))
            } else {
                issues.append(
                    Diagnostic(
                        path: JSONPath.index(memberPath(key), index),
                        message: "expected an HTTP status (100-599) or \"5xx\", found \(JSONWriter.string(item))"
                    )
                )
            }
        }
        return out
    }
}
