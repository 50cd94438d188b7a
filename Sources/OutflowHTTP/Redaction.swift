/// Removes credentials from anything the client prints: URLs, header values, libcurl's messages.
///
/// Errors travel far (run logs, the state store, `outflow runs errors`, the REST API), so they must
/// never carry a token. Rather than trusting every message source, a request's secrets are collected
/// once and scrubbed out of any text that describes it.
public enum Redaction {
    static let mask = "***"

    /// Header fields whose values are credentials whatever the API: exact names, then name fragments
    /// (`X-Api-Key`, `api-key`, `webhook-signature`, `X-Auth-Token`).
    static let secretHeaderNames: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]
    static let secretNameFragments = ["key", "token", "secret", "pass", "auth", "sig", "credential", "session"]

    /// Whether a header field or query parameter called `name` holds a secret.
    public static func isSecret(name: String) -> Bool {
        let lower = name.lowercased()
        return secretHeaderNames.contains(lower) || secretNameFragments.contains { lower.contains($0) }
    }

    /// The URL without its userinfo, fragment and secret query values:
    /// `https://u:p@host/x?api_key=abc&n=1` becomes `https://***@host/x?api_key=***&n=1`.
    public static func url(_ url: String) -> String {
        var rest = Substring(url)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var result = ""
        if let schemeEnd = rest.range(of: "://") {
            result += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                result += mask + "@"
                authority = authority[authority.index(after: at)...]
            }
            result += authority
            rest = rest[authorityEnd...]
        }
        guard let question = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[...question]
        let pairs = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false)
        result += pairs.map { pair -> String in
            guard let equals = pair.firstIndex(of: "="), isSecret(name: String(pair[..<equals])) else { return String(pair) }
            return pair[...equals] + mask
        }.joined(separator: "&")
        return result
    }

    /// The secret strings a request carries: userinfo, secret query values, secret header values
    /// (and the credential after a scheme word such as `Bearer`).
    static func secrets(of request: HTTPRequest) -> [String] {
        var found: [String] = []
        let url = request.url
        if let schemeEnd = url.range(of: "://") {
            let afterScheme = url[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
            let authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                found.append(String(userinfo))
                found += userinfo.split(separator: ":").map(String.init)
            }
        }
        if let question = url.firstIndex(of: "?") {
            let query = url[url.index(after: question)...].prefix { $0 != "#" }
            for pair in query.split(separator: "&") {
                guard let equals = pair.firstIndex(of: "="), isSecret(name: String(pair[..<equals])) else { continue }
                found.append(String(pair[pair.index(after: equals)...]))
            }
        }
        for field in request.headers where isSecret(name: field.name) {
            found.append(field.value)
            found += field.value.split(separator: " ").dropFirst().map(String.init)
        }
        // Longest first, so a whole value is masked before a part of it; very short strings would mask
        // ordinary words and are not credentials anyway.
        return found.filter { $0.count >= 3 }.sorted { $0.count > $1.count }
    }

    /// `text` with every secret of `request` replaced by `***`.
    static func scrub(_ text: String, secrets: [String]) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacing(secret, with: mask)
        }
        return text
    }
}
