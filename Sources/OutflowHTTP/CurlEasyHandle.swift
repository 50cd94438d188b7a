import CCurl

/// A libcurl easy handle that stays configured from one request to the next.
///
/// The options every request shares (protocols, no signals, HTTP version, TLS verification, timeouts
/// of the client, callbacks, error buffer...) are set once when the handle is made. A request sets only
/// what is its own (URL, total timeout, the transfer the callbacks write to, method and body, header
/// list), and `clearRequest()` puts each of those back to its default when the handle is recycled, so
/// the next request starts from the same state as on a fresh handle. That replaces `curl_easy_reset`
/// and some fifteen options per request, which cost about a microsecond each time
/// (docs/performance.md, issue 5).
///
/// The header list of the last request is kept: consecutive requests of a connector carry the same
/// headers (type, authorization), so the list is rebuilt only when they differ.
///
/// Used only on the event-loop thread.
final class CurlEasyHandle {
    let easy: UnsafeMutableRawPointer
    /// libcurl's description of the last failure (`CURLOPT_ERRORBUFFER`); emptied before each request.
    let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// What `headerList` was built from: the request's fields and whether it had a body.
    private var headerListSource: (headers: HTTPHeaders, hasBody: Bool)?

    /// A configured handle, or nil when libcurl cannot make or configure one (out of memory).
    init?(settings: HTTPClient.Configuration) {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(to: 0)
        guard configureShared(settings) == CURLE_OK else { return nil }
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configureShared(_ settings: HTTPClient.Configuration) -> CURLcode {
        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }
        set(outflow_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        // Signals cannot be used from a multi-threaded process; the threaded resolver needs none.
        set(outflow_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        set(outflow_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)))
        // With HTTP/2, wait for a connection that can multiplex rather than opening a second one.
        set(outflow_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1))
        set(outflow_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        set(outflow_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1))
        set(outflow_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2))
        set(outflow_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, CurlTransfer.milliseconds(settings.connectTimeout)))
        set(outflow_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""))
        set(outflow_easy_setopt_string(easy, CURLOPT_USERAGENT, settings.userAgent))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        set(outflow_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteBody))
        set(outflow_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        return code
    }

    /// Puts back every option a request may have set (see `CurlTransfer.configure`), so nothing of it
    /// reaches the next request: no method, body, read callback or pointer into a finished transfer.
    /// The header list stays set: the next request replaces it or, when its headers are the same, keeps it.
    func clearRequest() -> CURLcode {
        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }
        set(outflow_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, nil))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, nil))
        set(outflow_easy_setopt_url(easy, CURLOPT_CURLU, nil))
        set(outflow_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, nil))
        set(outflow_easy_setopt_long(easy, CURLOPT_NOBODY, 0))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_POSTFIELDS, nil))
        set(outflow_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, -1))
        set(outflow_easy_setopt_callback(easy, CURLOPT_READFUNCTION, nil))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_READDATA, nil))
        // Back to a GET: this also turns POST off.
        set(outflow_easy_setopt_long(easy, CURLOPT_HTTPGET, 1))
        return code
    }

    /// Sets the header list for `request`, reusing the handle's list when the fields are the same.
    func setHeaders(of request: HTTPRequest) -> CURLcode {
        let hasBody = request.body != nil
        if let source = headerListSource, source.hasBody == hasBody, source.headers == request.headers {
            return CURLE_OK
        }
        var list: UnsafeMutablePointer<curl_slist>?
        func append(_ line: String) -> Bool {
            guard let appended = curl_slist_append(list, line) else { return false }
            list = appended
            return true
        }
        var complete = true
        for field in request.headers where complete {
            // "Name;" is libcurl's way to send a field with an empty value ("Name:" would remove it).
            complete = append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        // libcurl sends "Expect: 100-continue" for bodies over 1 KiB and waits a round trip (or a second)
        // for the interim answer; an empty value suppresses it.
        if complete, !request.headers.contains("Expect") { complete = append("Expect:") }
        // Without a type of our own libcurl would label a body as a form; send none rather than a wrong one.
        if complete, hasBody, !request.headers.contains("Content-Type") { complete = append("Content-Type:") }
        guard complete else {
            curl_slist_free_all(list)
            return CURLE_OUT_OF_MEMORY
        }
        let code = outflow_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        guard code == CURLE_OK else {
            curl_slist_free_all(list)
            return code
        }
        // The old list is freed only once libcurl points at the new one.
        curl_slist_free_all(headerList)
        headerList = list
        headerListSource = (request.headers, hasBody)
        return CURLE_OK
    }
}
