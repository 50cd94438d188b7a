import CCurl

/// A libcurl easy handle that stays configured from one request to the next.
///
/// The options every request shares (protocols, no signals, HTTP version, TLS verification, timeouts
/// of the client, callbacks, error buffer...) are set once when the handle is made. A request sets only
/// what is its own and differs from the handle's previous request (`prepare`): its body always; the
/// URL, the total timeout, the size of the body and the header list when they changed; and method and
/// body handling when the request's shape changed, in which case `clearMethod()` first puts each of
/// those options back to its default, so the request starts from the same state as on a fresh handle.
/// Consecutive requests of a connector go to one URL with the same method and headers, so such a
/// request sets one or two options where a reset handle needed some twenty, at about 50 ns each, and
/// `curl_easy_reset` cost a microsecond (docs/performance.md, issue 5).
///
/// Between two requests the handle keeps a pointer to the last request's body; libcurl reads it only
/// while the handle is in the multi handle, and the next request replaces it before it is added.
///
/// Used only on the event-loop thread.
final class CurlEasyHandle {
    let easy: UnsafeMutableRawPointer
    /// libcurl's description of the last failure (`CURLOPT_ERRORBUFFER`); emptied before each request.
    let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// What `headerList` was built from: the request's fields and whether it had a body.
    private var headerListFields: HTTPHeaders?
    private var headerListHasBody = false
    /// The URL libcurl points at (`CURLOPT_CURLU` borrows the parse, so the handle keeps it alive).
    private var url: CurlURL?
    /// The last request's total timeout (`CURLOPT_TIMEOUT_MS`); compared as a `Duration`, so a request
    /// with the same one computes no milliseconds.
    private var timeout: Duration?
    /// The shape of the last request's method and body handling; nil when they are cleared (a GET).
    private var shape: RequestShape?
    private var bodySize = -1
    /// The transfer libcurl runs on this handle, which its callbacks write to: they, and
    /// `CURLINFO_PRIVATE`, are given the handle once when it is made, so a request sets none of them.
    /// Unmanaged (no reference count): the loop's list of active transfers keeps it alive for as long
    /// as it is set, and the callbacks, called several times per response, read it without retaining it.
    var transfer: Unmanaged<CurlTransfer>?

    /// What decides the method and body options: requests of the same shape differ only in the body.
    struct RequestShape: Equatable {
        var method: HTTPMethod
        var hasBody: Bool
        /// A body lent with `CURLOPT_POSTFIELDS` (true) or read through the callback that refuses a resend.
        var lendsBody: Bool
    }

    /// The client's own fields, sent unless a request has a field of the same name: the user agent and
    /// the encodings libcurl can decode. Given to libcurl in the header list, built once per handle,
    /// rather than as `CURLOPT_USERAGENT` and `CURLOPT_ACCEPT_ENCODING`'s field, which libcurl 7.88
    /// formats anew with its own printf for every request: raw libcurl multi sending the same two fields
    /// through the options was 1-2% slower than through the list (docs/performance.md, issue 5).
    /// `CURLOPT_ACCEPT_ENCODING` stays set, as it is what turns decoding of a compressed answer on; with
    /// our field in the list, libcurl sends that one instead of its own.
    private let clientFields: [(name: String, line: String)]

