#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Validation and canonical text of IPv4 and IPv6 addresses, through the C library's parser.
public enum IPAddress {
    /// The canonical text of `text` (IPv6 compressed, lower case), or nil when it is not an address.
    public static func canonical(_ text: String) -> String? {
        var v4 = in_addr()
        if text.contains("."), !text.contains(":") {
            guard inet_pton(AF_INET, text, &v4) == 1 else { return nil }
            return format(AF_INET, &v4, Int(INET_ADDRSTRLEN))
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        return format(AF_INET6, &v6, Int(INET6_ADDRSTRLEN))
    }

    private static func format<T>(_ family: Int32, _ address: inout T, _ size: Int) -> String? {
        var buffer = [CChar](repeating: 0, count: size)
        guard inet_ntop(family, &address, &buffer, socklen_t(size)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
