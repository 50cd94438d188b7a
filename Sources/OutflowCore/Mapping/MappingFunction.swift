/// The 18 functions of mapping expressions (DESIGN section 7), plus those that only connector
/// templates may call (`md5`, `sha256`, `base64`, `escape`, DESIGN 9b), their arity and their argument rules.
/// Evaluation lives in ``Evaluator``; typing in ``TypeChecker``.
enum MappingFunction: String, CaseIterable, Hashable, Sendable {
    case and, or, not, eq, ne
    case `if`
    case coalesce, array, map
    case jsonParse = "json_parse"
    case len, lower, upper, initcap, trim, ltrim, rtrim, substring
    case md5, sha256, base64
    /// `escape(s, chars)`: `s` with a backslash before each of `chars` and before each backslash
    /// (a value inside a quoted string of a query language: Stripe's `email:'{{ escape(value, "'") }}'`).
    case escape

    /// Functions of connector templates only: a pipeline's mapping stays Krenalis-compatible, so
    /// the parser refuses them there.
    var isTemplateOnly: Bool {
        switch self {
        case .md5, .sha256, .base64, .escape: return true
        default: return false
        }
    }

    /// The fewest and most arguments the function takes (nil: no limit).
    var arity: (minimum: Int, maximum: Int?) {
        switch self {
        case .and, .or: return (2, nil)
        case .not, .jsonParse, .len, .lower, .upper, .initcap, .trim, .ltrim, .rtrim, .md5, .sha256, .base64: return (1, 1)
        case .eq, .ne, .escape: return (2, 2)
        case .if, .substring: return (2, 3)
        case .coalesce: return (1, nil)
        case .array, .map: return (0, nil)
        }
    }

    /// "takes 2 or 3 arguments", as a message says it.
    var arityText: String {
        let (minimum, maximum) = arity
        let noun = { (n: Int) in n == 1 ? "argument" : "arguments" }
        switch maximum {
        case nil: return "takes at least \(minimum) \(noun(minimum))"
        case minimum?: return "takes \(minimum) \(noun(minimum))"
        case let maximum?: return "takes \(minimum) \(maximum == minimum + 1 ? "or" : "to") \(maximum) arguments"
        }
    }

    /// The string functions: null in, null out; every scalar argument is read as its text.
    var isStringFunction: Bool {
        switch self {
        case .lower, .upper, .initcap, .trim, .ltrim, .rtrim: return true
        default: return false
        }
    }
}
