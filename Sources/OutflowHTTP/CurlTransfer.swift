import CCurl
import Synchronization

/// One request from `send` to its answer: what the caller hands to the event loop, and the response
/// as libcurl delivers it.
///
/// One object per request, made by `HTTPClient.send` and then owned by the loop: it passes through the
/// inbox, sits in the loop's list of active transfers (its `slot`) and is its easy handle's `transfer`,
/// which is how libcurl's callbacks and `CURLINFO_PRIVATE` reach it, so the loop keeps no table. A
/// cancellation names the object itself, which cannot be confused with a later request.
///
/// The redacted URL and the request's secrets are only needed to describe a failure, and computing
/// them costs more than the rest of a request's bookkeeping, so they are derived when an error is made.
///
/// `@unchecked Sendable`: the caller writes `continuation` before it submits (the inbox's lock or the
/// loop thread itself orders that write before the loop's reads), `cancelledFlag` is atomic, and every
/// other mutable field is touched only on the loop thread.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    let url: CurlURL
    /// Set by the caller before it submits; resumed exactly once, by the loop.
    var continuation: UnsafeContinuation<Result<HTTPResponse, HTTPError>, Never>?
    /// Set by the task's cancellation handler; read by the loop when it starts the transfer, which
    /// covers a cancellation that arrives before the loop has seen the request.
    private let cancelledFlag = Atomic<Bool>(false)
    /// The request's body, kept alive (and never mutated) for as long as libcurl reads it: borrowed by
    /// `CURLOPT_POSTFIELDS`, or handed out by the read callback for a request that must not be re-sent.
    fileprivate let requestBody: [UInt8]

    // Loop-thread state.
    /// The easy handle libcurl runs it on, while it runs.
    var handle: CurlEasyHandle?
    /// Where it is in the loop's list of active transfers; -1 when it is not there.
    var slot = -1
    /// The caller runs on the loop thread (it prefers the loop executor) and can be resumed directly.
    var callerOnLoopThread = false
    // Written by libcurl's callbacks, line by line and chunk by chunk, on the loop thread only and never
    // while another access is open: the runtime's exclusivity check on each write (a class property
    // modified in place) cost more than the write (docs/performance.md, issue 5).
    @exclusivity(unchecked) var requestBodyOffset = 0
    @exclusivity(unchecked) var responseHeaders = ReceivedHeaderLines()
    @exclusivity(unchecked) var responseBody: [UInt8] = []
    /// A request field holding a line break, found when the handle built its header list: the request
    /// is refused with `.invalidHeader` and nothing is sent.
    var headerWithLineBreak: (name: String, value: String)?

    init(request: HTTPRequest, url: CurlURL) {
        self.request = request
        self.url = url
        requestBody = request.body ?? []
    }

    var isCancelled: Bool { cancelledFlag.load(ordering: .acquiring) }
    func markCancelled() { cancelledFlag.store(true, ordering: .releasing) }

    /// Answers the caller; the loop calls it exactly once per submitted transfer.
    func resume(_ result: consuming Result<HTTPResponse, HTTPError>) {
        continuation?.resume(returning: result)
    }

    /// Only computed for a failure: see the type's comment.
    var redactedURL: String { Redaction.url(request.url) }

    /// Sets the request's own options on `handle`, which holds the client's shared ones and, from its
    /// previous request, options this one changes where they differ (`CurlEasyHandle.prepare`).
    func configure(on handle: CurlEasyHandle) -> CURLcode {
        self.handle = handle
        return handle.prepare(for: self, timeout: request.timeout)
    }

    /// Sets method and body on a handle in its cleared state; `CurlEasyHandle.clearMethod` undoes
    /// every option set here.
    func configureMethod(on easy: UnsafeMutableRawPointer) -> CURLcode {
        let method = request.method
        guard request.body != nil || method == .post || method == .put || method == .patch else {
            // A cleared handle is already a GET.
            if method == .get { return CURLE_OK }
            if method == .head { return outflow_easy_setopt_long(easy, CURLOPT_NOBODY, 1) }
            return outflow_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue)
        }
        var code = outflow_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(requestBody.count))
        if code == CURLE_OK { code = configureBody(on: easy) }
        if code == CURLE_OK, !request.isIdempotent {
            // When a reused connection closes before any answer, libcurl silently sends the request again
            // on a new one; for a create the server may already have applied, that is a duplicate. A body
            // read through a callback that cannot rewind turns that hidden resend into an error
            // (CURLE_SEND_FAIL_REWIND), which the retry policy reports as `outcomeUnknown`.
            code = outflow_easy_setopt_long(easy, CURLOPT_POST, 1)
            if code == CURLE_OK { code = outflow_easy_setopt_callback(easy, CURLOPT_READFUNCTION, curlReadBody) }
        }
        if code == CURLE_OK, method != .post {
            code = outflow_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue)
        }
        return code
    }

    /// Points the handle at this request's body: what differs between two requests of the same method
    /// and kind (`CurlEasyHandle.RequestShape`), besides the body's size.
    func configureBody(on easy: UnsafeMutableRawPointer) -> CURLcode {
        // The read callback finds the transfer through the handle (`CurlEasyHandle.transfer`).
        guard request.isIdempotent else { return CURLE_OK }
        // POSTFIELDS borrows the bytes rather than copying them (COPYPOSTFIELDS): `requestBody` is an
        // immutable array this transfer owns, and the loop keeps the transfer alive until libcurl has
        // finished with it; the handle's next request points it elsewhere before libcurl reads it again.
        // The size is set first, or libcurl would stop at a zero byte.
        return requestBody.withUnsafeBytes { bytes in
            let empty: StaticString = ""
            let pointer = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
            return outflow_easy_setopt_pointer(easy, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
        }
    }

    var bodySize: Int { requestBody.count }

    /// The response once libcurl reports the transfer done with `code`.
    func result(_ code: CURLcode, on handle: CurlEasyHandle) -> Result<HTTPResponse, HTTPError> {
        guard code == CURLE_OK else { return .failure(error(code, on: handle)) }
        var status = 0
        _ = outflow_easy_getinfo_long(handle.easy, CURLINFO_RESPONSE_CODE, &status)
        // Moved out rather than copied: the transfer is done with them.
        var headers = ReceivedHeaderLines()
        var body: [UInt8] = []
        swap(&headers, &responseHeaders)
        swap(&body, &responseBody)
        return .success(HTTPResponse(status: status, headers: HTTPHeaders(received: headers), body: body))
    }

    private func error(_ code: CURLcode, on handle: CurlEasyHandle) -> HTTPError {
        if let field = headerWithLineBreak {
            return .invalidHeader(url: redactedURL, name: Redaction.scrub(field.name, secrets: [field.value]))
        }
        let message = handle.errorBuffer.pointee == 0 ? String(cString: curl_easy_strerror(code)) : String(cString: handle.errorBuffer)
        let detail = Redaction.scrub(message, secrets: Redaction.secrets(of: request))
        let url = redactedURL
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns(url: url, detail: detail)
        case CURLE_COULDNT_CONNECT:
            return .connectionRefused(url: url, detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(url: url, requestSent: Self.mayHaveSent(handle.easy), detail: detail)
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
    private static func mayHaveSent(_ easy: UnsafeMutableRawPointer) -> Bool {
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
    CurlEasyHandle.withTransfer(context) { transfer in
        transfer.responseBody.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    }
    return length
}

/// CURLOPT_READFUNCTION: hands out the body of a non-idempotent request (see `configureMethod`).
private let curlReadBody: outflow_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    return CurlEasyHandle.withTransfer(context) { transfer in
        let length = min(size * count, transfer.requestBody.count - transfer.requestBodyOffset)
        guard length > 0 else { return 0 }
        transfer.requestBody.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + transfer.requestBodyOffset, byteCount: length)
        }
        transfer.requestBodyOffset += length
        return length
    } ?? Int(CURL_READFUNC_ABORT)
}

/// CURLOPT_HEADERFUNCTION: called once per complete header line, status line included.
let curlWriteHeader: outflow_curl_data_callback = { buffer, size, count, context in
    let length = size * count
    guard let buffer, let context else { return length }
    CurlEasyHandle.withTransfer(context) { transfer in
        transfer.responseHeaders.append(rawLine: UnsafeRawBufferPointer(start: buffer, count: length))
    }
    return length
}
