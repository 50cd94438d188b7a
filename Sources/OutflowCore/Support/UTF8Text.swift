/// Turns UTF-8 bytes into a `String`, refusing invalid input.
///
/// `String(validating:as:)` is generic and unspecialised in the standard library: it looks up type
/// metadata on every call, which made it a quarter of the CSV decode time. ASCII text, the common case,
/// is checked eight bytes at a time, other text by a plain validator, and both are then built with the
/// specialised `String(decoding:as:)`, which repairs nothing in valid input.
///
/// ```swift
/// let text = UTF8Text.string(bytes)  // nil when the bytes are not valid UTF-8
/// ```
public enum UTF8Text {
    @inline(__always)
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isASCII(bytes) || isValid(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when every byte is below 0x80.
    @inlinable
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var index = 0
        while index + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if base[index] & 0x80 != 0 { return false }
            index += 1
        }
        return true
    }

    /// True when `bytes` is well-formed UTF-8: no overlong forms, surrogates or code points above U+10FFFF.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var i = 0
        while i < count {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            switch lead {
            case 0xC2 ... 0xDF: length = 2
            case 0xE0 ... 0xEF: length = 3
            case 0xF0 ... 0xF4: length = 4
            default: return false
            }
            guard i + length <= count else { return false }
            for k in 1 ..< length where bytes[i + k] & 0xC0 != 0x80 { return false }
            let second = bytes[i + 1]
            switch lead {
            case 0xE0 where second < 0xA0: return false  // overlong
            case 0xED where second >= 0xA0: return false  // UTF-16 surrogate
            case 0xF0 where second < 0x90: return false  // overlong
            case 0xF4 where second >= 0x90: return false  // above U+10FFFF
            default: break
            }
            i += length
        }
        return true
    }
}
