import OutflowCore
import OutflowHTTP

/// When a connector's requests are sent again (DESIGN 9b `retry`), as a ``RetryPolicy``.
///
/// ```json
/// "retry": {"maxAttempts": 5, "maxWait": "60s", "baseDelay": "500ms", "maxDelay": "30s",
///           "statuses": [408, 423, 429, 477, "5xx"], "notProcessed": [408, 423, 429, 503]}
/// ```
/// `shouldRetryHeader` names a header by which the API advises (Stripe's `Stripe-Should-Retry`:
/// `false` stops the retries, `true` retries whatever the status).
/// A create is repeated only after a status in `notProcessed` or a failure before sending; anything
/// else that may have reached the server makes its users `outcomeUnknown`.
public struct RetrySpec: Sendable {
    public var policy: RetryPolicy

    public init(policy: RetryPolicy = RetryPolicy()) {
        self.policy = policy
    }

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> RetrySpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        var policy = RetryPolicy()
        if let n = fields.positiveInt("maxAttempts", maximum: 100) { policy.maxAttempts = n }
        if let d = fields.duration("maxWait") { policy.maxTotalWait = d }
        if let d = fields.duration("baseDelay") { policy.baseDelay = d }
        if let d = fields.duration("maxDelay") { policy.maxDelay = d }
        if let s = fields.statuses("statuses") { policy.retryableStatuses = s }
        if let s = fields.statuses("notProcessed") { policy.notProcessedStatuses = s }
        policy.shouldRetryHeader = fields.string("shouldRetryHeader")
        for status in policy.retryableStatuses where status == 401 || status == 403 {
            fields.issues.append(
                Diagnostic(path: fields.memberPath("statuses"), message: "\(status) must not be retried: a refused credential is refused again")
            )
        }
        fields.rejectUnknown()
        return RetrySpec(policy: policy)
    }
}
