import Foundation

/// The `pattern` of a string type, compiled once: compiling a `Regex` costs far more than matching
/// one, and a pattern is checked for every value written to its property.
///
/// A compiled mapping keeps the patterns of its output properties; other callers get them from a
/// process-wide cache through ``compiled(_:)``.
///
/// ```swift
/// let zip = StringPattern.compiled("^[0-9]{5}$")
/// zip.wholeMatches("75001")   // true
/// ```
final class StringPattern: @unchecked Sendable {
    // A class, so that holders stay plain fixed-size values: `Regex` comes from a resilient module,
    // and a struct holding one would be copied through value witnesses on every use.
    // @unchecked: a Regex is immutable once built, and matching it from several threads is safe.
    let source: String
    /// nil when the pattern is not a valid regular expression.
    private let regex: Regex<AnyRegexOutput>?

    init(_ source: String) {
        self.source = source
        self.regex = try? Regex(source)
    }

    var isValid: Bool { regex != nil }

    /// True when the whole of `text` matches (false for an invalid pattern).
    func wholeMatches(_ text: String) -> Bool {
        guard let regex else { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }

    private final class Cache: @unchecked Sendable {
        // @unchecked: `patterns` is only touched under `lock`.
        let lock = NSLock()
        var patterns: [String: StringPattern] = [:]
    }

    private static let cache = Cache()
    /// Patterns the cache holds at most. `outflow serve` lives for months while workspaces come
    /// and go, each with its own patterns: an unbounded cache would only grow. Past the bound the
    /// cache starts over; a pattern still in use is compiled again on its next use.
    static let cacheLimit = 1024

    /// The compiled form of `source`, compiled on first use.
    static func compiled(_ source: String) -> StringPattern {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let pattern = cache.patterns[source] { return pattern }
        let pattern = StringPattern(source)
        if cache.patterns.count >= cacheLimit { cache.patterns.removeAll(keepingCapacity: true) }
        cache.patterns[source] = pattern
        return pattern
    }

    /// How many patterns the cache holds (tests).
    static var cachedCount: Int {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        return cache.patterns.count
    }
}
