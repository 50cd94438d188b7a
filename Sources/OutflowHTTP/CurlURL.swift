import CCurl

/// A URL parsed by libcurl's own parser and handed to the transfer as is (`CURLOPT_CURLU`).
///
/// The allow-list check and the transfer must agree on which host a URL names; URL parsers disagree
/// on odd inputs (`http://a@b@c/`, backslashes, percent-encoded dots), so the host is read from the
/// very parse that libcurl will connect with.
final class CurlURL: @unchecked Sendable {
    // Owned, never mutated after init, and only read by libcurl during the one transfer that uses it.
    let handle: OpaquePointer
    /// The text it was parsed from.
    let string: String
    /// Lower case, without IPv6 brackets or a trailing dot.
    let host: String

    init(_ string: String) throws(HTTPError) {
        guard let handle = curl_url() else {
            throw .transport(url: Redaction.url(string), code: Int(CURLE_OUT_OF_MEMORY.rawValue), detail: "out of memory")
        }
        let parsed = curl_url_set(handle, CURLUPART_URL, string, 0)
        guard parsed == CURLUE_OK else {
            curl_url_cleanup(handle)
            throw .invalidURL(url: Redaction.url(string), detail: String(cString: curl_url_strerror(parsed)))
        }
        guard let scheme = Self.part(handle, CURLUPART_SCHEME)?.lowercased(), scheme == "http" || scheme == "https" else {
            curl_url_cleanup(handle)
            throw .invalidURL(url: Redaction.url(string), detail: "only http and https URLs are supported")
        }
        guard let host = Self.part(handle, CURLUPART_HOST) else {
            curl_url_cleanup(handle)
            throw .invalidURL(url: Redaction.url(string), detail: "the URL has no host")
        }
        self.handle = handle
        self.string = string
        self.host = Self.normalizedHost(host)
    }

    deinit { curl_url_cleanup(handle) }

    /// The form hosts are compared in: `[::1]` -> `::1`, `API.Example.com.` -> `api.example.com`.
    static func normalizedHost(_ host: String) -> String {
        var host = Substring(host.lowercased())
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if host.hasSuffix(".") { host = host.dropLast() }
        return String(host)
    }

    private static func part(_ handle: OpaquePointer, _ part: CURLUPart) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &value, 0) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}
