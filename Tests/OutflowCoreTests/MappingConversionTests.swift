import Testing
@testable import OutflowCore

/// Every row of the conversion table of DESIGN section 7, with failures and boundaries.
@Suite struct MappingConversionTests {
    static let str = #"{"kind":"string"}"#
    static let bool = #"{"kind":"boolean"}"#
    static let int = #"{"kind":"int","bitSize":32}"#
    static let int8 = #"{"kind":"int","bitSize":8}"#
    static let uint8 = #"{"kind":"int","bitSize":8,"unsigned":true}"#
    static let int16 = #"{"kind":"int","bitSize":16}"#
    static let int64 = #"{"kind":"int","bitSize":64}"#
    static let uint64 = #"{"kind":"int","bitSize":64,"unsigned":true}"#
    static let float = #"{"kind":"float"}"#
    static let float32 = #"{"kind":"float","bitSize":32}"#
    static let dec = #"{"kind":"decimal","precision":10,"scale":2}"#
    static let dec53 = #"{"kind":"decimal","precision":5,"scale":3}"#
    static let datetime = #"{"kind":"datetime"}"#
    static let date = #"{"kind":"date"}"#
    static let time = #"{"kind":"time"}"#
    static let year = #"{"kind":"year"}"#
    static let uuid = #"{"kind":"uuid"}"#
    static let json = #"{"kind":"json"}"#
    static let ip = #"{"kind":"ip"}"#
    static let arrStr = #"{"kind":"array","elementType":{"kind":"string"}}"#
    static let arrInt = #"{"kind":"array","elementType":{"kind":"int"}}"#
    static let obj = #"{"kind":"object","properties":[{"name":"a","type":{"kind":"int"}},{"name":"b","type":{"kind":"string"},"nullable":true}]}"#
    static let mapStr = #"{"kind":"map","elementType":{"kind":"string"}}"#
    static let mapInt = #"{"kind":"map","elementType":{"kind":"int"}}"#

