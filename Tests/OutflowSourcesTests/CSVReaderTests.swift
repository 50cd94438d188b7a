import Foundation
import OutflowCore
import Testing
@testable import OutflowSources

@Suite struct CSVReaderTests {
    @Test func readsTypedProfilesWithNestedAndJSONColumns() throws {
        let rows = try readCSV(
            """
            id,email,name,age,score,vip,updated_at,address.country,address.city,tags,meta
            1,ana@example.com,Ana,42,15.5,true,2023-01-02T03:04:05,ES,A Coruña,"[""a"",""b""]","{""x"":1}"
            2,bo@example.com,,,,,,,,,

            """)
        #expect(rows.count == 2)
        #expect(rows[0].error == nil)
        #expect(
            rows[0].profile
                == ValueObject([
                    ("id", .int(1)), ("email", .string("ana@example.com")), ("name", .string("Ana")), ("age", .int(42)),
                    ("score", .float(15.5)), ("vip", .boolean(true)), ("updated_at", datetime("2023-01-02T03:04:05Z")),
                    ("address", .object(ValueObject([("city", .string("A Coruña")), ("country", .string("ES"))]))),
                    ("tags", .array([.string("a"), .string("b")])), ("meta", .json(["x": 1])),
                ]))
        #expect(
            rows[1].profile
                == ValueObject([
                    ("id", .int(2)), ("email", .string("bo@example.com")), ("name", .null), ("age", .null), ("score", .null),
                    ("vip", .null), ("updated_at", .null), ("address", .object(ValueObject([("city", .null), ("country", .null)]))),
                    ("tags", .null), ("meta", .null),
                ]))
        #expect(rows.map(\.record) == [1, 2])
        #expect(rows.map(\.line) == [2, 3])
    }

    /// A run's first pass reads only the columns it needs: the others are neither decoded (their bad
    /// cells fail nothing) nor present; nested objects are built only when named; record-level
    /// errors are still found.
    @Test func onlyTheNamedPropertiesAreDecoded() throws {
        let text = """
            id,email,name,age,score,vip,updated_at,address.country,address.city,tags,meta
            1,ana@example.com,Ana,old,15.5,maybe,yesterday,ES,A Coruña,[,{
            x,bo@example.com,,,,,,,,,
            3,cy@example.com

            """
        let emailOnly = try readCSV(text, only: ["email"])
        #expect(emailOnly.map(\.error) == [nil, nil, "line 4: the record has 2 fields but the header has 11"])
        #expect(emailOnly[0].profile == ValueObject([("email", .string("ana@example.com"))]))
        #expect(emailOnly[1].profile == ValueObject([("email", .string("bo@example.com"))]))

        let withAddress = try readCSV(text, only: ["email", "address"])
        #expect(
            withAddress[0].profile
                == ValueObject([
                    ("email", .string("ana@example.com")), ("address", .object(ValueObject([("city", .string("A Coruña")), ("country", .string("ES"))]))),
                ]))

        let withID = try readCSV(text, only: ["id", "email"])
        #expect(withID[1].error?.contains("«id»") == true)
        let whole = try readCSV(text)
        #expect(whole[0].error?.contains("«age»") == true && whole[0].error?.contains("«meta»") == true)
    }

    struct QuotingCase: Sendable, CustomTestStringConvertible {
        let cell: String
        let expected: Value
        var testDescription: String { cell }
    }

    @Test(arguments: [
        QuotingCase(cell: "plain", expected: .string("plain")),
        QuotingCase(cell: "\"a,b\"", expected: .string("a,b")),
        QuotingCase(cell: "\"say \"\"hi\"\"\"", expected: .string("say \"hi\"")),
        QuotingCase(cell: "\"\"\"\"", expected: .string("\"")),
        QuotingCase(cell: "\"two\nlines\"", expected: .string("two\nlines")),
        QuotingCase(cell: "\"crlf\r\ninside\"", expected: .string("crlf\r\ninside")),
        QuotingCase(cell: "5'11\"", expected: .string("5'11\"")),
        QuotingCase(cell: " spaced ", expected: .string(" spaced ")),
        QuotingCase(cell: "\"\"", expected: .string("")),
        QuotingCase(cell: "", expected: .null),
        QuotingCase(cell: "Zoë 🙂", expected: .string("Zoë 🙂")),
    ])
    func quoting(_ test: QuotingCase) throws {
        let rows = try readCSV("id,name,email\n7,\(test.cell),x@y.z\n")
        #expect(rows.count == 1)
        #expect(rows.first?.error == nil)
        #expect(rows.first?.profile["name"] == test.expected)
        #expect(rows.first?.profile["email"] == .string("x@y.z"))
    }

    @Test func recordsWithEmbeddedLineBreaksKeepPhysicalLineNumbers() throws {
        let rows = try readCSV("id,email,name\n1,a@b.c,\"first\nsecond\nthird\"\n2,d@e.f,plain\n3,g@h.i,\"x\n\"\n4,bad,\n")
        #expect(rows.map(\.line) == [2, 5, 6, 8])
        #expect(rows.map(\.record) == [1, 2, 3, 4])
        #expect(rows[0].profile["name"] == .string("first\nsecond\nthird"))
        #expect(rows[2].profile["name"] == .string("x\n"))
    }

    @Test func crlfLineEndingsReadLikeLF() throws {
        let lf = "id,email,name,age\n1,a@b.c,\"q\"\"d\",5\n2,d@e.f,,\n3,g@h.i,last,7"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let expected = try readCSV(lf)
        #expect(try readCSV(crlf) == expected)
        #expect(expected.count == 3)
        #expect(expected[1].profile["age"] == .null)
        #expect(expected[2].profile["age"] == .int(7))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("id,email\n1,a@b.c\n".utf8))
        var reader = try CSVReader(url: url, displayPath: "bom.csv", schema: Schemas.customers)
        let rows = readAll(&reader, schema: Schemas.customers).rows
        #expect(rows.map(\.profile) == [ValueObject([("id", .int(1)), ("email", .string("a@b.c"))])])
    }

    @Test func nullEmptyStringAndMissingColumnDiffer() throws {
        let rows = try readCSV("id,email,name\n1,a@b.c,\n2,a@b.c,\"\"\n")
        #expect(rows[0].profile["name"] == .null)
        #expect(rows[1].profile["name"] == .string(""))
        #expect(rows[0].profile["age"] == nil)
        #expect(!rows[0].profile.members.contains { $0.key == "age" })
    }

    @Test func nullForANonNullablePropertyFailsTheProfile() throws {
        let rows = try readCSV("id,email\n1,\n")
        #expect(rows[0].error == "line 2: null is not allowed for «email»")
    }

    @Test func quotedEmptyCellOfANonStringKindIsAnError() throws {
        let rows = try readCSV("id,email,age\n1,a@b.c,\"\"\n")
        #expect(rows[0].error == "line 2: a quoted empty cell (\"\") is not an int(16) value for «age»")
    }

    @Test func nestedColumnsBuildTheObjectInSchemaOrder() throws {
        let rows = try readCSV("id,email,address.country,address.street\n1,a@b.c,FR,\"1, rue X\"\n")
        #expect(rows[0].profile["address"] == .object(ValueObject([("street", .string("1, rue X")), ("country", .string("FR"))])))
    }

    @Test func nestedCellErrorsNameThePath() throws {
        let rows = try readCSV("id,email,address.country\n1,a@b.c,FRA\n")
        #expect(rows[0].error == "line 2: «FRA» exceeds the 2-char limit for «address.country»")
    }

    @Test func aWholeObjectColumnHoldsJSONText() throws {
        let rows = try readCSV("id,email,address\n1,a@b.c,\"{\"\"city\"\":\"\"Paris\"\"}\"\n2,a@b.c,\"{\"\"town\"\":1}\"\n")
        #expect(rows[0].profile["address"] == .object(ValueObject([("city", .string("Paris"))])))
        #expect(rows[1].error?.hasPrefix("line 3: unknown property «town»") == true)
    }

    struct KindCase: Sendable, CustomTestStringConvertible {
        let type: DataType
        let cell: String
        let expected: Value
        var testDescription: String { "\(type.name) \(cell)" }
    }

    @Test(arguments: [
        KindCase(type: .string(StringType()), cell: "hello", expected: .string("hello")),
        KindCase(type: .string(StringType(maxBytes: 3)), cell: "abc", expected: .string("abc")),
        KindCase(type: .boolean, cell: "TRUE", expected: .boolean(true)),
        KindCase(type: .boolean, cell: "no", expected: .boolean(false)),
        KindCase(type: .int(IntType(bitSize: 8)), cell: "-128", expected: .int(-128)),
        KindCase(type: .int(IntType(bitSize: 64, unsigned: true)), cell: "18446744073709551615", expected: .uint(UInt64.max)),
        KindCase(type: .float(FloatType()), cell: "-2.5", expected: .float(-2.5)),
        KindCase(type: .float(FloatType()), cell: "1e3", expected: .float(1000)),
        KindCase(type: .float(FloatType(bitSize: 32)), cell: "0.5", expected: .float(0.5)),
        KindCase(type: .decimal(DecimalType(precision: 10, scale: 2)), cell: "12.5", expected: .decimal(DecimalValue("12.50")!)),
        KindCase(type: .datetime, cell: "2023-01-02T03:04:05+01:00", expected: datetime("2023-01-02T02:04:05Z")),
        KindCase(type: .datetime, cell: "2023-01-02 03:04:05", expected: datetime("2023-01-02T03:04:05Z")),
        KindCase(type: .date, cell: "2024-02-29", expected: .date(DateValue(year: 2024, month: 2, day: 29)!)),
        KindCase(type: .time, cell: "23:59:58.5", expected: .time(TimeValue(parsing: "23:59:58.5")!)),
        KindCase(type: .year, cell: "1999", expected: .year(1999)),
        KindCase(
            type: .uuid, cell: "B4EBDEA1-7401-455E-9DE4-2C8A6FA548C7",
            expected: .uuid(UUID(uuidString: "b4ebdea1-7401-455e-9de4-2c8a6fa548c7")!)),
        KindCase(type: .json, cell: "\"{\"\"a\"\":[1,null]}\"", expected: .json(["a": [1, nil]])),
        KindCase(type: .json, cell: "null", expected: .json(.null)),
        KindCase(type: .ip, cell: "192.168.0.1", expected: .ip("192.168.0.1")),
        KindCase(type: .ip, cell: "2001:DB8::1", expected: .ip("2001:db8::1")),
        KindCase(
            type: .array(ArrayType(elementType: .int(IntType()))), cell: "\"[1,2]\"", expected: .array([.int(1), .int(2)])),
        KindCase(
            type: .object(ObjectType(properties: [Property(name: "a", type: .int(IntType()))])), cell: "\"{\"\"a\"\":3}\"",
            expected: .object(ValueObject([("a", .int(3))]))),
        KindCase(type: .map(.boolean), cell: "\"{\"\"k\"\":true}\"", expected: .map(ValueObject([("k", .boolean(true))]))),
    ])
    func everyKindDecodesFromACell(_ test: KindCase) throws {
        let rows = try readCSV("v\n\(test.cell)\n", schema: Schemas.single(test.type))
        #expect(rows.count == 1)
        #expect(rows.first?.error == nil)
        #expect(rows.first?.profile["v"] == test.expected)
    }

    struct BadValueCase: Sendable, CustomTestStringConvertible {
        let type: DataType
        let cell: String
        let message: String
        var testDescription: String { "\(type.name) \(cell)" }
    }

    @Test(arguments: [
        BadValueCase(type: .int(IntType(bitSize: 16)), cell: "abc", message: "line 2: «abc» is not an int(16) value for «v»"),
        BadValueCase(type: .int(IntType(bitSize: 8)), cell: "300", message: "line 2: «300» is out of range for int(8) (-128 to 127) for «v»"),
        BadValueCase(type: .float(FloatType()), cell: "1,5", message: "line 2: the record has 2 fields but the header has 1"),
        BadValueCase(type: .float(FloatType()), cell: "x1", message: "line 2: «x1» is not a float(64) value for «v»"),
        BadValueCase(type: .boolean, cell: "maybe", message: "line 2: «maybe» is not a boolean value for «v»"),
        BadValueCase(
            type: .datetime, cell: "yesterday",
            message: "line 2: «yesterday» is not a valid datetime (expected ISO 8601, such as 2023-01-02T03:04:05Z) for «v»"),
        BadValueCase(type: .year, cell: "0", message: "line 2: «0» is not a valid year (expected 1 to 9999) for «v»"),
        BadValueCase(type: .string(StringType(values: ["a"])), cell: "b", message: "line 2: «b» is not one of the allowed values (\"a\") for «v»"),
    ])
    func badValuesNameTheLineAndProperty(_ test: BadValueCase) throws {
        let rows = try readCSV("v\n\(test.cell)\n", schema: Schemas.single(test.type))
        #expect(rows.first?.error == test.message)
    }

    @Test func everyBadCellOfARecordIsReported() throws {
        let rows = try readCSV("id,email,age,vip\n1,a@b.c,abc,maybe\n")
        #expect(rows[0].error == "line 2: «abc» is not an int(16) value for «age»; «maybe» is not a boolean value for «vip»")
    }

    @Test func fieldCountMismatchFailsOnlyThatRecord() throws {
        let rows = try readCSV("id,email,name\n1,a@b.c\n2,d@e.f,x,extra\n3,g@h.i,ok\n")
        #expect(rows.map(\.error) == ["line 2: the record has 2 fields but the header has 3", "line 3: the record has 4 fields but the header has 3", nil])
        #expect(rows[2].profile["name"] == .string("ok"))
        #expect(rows.map(\.record) == [1, 2, 3])
    }

    @Test func invalidUTF8FailsTheProfile() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write("bad.csv", bytes: Array("id,email,name\n1,a@b.c,".utf8) + [0xC3, 0x28] + Array("\n2,d@e.f,ok\n".utf8))
        var reader = try CSVReader(url: url, displayPath: "bad.csv", schema: Schemas.customers)
        let rows = readAll(&reader, schema: Schemas.customers).rows
        #expect(rows.map(\.error) == ["line 2: invalid UTF-8 text for «name»", nil])
    }

    @Test func textAfterAClosingQuoteFailsTheProfile() throws {
        let rows = try readCSV("id,email,name\n1,a@b.c,\"ab\"c\n2,d@e.f,ok\n")
        #expect(rows[0].error == "line 2: unexpected text after the closing quote of the field for «name» (inside a quoted field, write a quote as \"\")")
        #expect(rows[1].error == nil)
    }

    @Test func unterminatedQuoteFailsTheLastRecord() throws {
        let rows = try readCSV("id,email,name\n1,a@b.c,ok\n2,d@e.f,\"never\nclosed,3,x\n")
        #expect(rows.count == 2)
        #expect(rows[0].error == nil)
        #expect(rows[1].error == "line 3: the quoted field for «name» is never closed: the file ends before its closing quote")
    }

    @Test func blankLinesAreSkipped() throws {
        let rows = try readCSV("\nid,email\n\n1,a@b.c\n\r\n\n2,d@e.f\n\n")
        #expect(rows.map(\.record) == [1, 2])
        #expect(rows.map(\.line) == [4, 7])
    }

    @Test func headerOnlyFileHasNoProfiles() throws {
        #expect(try readCSV("id,email").isEmpty)
    }

    @Test func batchesHoldAtMostBatchSizeProfiles() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write("p.csv", "id,email\n" + (1 ... 7).map { "\($0),a@b.c\n" }.joined())
        var reader = try CSVReader(url: url, displayPath: "p.csv", schema: Schemas.customers, batchSize: 3)
        var batch = ProfileBatch(schema: Schemas.customers)
        var sizes: [Int] = []
        var records: [Int] = []
        while try reader.next(into: &batch) {
            sizes.append(batch.count)
            records += batch.records
        }
        #expect(sizes == [3, 3, 1])
        #expect(records == Array(1 ... 7))
    }

    static let straddling: String = {
        var text = "id,email,name,age,address.city,tags\r\n"
        for i in 1 ... 40 {
            text += "\(i),user\(i)@example.com,\"Zoë \"\"\(i)\"\"\nsecond line\",\(i % 3 == 0 ? "" : String(i)),Łódź,\"[\"\"t\(i)\"\"]\"\r\n"
        }
        return text + "41,last@example.com,\"unterminated"
    }()

    @Test(arguments: [1, 2, 3, 5, 7, 13, 64, 1000])
    func recordsStraddlingChunksReadTheSame(chunkSize: Int) throws {
        let expected = try readCSV(Self.straddling)
        #expect(expected.count == 41)
        #expect(expected[0].profile["name"] == .string("Zoë \"1\"\nsecond line"))
        #expect(expected[40].error != nil)
        #expect(try readCSV(Self.straddling, chunkSize: chunkSize, batchSize: 4) == expected)
    }

    struct HeaderCase: Sendable, CustomTestStringConvertible {
        let header: String
        let message: String
        var testDescription: String { header }
    }

    @Test(arguments: [
        HeaderCase(
            header: "id,emial", message: "profiles.csv: line 1: invalid header: column «emial» names no property of the schema; did you mean \"email\"?"),
        HeaderCase(
            header: "id,address.ctiy",
            message: "profiles.csv: line 1: invalid header: column «address.ctiy» names no property of the schema; did you mean \"address.city\"?"),
        HeaderCase(header: "id,age.years", message: "profiles.csv: line 1: invalid header: column «age.years» names no property of the schema: «age» is int(16), which has no nested properties"),
        HeaderCase(
            header: "id,tags.first",
            message: "profiles.csv: line 1: invalid header: column «tags.first» names no property of the schema: «tags» is array(string), which has no nested properties"),
        HeaderCase(header: "id,zzzzzzzz", message: "profiles.csv: line 1: invalid header: column «zzzzzzzz» names no property of the schema"),
        HeaderCase(header: "id,email,id", message: "profiles.csv: line 1: invalid header: column «id» appears twice (columns 1 and 3)"),
        HeaderCase(header: "id,,email", message: "profiles.csv: line 1: invalid header: column 2 of the header, «», is not a property path"),
        HeaderCase(
            header: "id,address,address.city",
            message: "profiles.csv: line 1: invalid header: columns «address» and «address.city» both set «address»"),
        HeaderCase(
            header: "ID,emial",
            message:
                "profiles.csv: line 1: invalid header: column «ID» names no property of the schema; did you mean \"id\"?; column «emial» names no property of the schema; did you mean \"email\"?"
        ),
    ])
    func badHeadersAreOneFatalError(_ test: HeaderCase) throws {
        let error = try csvOpenError(test.header + "\n1,a@b.c\n")
        #expect(error?.description == test.message)
    }

    @Test func emptyFileIsFatal() throws {
        #expect(try csvOpenError("")?.description == "profiles.csv: the file is empty; a CSV source starts with a header row of property paths")
        #expect(try csvOpenError("\n\n")?.message == "the file is empty; a CSV source starts with a header row of property paths")
    }

    @Test func missingFileIsFatal() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: SourceError(file: "nope.csv", message: "cannot open the file: No such file or directory")) {
            _ = try CSVReader(url: directory.url.appendingPathComponent("nope.csv"), displayPath: "nope.csv", schema: Schemas.customers)
        }
    }

    @Test func directoryIsFatal() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: SourceError(file: "dir", message: "cannot read the file: it is a directory")) {
            _ = try CSVReader(url: directory.url, displayPath: "dir", schema: Schemas.customers)
        }
    }

    @Test func unreadableFileIsFatal() throws {
        // Root reads any file regardless of its mode, so this check only means something for other users.
        guard getuid() != 0 else { return }
        let directory = try TemporaryDirectory()
        let url = try directory.write("secret.csv", "id\n1\n")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path)
        #expect(throws: SourceError(file: "secret.csv", message: "cannot open the file: Permission denied")) {
            _ = try CSVReader(url: url, displayPath: "secret.csv", schema: Schemas.customers)
        }
    }
}
