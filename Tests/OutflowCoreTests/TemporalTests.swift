import Testing
@testable import OutflowCore

@Suite struct TemporalTests {
    static let datetimes: [(String, String?)] = [
        ("2023-01-02T03:04:05Z", "2023-01-02T03:04:05Z"),
        ("2023-01-02T03:04:05.120Z", "2023-01-02T03:04:05.12Z"),
        ("2023-01-02T03:04:05.000Z", "2023-01-02T03:04:05Z"),
        ("2023-01-02 03:04:05", "2023-01-02T03:04:05Z"),
        ("2023-01-02T03:04:05+02:00", "2023-01-02T01:04:05Z"),
        ("2023-01-02T00:30:00-01:30", "2023-01-02T02:00:00Z"),
        ("2023-01-02", "2023-01-02T00:00:00Z"),
        ("2024-02-29T23:59:59.999999999Z", "2024-02-29T23:59:59.999999999Z"),
        ("2024-01-01T00:00:00.1234567891Z", "2024-01-01T00:00:00.123456789Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z"),
        ("2023-02-29T00:00:00Z", nil), ("2023-13-01T00:00:00Z", nil), ("2023-01-01T24:00:00Z", nil),
        ("2023-01-01T00:00:00.Z", nil), ("yesterday", nil), ("2023-01-01T00:00:00+25:00", nil), ("0001-01-01T00:00:00+01:00", nil),
    ]

    @Test(arguments: datetimes)
    func datetime(_ text: String, _ expected: String?) {
        #expect(DateTimeValue(parsing: text)?.description == expected)
    }

    static let dates: [(String, String?)] = [
        ("2023-05-24", "2023-05-24"), ("1970-01-01", "1970-01-01"), ("0001-01-01", "0001-01-01"), ("2000-02-29", "2000-02-29"),
        ("1900-02-29", nil), ("2023-5-24", nil), ("2023-05-24T00:00:00Z", nil), ("0000-01-01", nil),
    ]

    @Test(arguments: dates)
    func date(_ text: String, _ expected: String?) {
        #expect(DateValue(parsing: text)?.description == expected)
    }

    static let times: [(String, String?)] = [
        ("00:00:00", "00:00:00"), ("23:59:59.5", "23:59:59.5"), ("12:30", "12:30:00"), ("01:02:03.000000001", "01:02:03.000000001"),
        ("24:00:00", nil), ("12:60:00", nil), ("1:02:03", nil),
    ]

    @Test(arguments: times)
    func time(_ text: String, _ expected: String?) {
        #expect(TimeValue(parsing: text)?.description == expected)
    }

    @Test func ordersWithSubSecondPrecision() throws {
        let a = try #require(DateTimeValue(parsing: "2024-01-01T00:00:00Z"))
        let b = try #require(DateTimeValue(parsing: "2024-01-01T00:00:00.000001Z"))
        #expect(a < b)
        #expect(b.date == a.date)
    }
}
