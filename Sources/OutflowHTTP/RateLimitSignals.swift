import CCurl

/// Reads how long an API asks us to wait from its response headers.
///
/// Each API says it differently (DESIGN 9b `rateLimit`):
/// - `Retry-After`: seconds, or an HTTP date (RFC 9110 §10.2.3); honoured on any status.
/// - HubSpot: `X-HubSpot-RateLimit-Remaining: 0` with `X-HubSpot-RateLimit-Interval-Milliseconds`
///   (also the `-Secondly-Remaining` variant, a one-second interval).
/// - `X-RateLimit-Remaining: 0` with `X-RateLimit-Reset` as a Unix time (Intercom and others); a small
///   number (under 10^9) is taken as seconds from now, which is what some APIs send under that name.
/// - Brevo: `x-sib-ratelimit-remaining: 0` with `x-sib-ratelimit-reset` in seconds.
/// - The IETF draft's `RateLimit-Remaining: 0` with `RateLimit-Reset` in seconds (Klaviyo).
/// The reset headers also count on a 429 even when no `Remaining` header says 0.
public enum RateLimitSignals {
    /// Seconds to wait before the next request of this endpoint group, or nil when the headers ask for
    /// nothing. `unixTime` is read only when a header needs it (a date or a Unix reset time): most
    /// answers carry no such header, and a clock read per answer showed in the client's profile.
    public static func wait(status: Int, headers: HTTPHeaders, unixTime readUnixTime: @autoclosure () -> Double) -> Double? {
        // Every field read below is `Retry-After` or has "ratelimit" in its name; most answers have
        // neither, and one pass over the names costs less than the dozen lookups.
        guard headers.containsName(includingAnyOf: relevantNameFragments) else { return nil }
        let unixTime = readUnixTime()
        var waits: [Double] = []
        if let retryAfter = headers["Retry-After"], let wait = retryAfterSeconds(retryAfter, unixTime: unixTime) {
            waits.append(wait)
        }
        let limited = status == 429
        if limited || number(headers["X-HubSpot-RateLimit-Remaining"]) == 0,
            let interval = number(headers["X-HubSpot-RateLimit-Interval-Milliseconds"])
        {
            waits.append(interval / 1000)
        } else if number(headers["X-HubSpot-RateLimit-Secondly-Remaining"]) == 0 {
            waits.append(1)
        }
        if limited || number(headers["X-RateLimit-Remaining"]) == 0, let reset = number(headers["X-RateLimit-Reset"]) {
            waits.append(reset >= 1e9 ? reset - unixTime : reset)
        }
        if limited || number(headers["x-sib-ratelimit-remaining"]) == 0, let reset = number(headers["x-sib-ratelimit-reset"]) {
            waits.append(reset)
        }
        if limited || number(headers["RateLimit-Remaining"]) == 0, let reset = number(headers["RateLimit-Reset"]) {
            waits.append(reset)
        }
        return waits.map { max(0, $0) }.max()
    }

    private static let relevantNameFragments = [Array("retry-after".utf8), Array("ratelimit".utf8)]

    /// `Retry-After: 120` or `Retry-After: Fri, 31 Dec 1999 23:59:59 GMT`, as seconds from now.
    public static func retryAfterSeconds(_ value: String, unixTime: Double) -> Double? {
        let trimmed = trim(value)
        if let seconds = Double(trimmed), seconds.isFinite { return max(0, seconds) }
        // curl_getdate parses the three date formats RFC 9110 allows (IMF-fixdate, RFC 850, asctime).
        let date = curl_getdate(trimmed, nil)
        guard date >= 0 else { return nil }
        return max(0, Double(date) - unixTime)
    }

    private static func trim(_ value: String) -> String {
        var view = Substring(value)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }

    private static func number(_ value: String?) -> Double? {
        guard let value, let number = Double(trim(value)), number.isFinite else { return nil }
        return number
    }
}
