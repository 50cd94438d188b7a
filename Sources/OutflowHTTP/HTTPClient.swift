import Synchronization

/// Sends one HTTP request and returns what the server answered: no retries, no pacing.
///
/// The seam between the retry and rate-limit logic and the network, so that logic can be tested
/// against scripted outcomes as well as against a real server.
public protocol HTTPTransport: Sendable {
    /// `nonisolated(nonsending)`: runs on its caller's executor. Sending only hands a request to the
    /// event loop and waits, so it need not move to the cooperative pool first; each such move is a
    /// runtime call that, in a task preferring an executor, reads that preference under the task's
    /// status lock (six of them per request on the connectors' path instead of eight; issue 5).
    nonisolated(nonsending) func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse

    /// Where a task that mostly sends through this transport runs best, if anywhere in particular:
    /// ``HTTPClient`` answers its event loop (see ``HTTPClient/taskExecutor``), wrappers pass on what
    /// they wrap, the default is none.
    var preferredTaskExecutor: (any TaskExecutor)? { get }
}

extension HTTPTransport {
    public var preferredTaskExecutor: (any TaskExecutor)? { nil }
}

/// An HTTP/1.1 and HTTP/2 client over libcurl's multi interface.
///
/// ```swift
/// let client = HTTPClient(configuration: .init(allowHosts: ["127.0.0.1", "localhost"]))
/// let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:8089/__mock/users"))
/// print(response.status, response.headers["content-type"] ?? "", response.text)
/// ```
///
/// One event-loop thread per client drives all its transfers with `curl_multi_poll`; each `send`
/// suspends on a continuation the loop resumes. Connections stay open between requests (libcurl's
/// connection cache) and HTTP/2 is negotiated over TLS when the server offers it.
///
/// Why a final class with a lock rather than an actor: the shared state (the inbox of new requests and
/// cancellations) is written by callers and read by a dedicated OS thread that blocks in libcurl, and
/// that thread cannot `await` an actor. A mutex lets both sides hand over work without an executor hop
/// per request, which matters at tens of thousands of requests per second. Everything else the client
/// holds is immutable, so `send` can be called from any task concurrently.
///
/// Defaults: connect timeout 10 s, total timeout per request (`HTTPRequest.timeout`) 30 s, TLS
/// verification on, proxies from `http_proxy`/`https_proxy`/`no_proxy` (libcurl's default), no
/// redirects followed, gzip and deflate accepted. Dropping the client cancels what is still in flight.
public final class HTTPClient: HTTPTransport {
    public struct Configuration: Sendable {
        /// Hosts requests may go to (DESIGN 12 `--allow-hosts`); nil allows any host. Compared without
        /// case, IPv6 brackets or a trailing dot; ports are not part of the check.
        public var allowHosts: Set<String>? {
            didSet { allowHosts = allowHosts.map { Set($0.map(CurlURL.normalizedHost)) } }
        }
        public var connectTimeout: Duration
        public var userAgent: String
        /// How many connections stay open for reuse. libcurl's default (4 x the transfers in progress)
        /// shrinks as a wave of requests drains and closes connections the next wave will need.
        public var maxIdleConnections: Int

        public init(
            allowHosts: Set<String>? = nil,
            connectTimeout: Duration = .seconds(10),
            userAgent: String = "Outflow",
            maxIdleConnections: Int = 256
        ) {
            self.allowHosts = allowHosts.map { Set($0.map(CurlURL.normalizedHost)) }
            self.connectTimeout = connectTimeout
            self.userAgent = userAgent
            self.maxIdleConnections = maxIdleConnections
        }
    }

    public let configuration: Configuration
    private let loop: CurlEventLoop
    /// The URL parsed last: a connector sends batch after batch to one endpoint, and a parse by libcurl
    /// with the host read back and normalised cost more than the rest of `send`'s checks. The same text
    /// gives the same parse, so the allow-list sees exactly the host it would have seen.
    private let lastURL = Mutex<CurlURL?>(nil)

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        loop = CurlEventLoop(settings: configuration)
    }

    deinit { loop.stop() }

    /// The client's event-loop thread as a task executor, for tasks that mostly wait on this client.
    ///
    /// A task that prefers it runs on the loop thread, so sending a request and being resumed with the
    /// answer need no thread switch; at tens of thousands of requests per second those switches cost
    /// more than libcurl's own work. Keep the client alive while tasks prefer its executor, and do no
    /// long CPU work in them: it would delay every other transfer of the client.
    ///
    /// ```swift
    /// let client = HTTPClient()
    /// await withTaskGroup(of: Int.self) { group in
    ///     for request in requests {
    ///         group.addTask(executorPreference: client.taskExecutor) { (try? await client.send(request))?.status ?? 0 }
    ///     }
    /// }
    /// ```
    public var taskExecutor: any TaskExecutor { loop }

    /// ``taskExecutor``.
    public var preferredTaskExecutor: (any TaskExecutor)? { loop }

    /// Stops the event loop; requests in flight fail with `.cancelled`, later ones too.
    public func shutdown() { loop.stop() }

    /// Sends `request` once. A status code is an answer, not an error: 404 and 503 come back as responses.
    nonisolated(nonsending) public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let url = try parsedURL(request.url)
        if let allowed = configuration.allowHosts, !allowed.contains(url.host) {
            throw .hostNotAllowed(host: url.host, url: Redaction.url(request.url))
        }
        // Header fields with a line break are refused by the loop, where it builds their libcurl list
        // (`CurlEasyHandle.setHeaders`): a handle whose last request had the same fields skips the scan.
        // A task cancelled already has its handler run at once, before the operation: the loop then finds
        // the flag set when it starts the transfer and answers `.cancelled` without sending anything.
        let transfer = CurlTransfer(request: request, url: url)
        let loop = self.loop
        // An unsafe continuation: the checked one allocates a guard object per request, and the loop
        // resumes each transfer exactly once (it answers at once, or from its list of active transfers,
        // which the transfer leaves before it is answered).
        let result = await withTaskCancellationHandler {
            await withUnsafeContinuation { continuation in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            transfer.markCancelled()
            loop.cancel(transfer)
        }
        return try result.get()
    }

    private func parsedURL(_ string: String) throws(HTTPError) -> CurlURL {
        if let cached = lastURL.withLock({ $0 }), cached.string == string { return cached }
        let url = try CurlURL(string)
        lastURL.withLock { $0 = url }
        return url
    }
}
