import OutflowCore
import OutflowHTTP

/// The request budget of a connector (DESIGN 9b `rateLimit`): a rolling-window limit per endpoint
/// group, a cap on requests in flight, and the header signals the API paces with.
///
/// ```json
/// "rateLimit": {"groups": {"default": {"requests": 190, "per": "10s"}, "search": {"requests": 5, "per": "1s"}},
///               "maxConcurrent": 10, "signals": ["retry-after", "hubspot"]}
/// ```
/// The `default` group also limits groups the file does not name. A group may have several windows,
/// all of which must allow each request (Klaviyo: `[{"requests": 75, "per": "1s"}, {"requests": 700, "per": "1m"}]`).
/// The limiter reads every signal it knows whatever `signals` says; the list documents what the API sends.
public struct RateLimitSpec: Sendable {
    public var groups: [String: RateLimit]
    /// The second and later windows of groups that have several.
    public var extraWindows: [String: [RateLimit]] = [:]
    public var maxConcurrent: Int?
    public var signals: [String]

    public static let knownSignals = [
        "retry-after", "hubspot", "x-ratelimit-reset", "x-sib-ratelimit-reset", "ratelimit", "stripe-should-retry",
    ]

    public init(groups: [String: RateLimit] = [:], maxConcurrent: Int? = nil, signals: [String] = []) {
        self.groups = groups
        self.maxConcurrent = maxConcurrent
        self.signals = signals
    }

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> RateLimitSpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        var spec = RateLimitSpec()
        if let groups = fields.objectMember("groups") {
            for member in groups.members {
                let here = JSONPath.member(fields.memberPath("groups"), member.key)
                var windows: [(JSONValue, String)] = [(member.value, here)]
                if case .array(let items) = member.value {
                    windows = items.enumerated().map { ($1, JSONPath.index(here, $0)) }
                    if items.isEmpty { fields.issues.append(Diagnostic(path: here, message: "expected at least one window")) }
                }
                for (value, path) in windows {
                    guard let object = JSONFields.object(value, path: path, issues: &fields.issues) else { continue }
                    var g = JSONFields(object, path: path)
                    if let requests = g.positiveInt("requests", required: true, maximum: 1_000_000), let window = g.duration("per", required: true) {
                        if spec.groups[member.key] == nil {
                            spec.groups[member.key] = RateLimit(requests, per: window)
                        } else {
                            spec.extraWindows[member.key, default: []].append(RateLimit(requests, per: window))
                        }
                    }
                    g.rejectUnknown()
                    fields.issues += g.issues
                }
            }
        }
        spec.maxConcurrent = fields.positiveInt("maxConcurrent", maximum: 10_000)
        spec.signals = fields.stringArray("signals") ?? []
        for (index, signal) in spec.signals.enumerated() where !knownSignals.contains(signal) {
            fields.issues.append(
                Diagnostic(
                    path: JSONPath.index(fields.memberPath("signals"), index),
                    message: "unknown signal \"\(signal)\"" + Suggestion.hint(for: signal, in: knownSignals)
                        + "; known: \(knownSignals.joined(separator: ", "))"
                )
            )
        }
        fields.rejectUnknown()
        return spec
    }

    /// A limiter for one connection; share it between every client of that connection.
    public func makeLimiter(clock: any HTTPClock = SystemClock()) -> RateLimiter {
        RateLimiter(limits: groups, defaultLimit: groups["default"], extraWindows: extraWindows, maxConcurrent: maxConcurrent, clock: clock)
    }
}
