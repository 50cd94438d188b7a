import Foundation
import OutflowCore

/// Reads profiles from a CSV file whose header row names property paths (DESIGN section 4).
///
/// The file streams in chunks; each cell decodes by the kind of its property straight from the read
/// buffer. Cells follow the PostgreSQL `COPY ... CSV` convention:
/// - an unquoted empty cell is null (an input error when the property is not nullable);
/// - a quoted empty cell (`""`) is the empty string; for any kind other than string it is an input
///   error, because it is neither a value of that kind nor the null an unquoted empty cell means;
/// - a property without a column is absent.
///
/// Cells are not trimmed. Empty lines are skipped and do not count as records. A record whose field
/// count differs from the header's, a cell that does not fit its type, invalid UTF-8 or a quoted field
/// left open at the end of the file fails that profile only (stage `input`), with the line where the
/// record starts; reading goes on. An unreadable or empty file, or a header that names no schema
/// property, throws.
///
/// ```swift
/// var reader = try CSVReader(url: url, displayPath: "customers.csv", schema: schema)
/// var batch = ProfileBatch(schema: schema)
/// while try reader.next(into: &batch) { ... }
/// ```
public struct CSVReader: ProfileReader {
    public static let defaultChunkSize = 1 << 20

    private var stream: CSVRecordStream
    private let layout: CSVLayout
    private let batchSize: Int
    private var record = 0
    /// Values of the nested columns of the current row, before they are assembled into objects.
    private var leaves: [Value?]
    private var problems: [String] = []
    /// Per column: whether its cells are decoded (nil: all are). See `only` of ``init(url:displayPath:schema:batchSize:chunkSize:only:)``.
    private let decodes: [Bool]?
    /// Per top-level slot: whether a nested object assembled from columns is built (nil: all are).
    private let decodesGroup: [Bool]?

    /// Opens the file and reads its header; `chunkSize` is the size of each read.
    ///
    /// `only` names the top-level properties to decode; the cells of other columns are skipped and
    /// their properties stay absent, so a value error in them does not fail the row. A run's first
    /// pass (the duplicate check) reads only the filter's and the matching property's columns this
    /// way. Record-level errors (field count, quoting, UTF-8 of the header) are found either way.
    public init(
        url: URL, displayPath: String, schema: ObjectType, batchSize: Int = 1024, chunkSize: Int = defaultChunkSize, only: Set<String>? = nil
    ) throws(SourceError) {
        let input = try FileInput(url: url, displayPath: displayPath, chunkSize: chunkSize)
        try input.skipByteOrderMark()
        var stream = CSVRecordStream(input: input)
        guard try stream.advance() else {
            throw SourceError(file: displayPath, message: "the file is empty; a CSV source starts with a header row of property paths")
        }
        if stream.scanner.problem != nil {
            throw SourceError(
                file: displayPath, line: stream.line, message: "the header has a quoted column name without its closing quote, or text after it")
        }
        var header: [String] = []
        for index in 0 ..< stream.fieldCount {
            guard let name = UTF8Text.string(stream.cell(index)) else {
                throw SourceError(file: displayPath, line: stream.line, message: "the header is not valid UTF-8")
            }
            header.append(name)
        }
        let layout = try CSVLayout(header: header, schema: schema, file: displayPath, line: stream.line)
        self.layout = layout
        decodes = only.map { names in
            layout.columns.map { column in names.contains(String(column.path.prefix { $0 != "." })) }
        }
        decodesGroup = only.map { names in schema.properties.map { names.contains($0.name) } }
        leaves = Array(repeating: nil, count: layout.leafCount)
        self.stream = stream
        self.batchSize = max(1, batchSize)
    }

    public mutating func next(into batch: inout ProfileBatch) throws(SourceError) -> Bool {
        batch.removeAll()
        while batch.count < batchSize, try stream.advance() {
            record += 1
            let row = batch.appendRow(record: record, line: stream.line)
            decode(row, into: &batch)
        }
        return !batch.isEmpty
    }

    private mutating func decode(_ row: Int, into batch: inout ProfileBatch) {
        let columns = layout.columns
        let line = stream.line
        let fieldCount = stream.fieldCount
        if let problem = stream.scanner.problem {
            let index: Int
            switch problem {
            case .unterminatedQuote: index = fieldCount - 1
            case .textAfterQuote(let field): index = field
            }
            let path = index < columns.count ? " for «\(columns[index].path)»" : ""
            switch problem {
            case .unterminatedQuote:
                batch.fail(row, "line \(line): the quoted field\(path) is never closed: the file ends before its closing quote")
            case .textAfterQuote:
                batch.fail(
                    row, "line \(line): unexpected text after the closing quote of the field\(path) (inside a quoted field, write a quote as \"\")")
            }
            return
        }
        guard fieldCount == columns.count else {
            // Best effort: the cells that decode still name the profile (its key) in the error.
            for index in 0 ..< min(fieldCount, columns.count) where layout.plans[index].slot >= 0 {
                if let value = try? decodeValue(index, layout.plans[index]) { batch[row, layout.plans[index].slot] = value }
            }
            batch.fail(row, "line \(line): the record has \(fieldCount) field\(fieldCount == 1 ? "" : "s") but the header has \(columns.count)")
            return
        }
        problems.removeAll(keepingCapacity: true)
        let plans = layout.plans
        // The record's bytes and field bounds, read once per record rather than once per cell.
        let bytes = stream.input.bytes
        let fields = stream.scanner.fields
        for index in 0 ..< fieldCount {
            if let decodes, !decodes[index] { continue }
            let plan = plans[index]
            let field = fields[index]
            do throws(ValueError) {
                if plan.slot >= 0, field.start != field.end || field.quoted {
                    // The direct path: the cell's bytes straight into the slot.
                    let cell = field.escaped ? stream.cell(index) : UnsafeBufferPointer(rebasing: bytes[field.start ..< field.end])
                    switch plan.decoder.decode(cell) {
                    case .slot(let slot):
                        batch.setSlot(row, plan.slot, slot)
                        continue
                    case .text:
                        batch.setText(row, plan.slot, cell)
                        continue
                    case .general:
                        break
                    }
                }
                let value = try decodeValue(index, plan)
                if plan.slot >= 0 { batch[row, plan.slot] = value } else { leaves[plan.leaf] = value }
            } catch {
                problems.append("\(error.message) for «\(columns[index].path)»")
            }
        }
        guard problems.isEmpty else {
            batch.fail(row, "line \(line): " + problems.joined(separator: "; "))
            return
        }
        for group in layout.groups {
            if let decodesGroup, !decodesGroup[group.slot] { continue }
            batch[row, group.slot] = .object(CSVLayout.assemble(group.members, leaves))
        }
    }

    /// The general path: a cell's value through ``TextDecoding``, with the null and empty-cell rules.
    private mutating func decodeValue(_ index: Int, _ plan: CSVLayout.Plan) throws(ValueError) -> Value {
        let shape = stream.shape(index)
        if shape.empty {
            if !shape.quoted {
                guard plan.nullable else { throw ValueError("null is not allowed") }
                return .null
            }
            if !plan.isString {
                let name = layout.columns[index].type.name
                let article = name.first.map { "aeio".contains($0) } == true ? "an" : "a"
                throw ValueError("a quoted empty cell (\"\") is not \(article) \(name) value")
            }
        }
        return try TextDecoding.decode(stream.cell(index), as: layout.columns[index].type)
    }
}
