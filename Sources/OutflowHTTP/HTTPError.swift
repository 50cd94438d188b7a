/// Why a request got no usable answer. Every case names the URL (redacted: no userinfo, no secret
/// query values) so an error in a run log says which call failed.
///
/// The cases are the distinctions retries and the engine act on: whether the request can have reached
/// the server (`requestSent`) decides if a create may be sent again, and `outcomeUnknown` tells the
/// engine to look the user up before doing anything else (DESIGN 10).
public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL could not be parsed or uses a scheme other than http and https.
    case invalidURL(url: String, detail: String)
    /// A header field name or value holds a line break (it would inject fields); names the field, not its value.
    case invalidHeader(url: String, name: String)
    /// The host is not in the client's `allowHosts`; nothing was sent (DESIGN 12, `--allow-hosts`).
    case hostNotAllowed(host: String, url: String)
    /// The host name did not resolve; nothing was sent.
    case dns(url: String, detail: String)
    /// Nobody listens at the address, or the connection could not be opened; nothing was sent.
    case connectionRefused(url: String, detail: String)
    /// The connection broke or closed without an answer.
    case connectionReset(url: String, requestSent: Bool, detail: String)
    /// The connect or total timeout expired.
    case timeout(url: String, requestSent: Bool, detail: String)
    /// The TLS handshake or the certificate check failed; never retried.
    case tls(url: String, detail: String)
    /// The calling task was cancelled, or the client shut down.
    case cancelled(url: String)
    /// A request that must not be repeated (a create) may or may not have taken effect: look before retrying.
    case outcomeUnknown(url: String, reason: String)
    /// Any other libcurl failure, with its code.
    case transport(url: String, code: Int, detail: String)

    public var url: String {
        switch self {
        case .invalidURL(let url, _), .invalidHeader(let url, _), .hostNotAllowed(_, let url), .dns(let url, _), .connectionRefused(let url, _),
            .connectionReset(let url, _, _), .timeout(let url, _, _), .tls(let url, _), .cancelled(let url),
            .outcomeUnknown(let url, _), .transport(let url, _, _):
            return url
        }
    }

    /// Whether the server may have received the request (and acted on it).
    public var mayHaveReachedServer: Bool {
        switch self {
        case .invalidURL, .invalidHeader, .hostNotAllowed, .dns, .connectionRefused, .tls, .cancelled: false
        case .connectionReset(_, let sent, _), .timeout(_, let sent, _): sent
        case .outcomeUnknown, .transport: true
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url, let detail): "invalid URL \(url): \(detail)"
        case .invalidHeader(let url, let name): "header \(name) of the request to \(url) holds a line break; not sent"
        case .hostNotAllowed(let host, let url): "host \(host) is not in the allowed hosts; request to \(url) not sent"
        case .dns(let url, let detail): "could not resolve the host of \(url): \(detail)"
        case .connectionRefused(let url, let detail): "could not connect to \(url): \(detail)"
        case .connectionReset(let url, let sent, let detail):
            "connection to \(url) closed \(sent ? "after the request was sent" : "before the request was sent"): \(detail)"
        case .timeout(let url, let sent, let detail):
            "request to \(url) timed out \(sent ? "after it was sent" : "before it was sent"): \(detail)"
        case .tls(let url, let detail): "TLS failure with \(url): \(detail)"
        case .cancelled(let url): "request to \(url) was cancelled"
        case .outcomeUnknown(let url, let reason):
            "request to \(url) may or may not have taken effect (\(reason)); it was not repeated"
        case .transport(let url, let code, let detail): "request to \(url) failed (libcurl error \(code)): \(detail)"
        }
    }
}
