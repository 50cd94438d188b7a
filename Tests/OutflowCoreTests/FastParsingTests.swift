import Foundation
import Testing

@testable import OutflowCore

#if canImport(Glibc)
    import Glibc
#endif

/// The byte-level fast paths of cell decoding agree with the library parsers they stand in for.
@Suite struct FastParsingTests {
    static let uuidTexts = [
        "b4ebdea1-7401-455e-9de4-2c8a6fa548c7", "B4EBDEA1-7401-455E-9DE4-2C8A6FA548C7", "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff", "b4ebdea1-7401-455e-9de4-2c8a6fa548c", "b4ebdea1-7401-455e-9de4-2c8a6fa548c7a",
        "b4ebdea1_7401-455e-9de4-2c8a6fa548c7", "b4ebdea17401-455e-9de4-2c8a6fa548c7-", "g4ebdea1-7401-455e-9de4-2c8a6fa548c7",
        " b4ebdea1-7401-455e-9de4-2c8a6fa548c7", "b4ebdea1-7401-455e-9de4-2c8a6fa548c ",
        "", "{b4ebdea1-7401-455e-9de4-2c8a6fa548c7}", "b4ebdea1-7401-455e-9dé-2c8a6fa548c7",
    ]

    @Test(arguments: uuidTexts)
    func uuidsParseLikeFoundation(_ text: String) {
        #expect(UUIDText.parse(text) == UUID(uuidString: text))
    }

    /// Foundation's parser (`sscanf` with `%x`) lets a sign through in place of a digit; a UUID is
    /// hexadecimal digits only, so these are refused.
    @Test(arguments: ["+4ebdea1-7401-455e-9de4-2c8a6fa548c7", "b4ebdea1-+401-455e-9de4-2c8a6fa548c7", "b4ebdea1-7401-455e--de4-2c8a6fa548c7"])
    func signsInPlaceOfDigitsAreRefused(_ text: String) {
        #expect(UUIDText.parse(text) == nil)
    }

    /// The C library's canonical text, computed here independently of the fast path.
    static func libraryCanonical(_ text: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1, inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count)) != nil {
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1, inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil {
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }

    static let addresses = [
        "1.2.3.4", "105.86.121.69", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.02.3.4", "1.2.3.04", "1.2.3", "1.2.3.4.5",
        "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "1000.2.3.4", "1.2.3.a", "", "::1", "::ffff:1.2.3.4",
        "2001:DB8::1", "2001:db8:0:0:0:0:0:1", "1.2.3.4:80", "0.0.0.00", "10.0.0.1",
    ]

    @Test(arguments: addresses)
    func ipAddressesCanonicaliseLikeTheCLibrary(_ text: String) {
        #expect(IPAddress.canonical(text) == Self.libraryCanonical(text))
    }

    @Test(arguments: [("1.50", "1.50"), (" 1.50", "1.50"), ("1.50 ", "1.50"), ("\t-2", "-2"), ("3\u{00A0}", "3"), ("\u{2003}4", "4"), ("x", nil)])
    func decimalsAreTrimmedOfWhiteSpaceOnly(_ text: String, _ expected: String?) throws {
        let type = DataType.decimal(DecimalType(precision: 10, scale: 2))
        let decoded = try? TextDecoding.decode(text, as: type)
        if let expected {
            #expect(decoded == (try TextDecoding.decode(expected, as: type)))
        } else {
            #expect(decoded == nil)
        }
    }
}
