/// A 64-bit hash that is the same in every process and on every run (Swift's `Hasher` is seeded
/// per process, so it cannot key what the state store keeps between runs).
///
/// FNV-1a over the bytes, then the MurmurHash3 finaliser so that near-equal inputs spread over
/// all 64 bits. It keys the duplicate check of DESIGN section 9 (whose collisions are confirmed
/// exactly) and the payload hash of the export state.
///
/// ```swift
/// StableHash.of("ana.lopez@example.com")      // the same UInt64 on every run
/// StableHash.hex(of: #"{"firstname":"Ana"}"#)  // "5f0c…", 16 hex digits
/// ```
enum StableHash {
    static func of(_ text: String) -> UInt64 {
        of(bytes: text.utf8)
    }

    static func of(bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// The hash as 16 lower-case hex digits, the form the export state stores.
    static func hex(of text: String) -> String {
        hex(of(text))
    }

    /// The hash of UTF-8 bytes (a payload written by ``JSONByteWriter``) as 16 hex digits.
    static func hex(of bytes: [UInt8]) -> String {
        hex(of(bytes: bytes))
    }

    private static func hex(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
