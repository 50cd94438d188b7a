import Foundation
import Testing
@testable import OutflowCore

@Suite struct TextDecodingTests {
    static func type(_ json: String) -> DataType {
        var issues: [Diagnostic] = []
        return DataType.decode((try? JSONParser.parse(json)) ?? .null, path: "", issues: &issues) ?? .json
    }

    /// (type JSON, cell text, expected value as its section 5 JSON, or nil when the text must be refused)
    static let rows: [(String, String, String?)] = [
        (#"{"kind":"string"}"#, "héllo", #""héllo""#),
        (#"{"kind":"string","maxLength":3}"#, "héé", #""héé""#),
        (#"{"kind":"string","maxLength":3}"#, "hééé", nil),
        (#"{"kind":"string","maxBytes":3}"#, "hé", #""hé""#),
        (#"{"kind":"string","maxBytes":3}"#, "héé", nil),
        (#"{"kind":"string","values":["free","pro"]}"#, "pro", #""pro""#),
        (#"{"kind":"string","values":["free","pro"]}"#, "Pro", nil),
        (#"{"kind":"string","pattern":"^\\+[0-9]+$"}"#, "+123", #""+123""#),
        (#"{"kind":"string","pattern":"^\\+[0-9]+$"}"#, "123", nil),
        (#"{"kind":"boolean"}"#, "true", "true"), (#"{"kind":"boolean"}"#, "FALSE", "false"),
        (#"{"kind":"boolean"}"#, "t", "true"), (#"{"kind":"boolean"}"#, "No", "false"), (#"{"kind":"boolean"}"#, "1", "true"),
        (#"{"kind":"boolean"}"#, "maybe", nil), (#"{"kind":"boolean"}"#, "", nil),
        (#"{"kind":"int","bitSize":8}"#, "127", "127"), (#"{"kind":"int","bitSize":8}"#, "128", nil),
        (#"{"kind":"int","bitSize":8}"#, "-128", "-128"), (#"{"kind":"int","bitSize":8}"#, "-129", nil),
        (#"{"kind":"int","bitSize":8,"unsigned":true}"#, "255", "255"), (#"{"kind":"int","bitSize":8,"unsigned":true}"#, "-1", nil),
        (#"{"kind":"int","bitSize":64}"#, "-9223372036854775808", "-9223372036854775808"),
        (#"{"kind":"int","bitSize":64}"#, "9223372036854775808", nil),
        (#"{"kind":"int","bitSize":64,"unsigned":true}"#, "18446744073709551615", "18446744073709551615"),
        (#"{"kind":"int","bitSize":64,"unsigned":true}"#, "18446744073709551616", nil),
        (#"{"kind":"int","minimum":0,"maximum":150}"#, "151", nil), (#"{"kind":"int","minimum":0,"maximum":150}"#, "+42", "42"),
        (#"{"kind":"int"}"#, "abc", nil), (#"{"kind":"int"}"#, "1.0", nil), (#"{"kind":"int"}"#, " 1", nil),
        (#"{"kind":"float"}"#, "3.25", "3.25"), (#"{"kind":"float"}"#, "-0.5", "-0.5"), (#"{"kind":"float"}"#, "1e3", "1000"),
        (#"{"kind":"float"}"#, "12345678901234567.5", "1.2345678901234568e+16"), (#"{"kind":"float"}"#, "x", nil),
        (#"{"kind":"float","real":true}"#, "nan", nil), (#"{"kind":"float","maximum":1}"#, "1.5", nil),
        (#"{"kind":"decimal","precision":6,"scale":2}"#, "1234.5", #""1234.50""#),
        (#"{"kind":"decimal","precision":6,"scale":2}"#, "12345.5", nil),
        (#"{"kind":"decimal","precision":6,"scale":2}"#, "1.234", nil),
        (#"{"kind":"decimal","precision":6,"scale":2}"#, "-0.01", #""-0.01""#),
        (#"{"kind":"decimal","precision":6,"scale":2}"#, "12.345.6", nil),
        (#"{"kind":"datetime"}"#, "2024-03-05T10:11:12.120+01:00", #""2024-03-05T09:11:12.12Z""#),
        (#"{"kind":"datetime"}"#, "2024-03-05 10:11:12", #""2024-03-05T10:11:12Z""#),
        (#"{"kind":"datetime"}"#, "yesterday", nil),
        (#"{"kind":"date"}"#, "2024-02-29", #""2024-02-29""#), (#"{"kind":"date"}"#, "2024-13-45", nil),
        (#"{"kind":"time"}"#, "10:11:12.5", #""10:11:12.5""#), (#"{"kind":"time"}"#, "25:00:00", nil),
        (#"{"kind":"year"}"#, "1999", "1999"), (#"{"kind":"year"}"#, "0", nil), (#"{"kind":"year"}"#, "10000", nil),
        (#"{"kind":"uuid"}"#, "6F9619FF-8B86-D011-B42D-00CF4FC964FF", #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#),
        (#"{"kind":"uuid"}"#, "not-a-uuid", nil),
        (#"{"kind":"ip"}"#, "192.168.0.1", #""192.168.0.1""#), (#"{"kind":"ip"}"#, "2001:DB8:0:0:0:0:0:1", #""2001:db8::1""#),
        (#"{"kind":"ip"}"#, "999.1.1.1", nil),
        (#"{"kind":"json"}"#, #"{"a":[1,2.50]}"#, #"{"a":[1,2.50]}"#), (#"{"kind":"json"}"#, "{bad", nil),
        (#"{"kind":"array","elementType":{"kind":"string"}}"#, #"["a","b"]"#, #"["a","b"]"#),
        (#"{"kind":"array","elementType":{"kind":"string"}}"#, "[unclosed", nil),
        (#"{"kind":"array","elementType":{"kind":"int"}}"#, #"[1,"x"]"#, nil),
        (#"{"kind":"array","elementType":{"kind":"int"},"maxElements":1}"#, "[1,2]", nil),
        (#"{"kind":"array","elementType":{"kind":"int"},"uniqueElements":true}"#, "[1,1]", nil),
        (#"{"kind":"map","elementType":{"kind":"int"}}"#, #"{"a":1,"b":null}"#, #"{"a":1,"b":null}"#),
        (#"{"kind":"object","properties":[{"name":"c","type":{"kind":"date"}}]}"#, #"{"c":"2024-01-01"}"#, #"{"c":"2024-01-01"}"#),
        (#"{"kind":"object","properties":[{"name":"c","type":{"kind":"date"}}]}"#, #"{"d":"2024-01-01"}"#, nil),
    ]

    @Test(arguments: rows)
    func decodes(_ typeJSON: String, _ text: String, _ expected: String?) {
        let result = Result { () throws(ValueError) in try TextDecoding.decode(text, as: Self.type(typeJSON)) }
        switch result {
        case .success(let value):
            #expect(JSONWriter.string(value.json) == expected, "\(typeJSON) \(text)")
        case .failure(let error):
            #expect(expected == nil, "\(typeJSON) \(text): \(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func messagesNameValueAndRule() {
        #expect(throws: ValueError("«abc» is not an int(16) value")) {
            try TextDecoding.decode("abc", as: .int(IntType(bitSize: 16)))
        }
        #expect(throws: ValueError("«hello» exceeds the 3-char limit")) {
            try TextDecoding.decode("hello", as: .string(StringType(maxLength: 3)))
        }
    }
}
