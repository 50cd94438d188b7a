import Foundation
import Testing

@testable import OutflowMocks

@Suite("HubSpot timestamps")
struct HubSpotTimestampTests {
    /// The hand-written formatter writes what Foundation's ISO 8601 style with fractional seconds
    /// in UTC writes: leap days, century years, the epoch, before it. The dates are 0.4 ms past a
    /// millisecond: at a whole millisecond Foundation sometimes writes one less (`.999` as `.998`,
    /// its binary fraction truncated), where the formatter writes the exact one.
    @Test func sameTextAsFoundationsISO8601Style() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 0) ?? .current)
        var milliseconds: [Int64] = [
            0, 1, 999, -500, -86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 1_709_251_199_999, 1_709_251_200_000,
            253_402_300_799_999,
        ]
        // A fixed linear congruential sequence over 1900-2200, so failures reproduce.
        var state: UInt64 = 42
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            milliseconds.append(Int64(state >> 24) % 9_467_280_000_000 - 2_208_988_800_000)
        }
        for value in milliseconds {
            let date = Date(timeIntervalSince1970: (Double(value) + 0.4) / 1000)
            #expect(HubSpotTimestamp.format(date) == date.formatted(style), "\(value) ms")
        }
        #expect(HubSpotTimestamp.format(Date(timeIntervalSince1970: 951_868_799.999)) == "2000-02-29T23:59:59.999Z")
    }

    @Test func emailsAreCheckedAsHubSpotDoes() {
        for valid in ["a@b.co", "first.last+tag@example.com", "x@sub.domain.org"] { #expect(HubSpotStore.isValidEmail(valid), "\(valid)") }
        for invalid in ["", "@b.co", "a@", "a@b", "a@.b.co", "a@b.co.", "a@b@c.co", "a b@c.co", "a,b@c.co", "a@c.co;", "ab.co"] {
            #expect(!HubSpotStore.isValidEmail(invalid), "\(invalid)")
        }
    }
}