    /// (type of the profile property `v`, its value as JSON, type of the nullable output, expected outcome)
    static let rows: [(String, String, String, String)] = [
        // string ->
        (str, #""hello""#, str, #""hello""#),
        (str, #""héllo""#, #"{"kind":"string","maxLength":5}"#, #""héllo""#),
        (str, #""héllo!""#, #"{"kind":"string","maxLength":5}"#, "error: «héllo!» exceeds the 5-char limit while mapping to «out»"),
        (str, #""héllo""#, #"{"kind":"string","maxBytes":5}"#, "error: «héllo» exceeds the 5-byte limit while mapping to «out»"),
        (str, #""hello""#, #"{"kind":"string","maxBytes":5}"#, #""hello""#),
        (str, #""😀😀""#, #"{"kind":"string","maxLength":2,"maxBytes":8}"#, #""😀😀""#),
        (str, #""😀😀""#, #"{"kind":"string","maxLength":2,"maxBytes":7}"#, "error: exceeds the 7-byte limit"),
        (str, #""pro""#, #"{"kind":"string","values":["free","pro"]}"#, #""pro""#),
        (str, #""gold""#, #"{"kind":"string","values":["free","pro"]}"#, "error: «gold» is not one of the allowed values"),
        (str, #""12""#, #"{"kind":"string","pattern":"^[0-9]+$"}"#, #""12""#),
        (str, #""12a""#, #"{"kind":"string","pattern":"^[0-9]+$"}"#, "error: «12a» does not match the pattern"),
        (str, #""true""#, bool, "true"),
        (str, #""YES""#, bool, "true"),
        (str, #""No""#, bool, "false"),
        (str, #""fAlSe""#, bool, "false"),
        (str, #""TRUE""#, bool, "true"),
        (str, #""1""#, bool, "error: «1» is not a boolean"),
        (str, #""t""#, bool, "error: «t» is not a boolean"),
        (str, #""maybe""#, bool, "error: «maybe» is not a boolean (expected true, false, yes or no) while mapping to «out»"),
        (str, #""42""#, int, "42"),
        (str, #""-42""#, int, "-42"),
        (str, #""127""#, int8, "127"),
        (str, #""128""#, int8, "error: «128» is out of range for int(8)"),
        (str, #""-128""#, int8, "-128"),
        (str, #""-129""#, int8, "error: «-129» is out of range for int(8)"),
        (str, #""255""#, uint8, "255"),
        (str, #""-1""#, uint8, "error: out of range for uint(8)"),
        (str, #""9223372036854775807""#, int64, "9223372036854775807"),
        (str, #""9223372036854775808""#, int64, "error: out of range for int(64)"),
        (str, #""18446744073709551615""#, uint64, "18446744073709551615"),
        (str, #""18446744073709551616""#, uint64, "error: is not an uint(64) value"),
        (str, #""4.5""#, int, "error: «4.5» is not an int(32) value"),
        (str, #"" 4""#, int, "error: is not an int(32) value"),
        (str, #""abc""#, int, "error: «abc» is not an int(32) value while mapping to «out»"),
        (str, #""3.25""#, float, "3.25"),
        (str, #""1e3""#, float, "1000"),
        (str, #""x""#, float, "error: «x» is not a float(64) value"),
        (str, #""3.4e39""#, float32, "error: out of range for float(32)"),
        (str, #""12.345""#, dec53, #""12.345""#),
        (str, #""12.3456""#, dec53, "error: has more than 3 digits after the decimal point"),
        (str, #""123.4""#, dec53, "error: does not fit decimal(5,3)"),
        (str, #""2023-05-24T10:00:00+02:00""#, datetime, #""2023-05-24T08:00:00Z""#),
        (str, #""2023-05-24""#, datetime, #""2023-05-24T00:00:00Z""#),
        (str, #""24/05/2023""#, datetime, "error: is not a valid datetime"),
        (str, #""2023-05-24""#, date, #""2023-05-24""#),
        (str, #""05/24/2023""#, date, #""2023-05-24""#),
        (str, #""05.24.2023""#, date, #""2023-05-24""#),
        (str, #""44927""#, date, #""2023-01-01""#),
        (str, #""44927.75""#, date, #""2023-01-01""#),
        (str, #""45000""#, date, #""2023-03-15""#),
        (str, #""100""#, date, #""1900-04-09""#),
        (str, #""061""#, date, #""1900-03-01""#),
        (str, #""059""#, date, #""1900-02-28""#),
        (str, #""060""#, date, "error: is not a valid date"),
        (str, #""61""#, date, "error: is not a valid date"),
        (str, #""366""#, date, #""1900-12-31""#),
        (str, #""02/30/2023""#, date, "error: «02/30/2023» is not a valid date"),
        (str, #""2023/05/24""#, date, "error: is not a valid date"),
        (str, #""24.05.2023""#, date, "error: is not a valid date"),
        (str, #""1""#, date, "error: is not a valid date"),
        (str, #""12-05-2023""#, date, "error: is not a valid date"),
        (str, #""10:11:12""#, time, #""10:11:12""#),
        (str, #""07:30""#, time, #""07:30:00""#),
        (str, #""10:11:12.250""#, time, #""10:11:12.25""#),
        (str, #""25:00""#, time, "error: is not a valid time"),
        (str, #""2024""#, year, "2024"),
        (str, #""999""#, year, "999"),
        (str, #""9999""#, year, "9999"),
        (str, #""0""#, year, "error: «0» is not a valid year"),
        (str, #""0999""#, year, "error: is not a valid year"),
        (str, #""10000""#, year, "error: is not a valid year"),
        (str, #""+2024""#, year, "error: is not a valid year"),
        (str, #""6F9619FF-8B86-D011-B42D-00CF4FC964FF""#, uuid, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#),
        (str, #""nope""#, uuid, "error: «nope» is not a uuid value"),
        (str, #""2001:DB8::1""#, ip, #""2001:db8::1""#),
        (str, #""10.0.0.1""#, ip, #""10.0.0.1""#),
        (str, #""999.1.1.1""#, ip, "error: is not a valid IP address"),
        (str, #""text""#, json, #""text""#),
        (str, #""[1,2]""#, json, #""[1,2]""#),
        (str, #""a""#, arrStr, "invalid: the expression is string, which cannot be converted to array(string)"),
        (str, #""a""#, obj, "invalid: cannot be converted to object"),
        (str, #""a""#, mapStr, "invalid: cannot be converted to map(string)"),
        // boolean ->
        (bool, "true", str, #""true""#),
        (bool, "false", str, #""false""#),
        (bool, "false", #"{"kind":"string","maxLength":4}"#, "error: «false» exceeds the 4-char limit"),
        (bool, "true", bool, "true"),
        (bool, "true", int8, "1"),
        (bool, "false", int8, "0"),
        (bool, "true", uint8, "1"),
        (bool, "true", int16, "invalid: the expression is boolean, which cannot be converted to int(16)"),
        (bool, "true", json, "true"),
        (bool, "true", float, "invalid: cannot be converted to float(64)"),
        (bool, "true", date, "invalid: cannot be converted to date"),
        (bool, "true", year, "invalid: cannot be converted to year"),
        // int ->
        (int16, "36", str, #""36""#),
        (int16, "-36", str, #""-36""#),
        (int8, "1", bool, "true"),
        (int8, "0", bool, "false"),
        (int8, "-5", bool, "true"),
        (int16, "1", bool, "invalid: the expression is int(16), which cannot be converted to boolean"),
        (int16, "300", int8, "error: «300» is out of range for int(8) (-128 to 127) while mapping to «out»"),
        (int16, "-1", uint8, "error: «-1» is out of range for uint(8)"),
        (int16, "255", uint8, "255"),
        (int16, "150", #"{"kind":"int","minimum":0,"maximum":100}"#, "error: «150» is out of range"),
        (int16, "100", #"{"kind":"int","minimum":0,"maximum":100}"#, "100"),
        (int16, "5", float, "5"),
        (int16, "5", dec, #""5.00""#),
        (int16, "12345", dec53, "error: does not fit decimal(5,3)"),
        (int16, "2024", year, "2024"),
        (int16, "0", year, "error: «0» is not a valid year"),
        (int16, "10000", year, "error: is not a valid year"),
        (int16, "36", json, "36"),
        (int16, "36", date, "invalid: cannot be converted to date"),
        (int16, "36", datetime, "invalid: cannot be converted to datetime"),
        (int16, "36", uuid, "invalid: cannot be converted to uuid"),
        (int16, "36", time, "invalid: cannot be converted to time"),
        (uint64, "18446744073709551615", int64, "error: out of range for int(64)"),
        (uint64, "18446744073709551615", str, #""18446744073709551615""#),
        (uint64, "18446744073709551615", #"{"kind":"decimal","precision":20,"scale":0}"#, #""18446744073709551615""#),
        (int64, "-9223372036854775808", int64, "-9223372036854775808"),
        (int64, "-9223372036854775808", int, "error: out of range for int(32)"),
        // float ->
        (float, "34.5", int, "35"),
        (float, "-0.5", int, "-1"),
        (float, "2.5", int, "3"),
        (float, "-2.5", int, "-3"),
        (float, "1.4999", int, "1"),
        (float, "127.4", int8, "127"),
        (float, "127.5", int8, "error: out of range for int(8)"),
        (float, "-128.5", int8, "error: out of range for int(8)"),
        (float, "1e20", int64, "error: out of range for int(64)"),
        (float, "1.5e19", uint64, "15000000000000000000"),
        (float, "3.25", str, #""3.25""#),
        (float, "2.0", str, #""2""#),
        (float, "3.25", dec, #""3.25""#),
        (float, "3.256", dec, #""3.26""#),
        (float, "1e12", dec, "error: does not fit decimal(10,2)"),
        (float, "1.5", float32, "1.5"),
        (float, "3.4e39", float32, "error: out of range for float(32)"),
        (float, "5.5", #"{"kind":"float","maximum":5}"#, "error: «5.5» is greater than the maximum 5.0"),
        (float, "-1", #"{"kind":"float","minimum":0}"#, "error: is less than the minimum"),
        (float, "2.5", json, "2.5"),
        (float, "2.5", bool, "invalid: the expression is float(64), which cannot be converted to boolean"),
        (float, "2.5", year, "invalid: cannot be converted to year"),
        // decimal ->
        (dec, #""12.50""#, int, "error: «12.50» is not an integer"),
        (dec, #""12.00""#, int, "12"),
        (dec, #""-3""#, int, "-3"),
        (dec, #""300""#, int8, "error: out of range for int(8)"),
        (dec, #""12.50""#, str, #""12.50""#),
        (dec, #""12.50""#, float, "12.5"),
        (dec, #""12.50""#, #"{"kind":"decimal","precision":3,"scale":1}"#, #""12.5""#),
        (dec, #""12.55""#, #"{"kind":"decimal","precision":3,"scale":1}"#, "error: has more than 1 digits after the decimal point"),
        (dec, #""12.50""#, json, #""12.50""#),
        (dec, #""12.50""#, bool, "invalid: cannot be converted to boolean"),
        (dec, #""12.50""#, year, "invalid: cannot be converted to year"),
        // datetime ->
        (datetime, #""2024-03-05T10:11:12.5Z""#, str, #""2024-03-05T10:11:12.5Z""#),
        (datetime, #""2024-03-05T10:11:12.5Z""#, datetime, #""2024-03-05T10:11:12.5Z""#),
        (datetime, #""2024-03-05T23:11:12+02:00""#, date, #""2024-03-05""#),
        (datetime, #""2024-03-05T10:11:12.5Z""#, time, #""10:11:12.5""#),
        (datetime, #""2024-03-05T10:11:12Z""#, json, #""2024-03-05T10:11:12Z""#),
        (datetime, #""2024-03-05T10:11:12Z""#, int, "invalid: the expression is datetime, which cannot be converted to int(32)"),
        (datetime, #""2024-03-05T10:11:12Z""#, year, "invalid: cannot be converted to year"),
        // date ->
        (date, #""1815-12-10""#, str, #""1815-12-10""#),
        (date, #""1815-12-10""#, datetime, #""1815-12-10T00:00:00Z""#),
        (date, #""1815-12-10""#, date, #""1815-12-10""#),
        (date, #""1815-12-10""#, json, #""1815-12-10""#),
        (date, #""1815-12-10""#, time, "invalid: the expression is date, which cannot be converted to time"),
        (date, #""1815-12-10""#, year, "invalid: cannot be converted to year"),
        // time ->
        (time, #""07:30:00""#, str, #""07:30:00""#),
        (time, #""07:30:00""#, time, #""07:30:00""#),
        (time, #""07:30:00""#, json, #""07:30:00""#),
        (time, #""07:30:00""#, datetime, "invalid: the expression is time, which cannot be converted to datetime"),
        (time, #""07:30:00""#, date, "invalid: cannot be converted to date"),
        // year ->
        (year, "2020", str, #""2020""#),
        (year, "2020", int, "2020"),
        (year, "2020", int8, "error: «2020» is out of range for int(8)"),
        (year, "2020", year, "2020"),
        (year, "2020", json, "2020"),
        (year, "2020", date, "invalid: the expression is year, which cannot be converted to date"),
        (year, "2020", float, "invalid: cannot be converted to float(64)"),
        // uuid, ip ->
        (uuid, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#, str, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#),
        (uuid, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#, uuid, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#),
        (uuid, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#, json, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#),
        (uuid, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#, int, "invalid: the expression is uuid, which cannot be converted to int(32)"),
        (uuid, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#, #"{"kind":"string","maxLength":10}"#, "error: exceeds the 10-char limit"),
        (ip, #""192.168.0.1""#, str, #""192.168.0.1""#),
        (ip, #""192.168.0.1""#, ip, #""192.168.0.1""#),
        (ip, #""192.168.0.1""#, json, #""192.168.0.1""#),
        (ip, #""192.168.0.1""#, uuid, "invalid: the expression is ip, which cannot be converted to uuid"),
        // json ->
        (json, #""abc""#, str, #""abc""#),
        (json, "42", str, #""42""#),
        (json, "true", str, #""true""#),
        (json, "[1]", str, "error: cannot convert the JSON array «[1]» to string"),
        (json, #"{"a":1}"#, str, "error: cannot convert the JSON object"),
        (json, #""yes""#, bool, "true"),
        (json, "true", bool, "true"),
        (json, "1", bool, "error: cannot convert the JSON number «1» to boolean"),
        (json, "42", int, "42"),
        (json, "42.0", int, "42"),
        (json, "42.5", int, "error: «42.5» is not an integer"),
        (json, #""42""#, int, "42"),
        (json, "300", int8, "error: «300» is out of range for int(8)"),
        (json, "true", int8, "1"),
        (json, "true", int, "error: cannot convert the JSON boolean"),
        (json, "2.5", float, "2.5"),
        (json, #""2.5""#, float, "2.5"),
        (json, "12.345", dec53, #""12.345""#),
        (json, "12.3456", dec53, "error: has more than 3 digits after the decimal point"),
        (json, #""2024-01-02T03:04:05Z""#, datetime, #""2024-01-02T03:04:05Z""#),
        (json, "5", datetime, "error: cannot convert the JSON number «5» to datetime"),
        (json, #""05/24/2023""#, date, #""2023-05-24""#),
        (json, #""10:00:00""#, time, #""10:00:00""#),
        (json, "2024", year, "2024"),
        (json, #""2024""#, year, "2024"),
        (json, "0", year, "error: is not a valid year"),
        (json, #""6F9619FF-8B86-D011-B42D-00CF4FC964FF""#, uuid, #""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#),
        (json, #""10.0.0.1""#, ip, #""10.0.0.1""#),
        (json, "6", arrInt, "[6]"),
        (json, #""6""#, arrInt, "[6]"),
        (json, "[1,2]", arrInt, "[1,2]"),
        (json, "[1,null]", arrInt, "[1,null]"),
        (json, #"["a"]"#, arrInt, "error: «a» is not an int(64) value"),
        (json, #"{"a":1}"#, arrInt, "error: cannot convert the JSON object"),
        (json, "[1,2,3]", #"{"kind":"array","elementType":{"kind":"int"},"maxElements":2}"#, "error: has more than the maximum 2"),
        (json, "6", #"{"kind":"array","elementType":{"kind":"int"},"minElements":2}"#, "error: cannot convert the JSON number"),
        (json, #"{"a":1,"b":"x","c":true}"#, obj, #"{"a":1,"b":"x"}"#),
        (json, #"{"a":1,"b":null}"#, obj, #"{"a":1,"b":null}"#),
        (json, #"{"a":"x"}"#, obj, "error: «a»: «x» is not an int(64) value"),
        (json, #"{"a":null}"#, obj, "error: «a»: null is not allowed"),
        (json, "5", obj, "error: cannot convert the JSON number «5» to object"),
        (json, #"{"a":1,"b":2}"#, mapInt, #"{"a":1,"b":2}"#),
        (json, #"{"a":1,"b":2}"#, mapStr, #"{"a":"1","b":"2"}"#),
        (json, "[1,2]", json, "[1,2]"),
        (json, "null", json, "null"),
        // array ->
        (arrStr, #"["a","b"]"#, arrStr, #"["a","b"]"#),
        (arrStr, #"["1","2"]"#, arrInt, "[1,2]"),
        (arrStr, #"["a"]"#, arrInt, "error: «a» is not an int(64) value"),
        (arrStr, #"["a","b"]"#, json, #"["a","b"]"#),
        (arrStr, #"["a","b"]"#, #"{"kind":"array","elementType":{"kind":"string"},"maxElements":1}"#, "error: has more than the maximum 1"),
        (arrInt, "[1,1]", #"{"kind":"array","elementType":{"kind":"int"},"uniqueElements":true}"#, "error: repeated elements"),
        (arrStr, #"["a"]"#, str, "invalid: the expression is array(string), which cannot be converted to string"),
        (arrStr, #"["a"]"#, obj, "invalid: cannot be converted to object"),
        (arrInt, "[1]", #"{"kind":"array","elementType":{"kind":"date"}}"#, "invalid: the expression is array(int(64)), which cannot be converted to array(date)"),
        // object, map ->
        (obj, #"{"a":1,"b":"x"}"#, #"{"kind":"object","properties":[{"name":"a","type":{"kind":"string"}}]}"#, #"{"a":"1"}"#),
        (obj, #"{"a":1,"b":"x"}"#, mapStr, #"{"a":"1","b":"x"}"#),
        (obj, #"{"a":1,"b":"x"}"#, json, #"{"a":1,"b":"x"}"#),
        (obj, #"{"a":1}"#, str, "invalid: the expression is object, which cannot be converted to string"),
        (obj, #"{"a":1}"#, arrInt, "invalid: cannot be converted to array(int(64))"),
        (mapInt, #"{"x":1}"#, mapStr, #"{"x":"1"}"#),
        (mapInt, #"{"x":1}"#, #"{"kind":"object","properties":[{"name":"x","type":{"kind":"int"}},{"name":"y","type":{"kind":"int"}}]}"#, #"{"x":1}"#),
        (mapInt, #"{"x":1}"#, json, #"{"x":1}"#),
        (mapInt, #"{"x":1}"#, #"{"kind":"map","elementType":{"kind":"date"}}"#, "invalid: the expression is map(int(64)), which cannot be converted to map(date)"),
        (mapInt, #"{"x":1}"#, bool, "invalid: cannot be converted to boolean"),
    ]

    @Test(arguments: rows)
    func converts(_ inType: String, _ input: String, _ outType: String, _ expected: String) {
        let inSchema = MappingHarness.schema(#"[{"name":"v","type":"# + inType + #","nullable":true}]"#)
        let profile = MappingHarness.decodeProfile(#"{"v":"# + input + "}", inSchema)
        let out = Property(name: "out", type: MappingHarness.type(outType), nullable: true)
        let outcome = MappingHarness.run("v", out: out, inSchema: inSchema, profile: profile)
        #expect(MappingHarness.matches(outcome, expected), "\(inType) \(input) -> \(outType): \(outcome)")
    }

    /// The conversion matrix as DESIGN section 7 and Krenalis's Conversions.md draw it: for each
    /// source kind, the target kinds the type checker accepts.
    static let matrix: [String: Set<String>] = [
        "string": ["string", "boolean", "int", "float", "decimal", "datetime", "date", "time", "year", "uuid", "json", "ip"],
        "boolean": ["string", "boolean", "json"],
        "int": ["string", "int", "float", "decimal", "year", "json"],
        "float": ["string", "int", "float", "decimal", "json"],
        "decimal": ["string", "int", "float", "decimal", "json"],
        "datetime": ["string", "datetime", "date", "time", "json"],
        "date": ["string", "datetime", "date", "json"],
        "time": ["string", "time", "json"],
        "year": ["string", "int", "year", "json"],
        "uuid": ["string", "uuid", "json"],
        "json": ["string", "boolean", "int", "float", "decimal", "datetime", "date", "time", "year", "uuid", "json", "ip", "array", "object", "map"],
        "ip": ["string", "ip", "json"],
        "array": ["array", "json"],
        "object": ["object", "map", "json"],
        "map": ["object", "map", "json"],
    ]

    static let representative: [String: DataType] = [
        "string": .string(StringType()), "boolean": .boolean, "int": .int(IntType(bitSize: 32)), "float": .float(FloatType()),
        "decimal": .decimal(DecimalType(precision: 10, scale: 2)), "datetime": .datetime, "date": .date, "time": .time, "year": .year,
        "uuid": .uuid, "json": .json, "ip": .ip, "array": .array(ArrayType(elementType: .string(StringType()))),
        "object": .object(ObjectType(properties: [Property(name: "a", type: .string(StringType()))])), "map": .map(.string(StringType())),
    ]

    static let pairs: [(String, String)] = Kind.allCases.flatMap { from in Kind.allCases.map { (from.rawValue, $0.rawValue) } }

    @Test(arguments: pairs)
    func matrixCell(_ from: String, _ to: String) throws {
        let source = try #require(Self.representative[from])
        let target = try #require(Self.representative[to])
        let expected = Self.matrix[from]?.contains(to) ?? false
        #expect(Conversion.isAllowed(from: source, to: target) == expected, "\(from) -> \(to)")
    }

    /// The footnote of the table: boolean and int convert to each other only for int(8).
    static let int8Cells: [(DataType, DataType, Bool)] = [
        (.boolean, .int(IntType(bitSize: 8)), true),
        (.boolean, .int(IntType(bitSize: 8, unsigned: true)), true),
        (.boolean, .int(IntType(bitSize: 16)), false),
        (.boolean, .int(IntType(bitSize: 64)), false),
        (.int(IntType(bitSize: 8)), .boolean, true),
        (.int(IntType(bitSize: 8, unsigned: true)), .boolean, true),
        (.int(IntType(bitSize: 24)), .boolean, false),
        (.int(IntType(bitSize: 64)), .boolean, false),
    ]

    @Test(arguments: int8Cells)
    func int8Footnote(_ from: DataType, _ to: DataType, _ expected: Bool) {
        #expect(Conversion.isAllowed(from: from, to: to) == expected)
    }
}