    /// A configured handle, or nil when libcurl cannot make or configure one (out of memory).
    init?(settings: HTTPClient.Configuration) {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        var fields = [(name: "Accept-Encoding", line: "Accept-Encoding: \(Self.decodableEncodings)")]
        // An empty user agent sends none, as libcurl does with an empty CURLOPT_USERAGENT.
        if !settings.userAgent.isEmpty { fields.insert((name: "User-Agent", line: "User-Agent: \(settings.userAgent)"), at: 0) }
        clientFields = fields
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
        // Turns decoding on; the field itself comes from the header list (`clientFields`).
        set(outflow_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        set(outflow_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteBody))
        set(outflow_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        // The read callback is set only for a request that needs it (`CurlTransfer.configureMethod`).
        let context = Unmanaged.passUnretained(self).toOpaque()
        set(outflow_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_READDATA, context))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_PRIVATE, context))
        return code
    }

    /// Runs `body` on the transfer of the handle libcurl's callback data `context` points at, without
    /// retaining either (the loop keeps both alive while libcurl runs the transfer); nil when the
    /// handle has none.
    static func withTransfer<R>(_ context: UnsafeMutableRawPointer, _ body: (CurlTransfer) -> R) -> R? {
        Unmanaged<CurlEasyHandle>.fromOpaque(context)._withUnsafeGuaranteedRef { handle in
            handle.transfer?._withUnsafeGuaranteedRef(body)
        }
    }

    /// Sets `transfer`'s options: see the type's comment. After a failure the handle is in an unknown
    /// state and must be dropped, not reused.
    func prepare(for transfer: CurlTransfer, timeout: Duration) -> CURLcode {
        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }
        errorBuffer.pointee = 0
        if url !== transfer.url {
            set(outflow_easy_setopt_url(easy, CURLOPT_CURLU, transfer.url.handle))
            url = transfer.url
        }
        if timeout != self.timeout {
            set(outflow_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, CurlTransfer.milliseconds(timeout)))
            self.timeout = timeout
        }
        self.transfer = Unmanaged.passUnretained(transfer)
        let request = transfer.request
        let method = request.method
        let hasBody = request.body != nil || method == .post || method == .put || method == .patch
        let next = RequestShape(method: method, hasBody: hasBody, lendsBody: hasBody && request.isIdempotent)
        if next == shape {
            if hasBody {
                if bodySize != transfer.bodySize { set(outflow_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(transfer.bodySize))) }
                set(transfer.configureBody(on: easy))
            }
        } else {
            if shape != nil { set(clearMethod()) }
            set(transfer.configureMethod(on: easy))
            shape = next
        }
        bodySize = hasBody ? transfer.bodySize : -1
        set(setHeaders(of: transfer))
        return code
    }

    /// Puts back every method and body option a request may have set (`CurlTransfer.configureMethod`),
    /// so nothing of it reaches a request of another shape: no method, body or read callback.
    private func clearMethod() -> CURLcode {
        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }
        set(outflow_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, nil))
        set(outflow_easy_setopt_long(easy, CURLOPT_NOBODY, 0))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_POSTFIELDS, nil))
        set(outflow_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, -1))
        set(outflow_easy_setopt_callback(easy, CURLOPT_READFUNCTION, nil))
        // Back to a GET: this also turns POST off.
        set(outflow_easy_setopt_long(easy, CURLOPT_HTTPGET, 1))
        return code
    }

    /// Sets the header list for `request`, reusing the handle's list when the fields are the same.
    func setHeaders(of transfer: CurlTransfer) -> CURLcode {
        let request = transfer.request
        let hasBody = request.body != nil
        if headerListHasBody == hasBody, headerListFields == request.headers {
            return CURLE_OK
        }
        // libcurl sends header lines as given, so a value taken from data could otherwise add fields. Checked
        // here, where a new list is built: fields equal to the last request's were checked for it.
        for field in request.headers where Self.hasLineBreak(field.name) || Self.hasLineBreak(field.value) {
            transfer.headerWithLineBreak = (field.name, field.value)
            return CURLE_BAD_FUNCTION_ARGUMENT
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
        for field in clientFields where complete && !request.headers.contains(field.name) { complete = append(field.line) }
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
        headerListFields = request.headers
        headerListHasBody = hasBody
        return CURLE_OK
    }

    /// What `CURLOPT_ACCEPT_ENCODING` "" would send: every encoding this libcurl decodes, in its order
    /// (zlib's deflate and gzip, brotli, zstd), or "identity" when it decodes none.
    static let decodableEncodings: String = {
        let features = outflow_curl_features()
        var encodings: [String] = []
        if features & CURL_VERSION_LIBZ != 0 { encodings += ["deflate", "gzip"] }
        if features & CURL_VERSION_BROTLI != 0 { encodings.append("br") }
        if features & CURL_VERSION_ZSTD != 0 { encodings.append("zstd") }
        return encodings.isEmpty ? "identity" : encodings.joined(separator: ", ")
    }()

    /// Scans the contiguous UTF-8 buffer (native strings have one): iterating `utf8` index by index
    /// was half of `send`'s own time.
    private static func hasLineBreak(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") { return true }
            return false
        }
    }
}
