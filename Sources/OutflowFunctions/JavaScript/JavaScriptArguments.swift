import OutflowCore

/// The `user` arguments of a batch as one JSON text, which JavaScript parses in one call (each
/// property set through the C API costs a lock and a call; `JSON.parse` builds objects at
/// native speed).
///
/// The text is `[users, fixups]`. JSON cannot carry every value JavaScript receives (DESIGN
/// section 8 and ``JavaScriptFunction/javaScript(_:)``): an integer beyond ±(2^53 − 1) and every
/// unsigned integer above Int64.max arrive as a BigInt, a float may be NaN or infinite. Those are
/// written as a string or null and listed in `fixups` as `[user, [key or index, ...], code]`
/// (0: `BigInt(the string)`, 1: NaN, 2: Infinity, 3: -Infinity), which the driver applies.
struct JavaScriptArguments {
    private(set) var bytes: [UInt8] = []
    private var fixups: [UInt8] = []
    private var fixupCount = 0
    /// Where the value being written sits, for fixups: the user's index and the keys above it.
    private var user = 0
    private var path: [JSONPathPart] = []

    private enum JSONPathPart {
        case key(String)
        case index(Int)
    }

    static let maximumExact = Int64(1) << 53 - 1

    /// A writer whose text goes into `buffer`'s storage (emptied first), so batches reuse it.
    init(reusing buffer: [UInt8] = []) {
        bytes = buffer
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(1 << 16)
        bytes.append(contentsOf: "[[".utf8)
    }

    /// Starts the next user object.
    mutating func beginUser(_ index: Int) {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "{"))
        user = index
    }

    mutating func endUser() {
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes `"name":`, preceded by a comma unless it is the first key; `quoted` is the key
    /// already written as a JSON string.
    mutating func key(_ quoted: [UInt8], first: Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: quoted)
        bytes.append(UInt8(ascii: ":"))
    }

    /// The finished text, NUL-terminated for `JSStringCreateWithUTF8CString`.
    mutating func finish() -> [UInt8] {
        bytes.append(contentsOf: "],[".utf8)
        bytes.append(contentsOf: fixups)
        bytes.append(contentsOf: "]]".utf8)
        bytes.append(0)
        return bytes
    }

    static func quoted(_ text: String) -> [UInt8] {
        var writer = JavaScriptArguments()
        writer.bytes.removeAll()
        var copy = text
        copy.withUTF8 { writer.string($0) }
        return writer.bytes
    }

    // MARK: Values

    mutating func null() { bytes.append(contentsOf: "null".utf8) }

    mutating func boolean(_ flag: Bool) { bytes.append(contentsOf: flag ? "true".utf8 : "false".utf8) }

    mutating func integer(_ number: Int64, topKey: String? = nil) {
        if number >= -Self.maximumExact, number <= Self.maximumExact {
            decimal(number)
        } else {
            bytes.append(UInt8(ascii: "\""))
            decimal(number)
            bytes.append(UInt8(ascii: "\""))
            fixup(0, topKey)
        }
    }

    mutating func unsigned(_ number: UInt64, topKey: String? = nil) {
        bytes.append(contentsOf: "\"\(number)\"".utf8)
        fixup(0, topKey)
    }

    mutating func float(_ number: Double, topKey: String? = nil) {
        if number.isFinite {
            // Swift's description is the shortest text that reads back as the same double, and JSON.
            bytes.append(contentsOf: number.description.utf8)
        } else {
            null()
            fixup(number.isNaN ? 1 : number > 0 ? 2 : 3, topKey)
        }
    }

    private mutating func decimal(_ number: Int64) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// A JSON string of valid UTF-8 bytes.
    mutating func string(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var plain = true
        for byte in text where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            bytes.append(contentsOf: text)
        } else {
            let hex = Array("0123456789abcdef".utf8)
            for byte in text {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
                case 0x0A: bytes.append(contentsOf: "\\n".utf8)
                case 0x0D: bytes.append(contentsOf: "\\r".utf8)
                case 0x09: bytes.append(contentsOf: "\\t".utf8)
                case ..<0x20:
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 15)])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ text: String) {
        var copy = text
        copy.withUTF8 { string($0) }
    }

    /// A datetime as its ISO text (``DateTimeValue/description``), written without a String for
    /// the common years.
    mutating func datetime(_ instant: DateTimeValue) {
        let days = instant.seconds >= 0 ? instant.seconds / 86_400 : (instant.seconds - 86_399) / 86_400
        let seconds = instant.seconds - days * 86_400
        let (year, month, day) = CivilDays.civil(days: days)
        guard (1...9999).contains(year), instant.nanoseconds >= 0, instant.nanoseconds < 1_000_000_000 else {
            string(instant.description)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(seconds / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(seconds / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(seconds % 60, 2)
        if instant.nanoseconds != 0 {
            bytes.append(UInt8(ascii: "."))
            var fraction = Int64(instant.nanoseconds)
            var width = 9
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            digits(fraction, width)
        }
        bytes.append(contentsOf: "Z\"".utf8)
    }

    private mutating func digits(_ number: Int64, _ width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = number
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Any value, as ``JavaScriptFunction/javaScript(_:)`` makes it.
    mutating func value(_ value: Value, topKey: String? = nil) {
        if let topKey { path = [.key(topKey)] }
        write(value)
        if topKey != nil { path.removeAll() }
    }

    private mutating func write(_ value: Value) {
        switch value {
        case .null: null()
        case .boolean(let flag): boolean(flag)
        case .int(let number): integer(number)
        case .uint(let number): unsigned(number)
        case .float(let number): float(number)
        case .year(let year): decimal(Int64(year))
        case .decimal(let decimal): string(decimal.description)
        case .string(let text), .ip(let text): string(text)
        case .datetime(let instant): datetime(instant)
        case .date(let date): string(date.description)
        case .time(let time): string(time.description)
        case .uuid(let uuid): string(uuid.uuidString.lowercased())
        case .json(let json): write(json)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                path.append(.index(index))
                write(item)
                path.removeLast()
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members), .map(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(member.key)
                bytes.append(UInt8(ascii: ":"))
                path.append(.key(member.key))
                write(member.value)
                path.removeLast()
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func write(_ json: JSONValue) {
        switch json {
        case .null: null()
        case .bool(let flag): boolean(flag)
        case .string(let text): string(text)
        // A JSON number arrives as the double it reads as (a big integer is rounded, as before).
        case .number(let text): float(Double(text) ?? .nan)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                path.append(.index(index))
                write(item)
                path.removeLast()
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(member.key)
                bytes.append(UInt8(ascii: ":"))
                path.append(.key(member.key))
                write(member.value)
                path.removeLast()
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Records that the value just written at the current path (or at `topKey` of the user) must
    /// be fixed in JavaScript.
    private mutating func fixup(_ code: Int, _ topKey: String?) {
        if fixupCount > 0 { fixups.append(UInt8(ascii: ",")) }
        fixupCount += 1
        var text = "[\(user),["
        let parts = topKey.map { [JSONPathPart.key($0)] } ?? path
        for (index, part) in parts.enumerated() {
            if index > 0 { text += "," }
            switch part {
            case .key(let name): text += JSONWriter.string(.string(name))
            case .index(let position): text += String(position)
            }
        }
        text += "],\(code)]"
        fixups.append(contentsOf: text.utf8)
    }
}
