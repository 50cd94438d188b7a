import Foundation
import OutflowCore
@testable import OutflowSources

/// A directory of files for one test, removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }
}

/// One profile as a reader delivered it.
struct ReadRow: Equatable, CustomStringConvertible {
    var record: Int
    var line: Int
    var error: String?
    var profile: ValueObject

    var description: String {
        "#\(record) line \(line): " + (error ?? profile.members.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
    }
}

/// Every profile of `reader`, batch after batch; an error thrown mid-way is returned with the rows before it.
func readAll(_ reader: inout some ProfileReader, schema: ObjectType) -> (rows: [ReadRow], error: SourceError?) {
    var batch = ProfileBatch(schema: schema)
    var rows: [ReadRow] = []
    do {
        while try reader.next(into: &batch) {
            for row in 0 ..< batch.count {
                rows.append(
                    ReadRow(
                        record: batch.records[row], line: batch.lines[row], error: batch.errors[row],
                        profile: batch.errors[row] == nil ? batch.profile(row) : ValueObject()))
            }
        }
    } catch {
        return (rows, error)
    }
    return (rows, nil)
}

func readCSV(
    _ text: String, schema: ObjectType = Schemas.customers, chunkSize: Int = 1 << 20, batchSize: Int = 1024, only: Set<String>? = nil
) throws -> [ReadRow] {
    let directory = try TemporaryDirectory()
    let url = try directory.write("profiles.csv", text)
    var reader = try CSVReader(url: url, displayPath: "profiles.csv", schema: schema, batchSize: batchSize, chunkSize: chunkSize, only: only)
    let result = readAll(&reader, schema: schema)
    if let error = result.error { throw error }
    return result.rows
}

/// The error opening a CSV file with `text` throws, or nil.
func csvOpenError(_ text: String, schema: ObjectType = Schemas.customers) throws -> SourceError? {
    let directory = try TemporaryDirectory()
    let url = try directory.write("profiles.csv", text)
    do {
        _ = try CSVReader(url: url, displayPath: "profiles.csv", schema: schema)
        return nil
    } catch {
        return error
    }
}

enum Schemas {
    static let address = ObjectType(properties: [
        Property(name: "street", type: .string(StringType()), nullable: true),
        Property(name: "city", type: .string(StringType()), nullable: true),
        Property(name: "country", type: .string(StringType(maxLength: 2)), nullable: true),
    ])

    static let customers = ObjectType(properties: [
        Property(name: "id", type: .int(IntType(bitSize: 64))),
        Property(name: "email", type: .string(StringType())),
        Property(name: "name", type: .string(StringType()), nullable: true),
        Property(name: "age", type: .int(IntType(bitSize: 16, minimum: 0, maximum: 150)), nullable: true),
        Property(name: "score", type: .float(FloatType()), nullable: true),
        Property(name: "vip", type: .boolean, nullable: true),
        Property(name: "updated_at", type: .datetime, nullable: true),
        Property(name: "address", type: .object(address), nullable: true),
        Property(name: "tags", type: .array(ArrayType(elementType: .string(StringType()))), nullable: true),
        Property(name: "meta", type: .json, nullable: true),
    ])

    /// A schema of one nullable property `v` of `type`.
    static func single(_ type: DataType, nullable: Bool = true) -> ObjectType {
        ObjectType(properties: [Property(name: "v", type: type, nullable: nullable)])
    }
}

func datetime(_ text: String) -> Value {
    .datetime(DateTimeValue(parsing: text)!)
}
