import CCurl

/// One request in flight: its easy handle's settings, and the response as libcurl delivers it.
///
/// Lives only on the event-loop thread; the loop's table of active transfers keeps it alive while
/// libcurl holds the unretained pointer given to the write and header callbacks.
final class CurlTransfer {
    let id: UInt64
    let handle: CurlEasyHandle
    let url: CurlURL
    let continuation: UnsafeContinuation<Result<HTTPResponse, HTTPError>, Never>
    private let request: HTTPRequest
    /// The request's body, kept alive (and never mutated) for as long as libcurl reads it: borrowed by
    /// `CURLOPT_POSTFIELDS`, or handed out by the read callback for a request that must not be re-sent.
    fileprivate let requestBody: [UInt8]
    var requestBodyOffset = 0
    /// The caller runs on the loop thread (it prefers the loop executor) and can be resumed directly.
    var callerOnLoopThread = false
    var responseHeaders = ReceivedHeaderLines()
    var responseBody: [UInt8] = []

    var easy: UnsafeMutableRawPointer { handle.easy }

    init(submission: CurlSubmission, handle: CurlEasyHandle) {
        id = submission.id
        self.handle = handle
        url = submission.url
        request = submission.request
        requestBody = submission.request.body ?? []
        continuation = submission.continuation
    }

    /// Only computed for a failure: see `CurlSubmission`.
    var redactedURL: String { Redaction.url(request.url) }

    /// Sets the request's own options on a handle that holds the client's shared ones
    /// (`CurlEasyHandle`) and nothing of an earlier request.
    func configure(_ request: HTTPRequest) -> CURLcode {
        let context = Unmanaged.passUnretained(self).toOpaque()
        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }
        handle.errorBuffer.pointee = 0
        set(outflow_easy_setopt_url(easy, CURLOPT_CURLU, url.handle))
        set(outflow_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        set(outflow_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
        set(configureMethod(request))
        set(handle.setHeaders(of: request))
        return code
    }

    /// Sets method and body; `CurlEasyHandle.clearRequest` undoes every option set here.
    private func configureMethod(_ request: HTTPRequest) -> CURLcode {
        let method = request.method
        guard request.body != nil || method == .post || method == .put || method == .patch else {
            // A cleared handle is already a GET.
            if method == .get { return CURLE_OK }
            if method == .head { return outflow_easy_setopt_long(easy, CURLOPT_NOBODY, 1) }
            return outflow_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue)
        }
        var code = outflow_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(requestBody.count))
        if request.isIdempotent {
            // POSTFIELDS borrows the bytes rather than copying them (COPYPOSTFIELDS): `requestBody` is an
            // immutable array this transfer owns, so its storage stays put until the loop clears the handle
            // (`CurlEasyHandle.clearRequest`), which it does before it lets the transfer go.
            // The size is set first, or libcurl would stop at a zero byte.
            if code == CURLE_OK {
                code = requestBody.withUnsafeBytes { bytes in
                    let empty: StaticString = ""
                    let pointer = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                    return outflow_easy_setopt_pointer(easy, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
                }
            }
        } else {
            // When a reused connection closes before any answer, libcurl silently sends the request again
            // on a new one; for a create the server may already have applied, that is a duplicate. A body
            // read through a callback that cannot rewind turns that hidden resend into an error
            // (CURLE_SEND_FAIL_REWIND), which the retry policy reports as `outcomeUnknown`.
            if code == CURLE_OK { code = outflow_easy_setopt_long(easy, CURLOPT_POST, 1) }
            if code == CURLE_OK { code = outflow_easy_setopt_callback(easy, CURLOPT_READFUNCTION, curlReadBody) }
            if code == CURLE_OK { code = outflow_easy_setopt_pointer(easy, CURLOPT_READDATA, Unmanaged.passUnretained(self).toOpaque()) }
        }
        if code == CURLE_OK, method != .post {
            code = outflow_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue)
        }
        return code
    }

    /// The response once libcurl reports the transfer done with `code`.
    func result(_ code: CURLcode) -> Result<HTTPResponse, HTTPError> {
        guard code == CURLE_OK else { return .failure(error(code)) }
        var status = 0
        _ = outflow_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: HTTPHeaders(received: responseHeaders), body: responseBody))
    }

    private func error(_ code: CURLcode) -> HTTPError {
        let message = handle.errorBuffer.pointee == 0 ? String(cString: curl_easy_strerror(code)) : String(cString: handle.errorBuffer)
        let detail = Redaction.scrub(message, secrets: Redaction.secrets(of: request))
        let url = redactedURL
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns(url: url, detail: detail)
        case CURLE_COULDNT_CONNECT:
            return .connectionRefused(url: url, detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(url: url, requestSent: mayHaveSent, detail: detail)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM,
            CURLE_WEIRD_SERVER_REPLY, CURLE_SEND_FAIL_REWIND:
            // Nothing can be received, or fail to be sent, before sending began: the server may have it.
            return .connectionReset(url: url, requestSent: true, detail: detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls(url: url, detail: detail)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL(url: url, detail: detail)
        default:
            return .transport(url: url, code: Int(code.rawValue), detail: detail)
        }
    }

    /// Whether a connection was open when the transfer failed, so the request may have left. Errs on
    /// the side of "yes": a create that is wrongly thought sent costs a lookup, the opposite a duplicate.
    private var mayHaveSent: Bool {
        var requestSize = 0
        var localPort = 0
        var pretransfer: curl_off_t = 0
        _ = outflow_easy_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &requestSize)
        _ = outflow_easy_getinfo_long(easy, CURLINFO_LOCAL_PORT, &localPort)
        _ = outflow_easy_getinfo_off_t(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer)
        return requestSize > 0 || localPort > 0 || pretransfer > 0
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// CURLOPT_WRITEFUNCTION: body bytes arrive here in chunks.
let curlWriteBody: outflow_curl_data_callback = { buffer, size, count, context in
    let length = size * count
    guard let buffer, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.responseBody.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}

/// CURLOPT_READFUNCTION: hands out the body of a non-idempotent request (see `configureMethod`).
private let curlReadBody: outflow_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = min(size * count, transfer.requestBody.count - transfer.requestBodyOffset)
    guard length > 0 else { return 0 }
    transfer.requestBody.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + transfer.requestBodyOffset, byteCount: length)
    }
    transfer.requestBodyOffset += length
    return length
}

/// CURLOPT_HEADERFUNCTION: called once per complete header line, status line included.
let curlWriteHeader: outflow_curl_data_callback = { buffer, size, count, context in
    let length = size * count
    guard let buffer, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.responseHeaders.append(rawLine: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}
