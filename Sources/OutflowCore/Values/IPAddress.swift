#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Validation and canonical text of IPv4 and IPv6 addresses, through the C library's parser.
public enum IPAddress {
    /// The canonical text of `text` (IPv6 compressed, lower case), or nil when it is not an address.
    public static func canonical(_ text: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        if text.contains("."), !text.contains(":") {
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
}
