import Foundation
import OutflowCore

/// The binary form of the worker protocol's batches: a call request and its answer, which carry
/// nearly every byte that crosses the pipe. Each value is a kind byte and a fixed-size or
/// length-prefixed payload (little-endian), so neither side builds a JSON tree or prints and
/// parses numbers; compile and drop requests, rare and small, stay JSON (``FunctionWire``).
///
/// A frame's body starts with its message byte (``Message``), which is never `{`, the first
/// byte of a JSON message.
///
/// ```
/// call:    0x01, function id (u64), count (u32), count × object value
/// answer:  0x02, count (u32), count × (0, value | 1, message string), log string
/// ```
enum FunctionWireBinary {
    enum Message {
        static let call: UInt8 = 0x01
        static let answer: UInt8 = 0x02
    }

    /// The kind byte of each value.
    private enum Kind {
        static let null: UInt8 = 0
        static let `false`: UInt8 = 1
        static let `true`: UInt8 = 2
        static let int: UInt8 = 3
        static let uint: UInt8 = 4
        static let float: UInt8 = 5
        static let decimal: UInt8 = 6
        static let string: UInt8 = 7
        static let datetime: UInt8 = 8
        static let date: UInt8 = 9
        static let time: UInt8 = 10
        static let year: UInt8 = 11
        static let uuid: UInt8 = 12
        static let ip: UInt8 = 13
        /// JSON values as their JSON text: numbers keep their exact text.
        static let json: UInt8 = 14
        static let array: UInt8 = 15
        static let object: UInt8 = 16
        static let map: UInt8 = 17
    }

    /// Nesting deeper than this is refused when reading, so a corrupt frame cannot exhaust the stack.
    static let maximumDepth = 512

    struct Writer {
        private(set) var bytes: [UInt8] = []

        init(message: UInt8) {
            bytes.reserveCapacity(1 << 16)
            bytes.append(message)
        }

        mutating func byte(_ value: UInt8) { bytes.append(value) }

        mutating func u32(_ value: Int) { fixed(UInt32(truncatingIfNeeded: value).littleEndian) }

        mutating func u64(_ value: UInt64) { fixed(value.littleEndian) }

        private mutating func fixed<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
        }

        mutating func string(_ text: String) {
            var copy = text
            copy.withUTF8 { utf8 in
                u32(utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func value(_ value: Value) {
            switch value {
            case .null: byte(Kind.null)
            case .boolean(let flag): byte(flag ? Kind.true : Kind.false)
            case .int(let number):
                byte(Kind.int)
                u64(UInt64(bitPattern: number))
            case .uint(let number):
                byte(Kind.uint)
                u64(number)
            case .float(let number):
                byte(Kind.float)
                u64(number.bitPattern)
            case .decimal(let decimal):
                byte(Kind.decimal)
                string(decimal.description)
            case .string(let text):
                byte(Kind.string)
                string(text)
            case .datetime(let instant):
                byte(Kind.datetime)
                u64(UInt64(bitPattern: instant.seconds))
                u32(Int(instant.nanoseconds))
            case .date(let date):
                byte(Kind.date)
                u32(Int(date.days))
            case .time(let time):
                byte(Kind.time)
                u64(UInt64(bitPattern: time.nanoseconds))
            case .year(let year):
                byte(Kind.year)
                u64(UInt64(bitPattern: Int64(year)))
            case .uuid(let uuid):
                byte(Kind.uuid)
                withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
            case .ip(let text):
                byte(Kind.ip)
                string(text)
            case .json(let json):
                byte(Kind.json)
                string(JSONWriter.string(json))
            case .array(let items):
                byte(Kind.array)
                u32(items.count)
                for item in items { self.value(item) }
            case .object(let object), .map(let object):
                if case .map = value { byte(Kind.map) } else { byte(Kind.object) }
                u32(object.members.count)
                for member in object.members {
                    string(member.key)
                    self.value(member.value)
                }
            }
        }
    }

    struct Reader {
        private let bytes: [UInt8]
        private var offset = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var isAtEnd: Bool { offset == bytes.count }

        mutating func byte() throws(FunctionWire.Malformed) -> UInt8 {
            guard offset < bytes.count else { throw FunctionWire.Malformed() }
            defer { offset += 1 }
            return bytes[offset]
        }

        private mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws(FunctionWire.Malformed) -> T {
            let size = MemoryLayout<T>.size
            guard size <= bytes.count - offset else { throw FunctionWire.Malformed() }
            defer { offset += size }
            return T(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) })
        }

        mutating func u32() throws(FunctionWire.Malformed) -> Int { Int(try fixed(UInt32.self)) }

        mutating func u64() throws(FunctionWire.Malformed) -> UInt64 { try fixed(UInt64.self) }

        mutating func string() throws(FunctionWire.Malformed) -> String {
            let count = try u32()
            guard count <= bytes.count - offset else { throw FunctionWire.Malformed() }
            defer { offset += count }
            return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + count]), as: UTF8.self) }
        }

        /// A count of items that each take at least one byte, so a corrupt count fails here.
        private mutating func count() throws(FunctionWire.Malformed) -> Int {
            let count = try u32()
            guard count <= bytes.count - offset else { throw FunctionWire.Malformed() }
            return count
        }

        mutating func value(depth: Int = 0) throws(FunctionWire.Malformed) -> Value {
            guard depth <= FunctionWireBinary.maximumDepth else { throw FunctionWire.Malformed() }
            let kind = try byte()
            switch kind {
            case Kind.null: return .null
            case Kind.false: return .boolean(false)
            case Kind.true: return .boolean(true)
            case Kind.int: return .int(Int64(bitPattern: try u64()))
            case Kind.uint: return .uint(try u64())
            case Kind.float: return .float(Double(bitPattern: try u64()))
            case Kind.decimal:
                guard let decimal = DecimalValue(try string()) else { throw FunctionWire.Malformed() }
                return .decimal(decimal)
            case Kind.string: return .string(try string())
            case Kind.datetime:
                let seconds = Int64(bitPattern: try u64())
                return .datetime(DateTimeValue(seconds: seconds, nanoseconds: Int32(truncatingIfNeeded: try u32())))
            case Kind.date: return .date(DateValue(days: Int32(truncatingIfNeeded: try u32())))
            case Kind.time: return .time(TimeValue(nanoseconds: Int64(bitPattern: try u64())))
            case Kind.year: return .year(Int(Int64(bitPattern: try u64())))
            case Kind.uuid:
                guard 16 <= bytes.count - offset else { throw FunctionWire.Malformed() }
                var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                withUnsafeMutableBytes(of: &raw) { target in
                    bytes.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + 16])) }
                }
                offset += 16
                return .uuid(UUID(uuid: raw))
            case Kind.ip: return .ip(try string())
            case Kind.json:
                do {
                    return .json(try JSONParser.parse(try string()))
                } catch {
                    throw FunctionWire.Malformed()
                }
            case Kind.array:
                let count = try count()
                var items: [Value] = []
                items.reserveCapacity(count)
                for _ in 0..<count { items.append(try value(depth: depth + 1)) }
                return .array(items)
            case Kind.object, Kind.map:
                let count = try count()
                var members: [(key: String, value: Value)] = []
                members.reserveCapacity(count)
                for _ in 0..<count {
                    let key = try string()
                    members.append((key, try value(depth: depth + 1)))
                }
                return kind == Kind.map ? .map(ValueObject(members)) : .object(ValueObject(members))
            default:
                throw FunctionWire.Malformed()
            }
        }
    }
}
