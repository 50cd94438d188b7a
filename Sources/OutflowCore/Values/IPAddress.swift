#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Validation and canonical text of IPv4 and IPv6 addresses, through the C library's parser.
///
/// A dotted quad already in canonical form (four decimal parts 0-255 without leading zeros, the
/// only IPv4 text `inet_pton` accepts) is recognised byte by byte and returned as it is: profile
/// sources carry such addresses in every row, and the C round trip cost more than the rest of the
/// cell's decoding. Everything else goes through `inet_pton` and `inet_ntop`.
public enum IPAddress {
    /// The canonical text of `text` (IPv6 compressed, lower case), or nil when it is not an address.
    public static func canonical(_ text: String) -> String? {
        if isCanonicalIPv4(text.utf8) { return text }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        if text.utf8.contains(UInt8(ascii: ".")), !text.utf8.contains(UInt8(ascii: ":")) {
            var v4 = in_addr()
            guard inet_pton(AF_INET, text, &v4) == 1,
                inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count)) != nil
            else { return nil }
        } else {
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, text, &v6) == 1,
                inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil
            else { return nil }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `bytes` are exactly four dot-separated decimal parts, each 0-255 with no leading zero.
    static func isCanonicalIPv4(_ bytes: String.UTF8View) -> Bool {
        var parts = 0
        var digits = 0
        var value = 0
        var first: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return false }
                parts += 1
                digits = 0
                value = 0
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return false }
            if digits == 0 { first = digit } else if first == 0 { return false }
            digits += 1
            value = value * 10 + Int(digit)
            guard digits <= 3, value <= 255 else { return false }
        }
        return parts == 3 && digits > 0
    }
}
