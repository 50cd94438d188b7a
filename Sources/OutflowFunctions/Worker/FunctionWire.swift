import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OutflowCore

/// The worker protocol's framing and value encoding: each message is a 4-byte big-endian length
/// and that many bytes of JSON.
///
/// Values keep their kind across the pipe: null, booleans and strings are plain JSON; every other
/// kind is a tagged pair, `["i","-12"]` (int), `["u","…"]` (uint), `["f","1.5"]` (float, also
/// `nan`, `inf`, `-inf`), `["d","12.50"]` (decimal), `["t",seconds,nanoseconds]` (datetime),
/// `["D",days]` (date), `["T",nanoseconds]` (time), `["y",year]`, `["U","…"]` (uuid), `["p","…"]`
/// (ip), `["j",json]`, `["a",[…]]` (array), `["o",{…}]` (object), `["m",{…}]` (map).
enum FunctionWire {
    static func encode(_ value: Value) -> JSONValue {
        switch value {
        case .null: return .null
        case .boolean(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .int(let number): return tagged("i", .string(String(number)))
        case .uint(let number): return tagged("u", .string(String(number)))
        case .float(let number): return tagged("f", .string(number.isNaN ? "nan" : number.isInfinite ? (number > 0 ? "inf" : "-inf") : "\(number)"))
        case .decimal(let decimal): return tagged("d", .string(decimal.description))
        case .datetime(let instant): return .array([.string("t"), .number(String(instant.seconds)), .number(String(instant.nanoseconds))])
        case .date(let date): return tagged("D", .number(String(date.days)))
        case .time(let time): return tagged("T", .number(String(time.nanoseconds)))
        case .year(let year): return tagged("y", .number(String(year)))
        case .uuid(let uuid): return tagged("U", .string(uuid.uuidString))
        case .ip(let text): return tagged("p", .string(text))
        case .json(let json): return tagged("j", json)
        case .array(let items): return tagged("a", .array(items.map(encode)))
        case .object(let object): return tagged("o", .object(JSONObject(object.members.map { (key: $0.key, value: encode($0.value)) })))
        case .map(let object): return tagged("m", .object(JSONObject(object.members.map { (key: $0.key, value: encode($0.value)) })))
        }
    }

    private static func tagged(_ tag: String, _ payload: JSONValue) -> JSONValue {
        .array([.string(tag), payload])
    }

    struct Malformed: Error {}

    static func decode(_ json: JSONValue) throws(Malformed) -> Value {
        switch json {
        case .null: return .null
        case .bool(let flag): return .boolean(flag)
        case .string(let text): return .string(text)
        case .array(let pair):
            guard pair.count >= 2, case .string(let tag) = pair[0] else { throw Malformed() }
            let payload = pair[1]
            switch (tag, payload) {
            case ("i", .string(let text)): guard let n = Int64(text) else { throw Malformed() }; return .int(n)
            case ("u", .string(let text)): guard let n = UInt64(text) else { throw Malformed() }; return .uint(n)
            case ("f", .string(let text)):
                switch text {
                case "nan": return .float(.nan)
                case "inf": return .float(.infinity)
                case "-inf": return .float(-.infinity)
                default: guard let n = Double(text) else { throw Malformed() }; return .float(n)
                }
            case ("d", .string(let text)): guard let d = DecimalValue(text) else { throw Malformed() }; return .decimal(d)
            case ("t", .number(let seconds)):
                guard pair.count == 3, case .number(let nanos) = pair[2], let s = Int64(seconds), let n = Int32(nanos) else { throw Malformed() }
                return .datetime(DateTimeValue(seconds: s, nanoseconds: n))
            case ("D", .number(let text)): guard let n = Int32(text) else { throw Malformed() }; return .date(DateValue(days: n))
            case ("T", .number(let text)): guard let n = Int64(text) else { throw Malformed() }; return .time(TimeValue(nanoseconds: n))
            case ("y", .number(let text)): guard let n = Int(text) else { throw Malformed() }; return .year(n)
            case ("U", .string(let text)): guard let uuid = UUID(uuidString: text) else { throw Malformed() }; return .uuid(uuid)
            case ("p", .string(let text)): return .ip(text)
            case ("j", _): return .json(payload)
            case ("a", .array(let items)):
                var values: [Value] = []
                values.reserveCapacity(items.count)
                for item in items { values.append(try decode(item)) }
                return .array(values)
            case ("o", .object(let object)), ("m", .object(let object)):
                var members: [(key: String, value: Value)] = []
                members.reserveCapacity(object.members.count)
                for member in object.members { members.append((member.key, try decode(member.value))) }
                return tag == "o" ? .object(ValueObject(members)) : .map(ValueObject(members))
            default: throw Malformed()
            }
        default: throw Malformed()
        }
    }

    // MARK: Frames

    /// Writes one frame; false when the other end is gone.
    static func write(_ message: JSONValue, to fd: Int32) -> Bool {
        var body = Array(JSONWriter.string(message).utf8)
        let count = UInt32(body.count)
        var frame: [UInt8] = [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
        frame.append(contentsOf: body)
        body = []
        return frame.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
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

    /// Reads one frame, waiting at most until `deadline` (uptime nanoseconds; nil: forever).
    static func read(from fd: Int32, deadline: UInt64?) throws(ReadFailure) -> JSONValue {
        let header = try readExactly(4, from: fd, deadline: deadline)
        let count = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        let body = try readExactly(count, from: fd, deadline: deadline)
        do {
            return try JSONParser.parse(bytes: body)
        } catch {
            throw .malformed
        }
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
