/// `--rate-limit default|off|N/DURATION`: the limit a mock enforces on API requests.
///
/// `default` is the API's documented limit (HubSpot: 190 per 10 s, plus search's own 5 per second);
/// `N/DURATION` replaces the API's main limit (`5/1s` keeps tests fast); `off` enforces nothing.
/// A limit of N per W means at most N requests in any rolling window of length W (DESIGN 11).
public enum RateLimitSetting: Sendable, Equatable {
    case `default`
    case off
    case custom(count: Int, window: Duration)

    public static func parse(_ text: String) throws(MockOptionError) -> RateLimitSetting {
        switch text.lowercased() {
        case "default": return .default
        case "off", "none": return .off
        default:
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let count = Int(parts[0]), count > 0,
                let window = MockDuration.parse(parts[1]), window > .zero
            else {
                throw .invalid("rate limit «\(text)» is not default, off or N/DURATION (e.g. 190/10s)")
            }
            return .custom(count: count, window: window)
        }
    }
}
