import Foundation
import Glibc
import Synchronization

/// What the test server does with one request.
struct ScriptedResponse: Sendable {
    enum Action: Sendable {
        case respond
        /// Read the request, then close the connection without a byte of answer.
        case closeWithoutResponse
    }

    var status = 200
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// Seconds to wait before answering (or closing).
    var delay: Double = 0
    var action = Action.respond

    static func status(_ status: Int, headers: [(String, String)] = [], body: String = "") -> ScriptedResponse {
        ScriptedResponse(status: status, headers: headers, body: Array(body.utf8))
    }
}

/// A request as the test server read it.
struct ReceivedRequest: Sendable {
    var method: String
    var path: String
    var headers: [(String, String)]
    var body: [UInt8]
    /// Which accepted connection it came on (0-based).
    var connection: Int

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A tiny HTTP/1.1 server on a loopback socket: one thread accepts, one thread per connection serves
/// keep-alive requests with Content-Length bodies, and a script decides each answer.
///
/// Real sockets, so the client's connection reuse, timeouts and resets are exercised for real; it
/// counts accepted connections so tests can see keep-alive at work.
final class TestHTTPServer: @unchecked Sendable {
    typealias Script = @Sendable (_ request: ReceivedRequest, _ index: Int) -> ScriptedResponse

    let port: Int
    private let listener: Int32
    private let script: Script
    private let rawReply: [UInt8]?
    private let state = Mutex(State())
    private let acceptLoopEnded = DispatchSemaphore(value: 0)

    private struct State {
        var connections = 0
        var requests: [ReceivedRequest] = []
        var openSockets: Set<Int32> = []
        var stopped = false
    }

    var origin: String { "http://127.0.0.1:\(port)" }
    var connectionsAccepted: Int { state.withLock { $0.connections } }
    var requests: [ReceivedRequest] { state.withLock { $0.requests } }

    /// - Parameter rawReply: when set, every connection gets these bytes at once and is closed, whatever
    ///   the client sends (a server that does not speak the client's protocol).
    init(script: @escaping Script = { _, _ in .status(200, body: "ok") }, rawReply: [UInt8]? = nil) throws {
        self.script = script
        self.rawReply = rawReply
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 512) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting and shuts every open connection down; threads end on their next read.
    ///
    /// The listener is closed only once the accept loop has returned, and connections are shut down
    /// while the lock keeps them open: a descriptor number closed too early can be reused at once
    /// by another test's socket in this process (a mock server's listener, a client connection),
    /// and this server would then accept or cut connections that are not its own.
    func stop() {
        state.withLock { state in
            state.stopped = true
            for socket in state.openSockets { shutdown(socket, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
        acceptLoopEnded.wait()
        close(listener)
    }

    private func acceptLoop() {
        defer { acceptLoopEnded.signal() }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if state.withLock({ $0.stopped }) { return }
                continue
            }
            // Registered under the lock that stop() holds, so a connection is either shut down by
            // stop() or refused here, never missed.
            let number: Int? = state.withLock { state in
                if state.stopped { return nil }
                state.connections += 1
                state.openSockets.insert(client)
                return state.connections - 1
            }
            guard let number else {
                close(client)
                return
            }
            let thread = Thread { [self] in serve(client, connection: number) }
            thread.start()
        }
    }

    private func serve(_ socket: Int32, connection: Int) {
        defer {
            state.withLock { _ = $0.openSockets.remove(socket) }
            close(socket)
        }
        if let rawReply {
            _ = writeAll(socket, rawReply)
            return
        }
        var buffer: [UInt8] = []
        while let request = readRequest(socket, buffer: &buffer, connection: connection) {
            let index = state.withLock { state in
                state.requests.append(request)
                return state.requests.count - 1
            }
            let answer = script(request, index)
            if answer.delay > 0 { usleep(UInt32(answer.delay * 1_000_000)) }
            guard answer.action == .respond else { return }
            var head = "HTTP/1.1 \(answer.status) Scripted\r\nContent-Length: \(answer.body.count)\r\n"
            for (name, value) in answer.headers { head += "\(name): \(value)\r\n" }
            head += "\r\n"
            guard writeAll(socket, Array(head.utf8) + answer.body) else { return }
            if request.header("Connection")?.lowercased() == "close" { return }
        }
    }

    private func readRequest(_ socket: Int32, buffer: inout [UInt8], connection: Int) -> ReceivedRequest? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if let end = find(separator, in: buffer) {
                headEnd = end
                break
            }
            guard receive(socket, into: &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        let bodyStart = headEnd + separator.count
        while buffer.count < bodyStart + length {
            guard receive(socket, into: &buffer) else { return nil }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return ReceivedRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body, connection: connection)
    }

    private func receive(_ socket: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }

    private func writeAll(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}

/// A port on 127.0.0.1 where nobody listens: bound, never listened on, then closed.
func closedLoopbackPort() throws -> Int {
    let server = try TestHTTPServer()
    let port = server.port
    server.stop()
    return port
}
