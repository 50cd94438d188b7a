import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OutflowCore

/// The worker protocol's framing: each message is a 4-byte big-endian length and that many
/// bytes, JSON for compile and drop requests and their answers, binary for batches
/// (``FunctionWireBinary``, whose first byte is never the `{` of JSON).
enum FunctionWire {
    /// A frame whose content is not what the protocol allows there.
    struct Malformed: Error {}

    // MARK: Frames

    /// Writes one JSON frame; false when the other end is gone.
    static func write(_ message: JSONValue, to fd: Int32) -> Bool {
        write(frame: Array(JSONWriter.string(message).utf8), to: fd)
    }

    /// Writes one frame of `body`; false when the other end is gone.
    static func write(frame body: [UInt8], to fd: Int32) -> Bool {
        let count = UInt32(body.count)
        let header: [UInt8] = [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
        return writeAll(header, to: fd) && writeAll(body, to: fd)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                guard let base = buffer.baseAddress else { return true }
                let written = Glibc.write(fd, base + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }

    enum ReadFailure: Error {
        /// The other end closed the pipe (the process ended).
        case closed
        /// Nothing complete arrived before the deadline.
        case timedOut
        case malformed
    }

    /// Reads one JSON frame, waiting at most until `deadline` (uptime nanoseconds; nil: forever).
    static func read(from fd: Int32, deadline: UInt64?) throws(ReadFailure) -> JSONValue {
        try json(readFrame(from: fd, deadline: deadline))
    }

    /// A frame's body as JSON.
    static func json(_ body: [UInt8]) throws(ReadFailure) -> JSONValue {
        do {
            return try JSONParser.parse(bytes: body)
        } catch {
            throw .malformed
        }
    }

    /// Reads one frame's body, waiting at most until `deadline` (uptime nanoseconds; nil: forever).
    static func readFrame(from fd: Int32, deadline: UInt64?) throws(ReadFailure) -> [UInt8] {
        let header = try readExactly(4, from: fd, deadline: deadline)
        let count = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        return try readExactly(count, from: fd, deadline: deadline)
    }

    private static func readExactly(_ count: Int, from fd: Int32, deadline: UInt64?) throws(ReadFailure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            if let deadline {
                let now = DispatchTime.now().uptimeNanoseconds
                guard now < deadline else { throw .timedOut }
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, Int32(min((deadline - now) / 1_000_000 + 1, 60_000)))
                if ready < 0, errno == EINTR { continue }
                if ready == 0 { continue }
            }
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, count - offset) }
            if got < 0, errno == EINTR { continue }
            if got <= 0 { throw .closed }
            offset += got
        }
        return bytes
    }
}
