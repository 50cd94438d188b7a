import Foundation

/// Parses the text form of a UUID (8-4-4-4-12 hexadecimal digits, either case) without Foundation.
///
/// It accepts what `UUID(uuidString:)` accepts, except that a sign in place of a digit (which that
/// initializer's `sscanf("%x")` lets through: `+4ebdea1-...`) is refused; and it does not go through
/// `sscanf`, which cost more per CSV cell than the rest of the row's decoding.
enum UUIDText {
    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard bytes.count == 36 else { return nil }
        var out: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &out) { raw -> Bool in
            var index = 0
            for octet in 0..<16 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard bytes[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                }
                guard let high = hex(bytes[index]), let low = hex(bytes[index + 1]) else { return false }
                raw[octet] = high << 4 | low
                index += 2
            }
            return true
        }
        return ok ? UUID(uuid: out) : nil
    }

    @inline(__always)
    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
