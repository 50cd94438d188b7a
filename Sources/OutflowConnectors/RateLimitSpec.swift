import OutflowCore
import OutflowHTTP

/// The request budget of a connector (DESIGN 9b `rateLimit`): a rolling-window limit per endpoint
/// group, a cap on requests in flight, and the header signals the API paces with.
///
/// ```json
/// "rateLimit": {"groups": {"default": {"requests": 190, "per": "10s"}, "search": {"requests": 5, "per": "1s"}},
///               "maxConcurrent": 10, "signals": ["retry-after", "hubspot"]}
/// ```
/// The `default` group also limits groups the file does not name. The limiter reads every signal it
/// knows whatever `signals` says; the list documents what the API sends.
public struct RateLimitSpec: Sendable {
    public var groups: [String: RateLimit]
    public var maxConcurrent: Int?
    public var signals: [String]

    public static let knownSignals = ["retry-after", "hubspot", "x-ratelimit-reset", "x-sib-ratelimit-reset"]

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
                guard let object = JSONFields.object(member.value, path: here, issues: &fields.issues) else { continue }
                var g = JSONFields(object, path: here)
                if let requests = g.positiveInt("requests", required: true, maximum: 1_000_000), let window = g.duration("per", required: true) {
                    spec.groups[member.key] = RateLimit(requests, per: window)
                }
                g.rejectUnknown()
                fields.issues += g.issues
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
        RateLimiter(limits: groups, defaultLimit: groups["default"], maxConcurrent: maxConcurrent, clock: clock)
    }
}
