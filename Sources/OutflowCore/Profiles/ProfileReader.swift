/// A streaming reader of profiles from one warehouse file (or, later, a table).
///
/// `next(into:)` empties the batch, fills it with up to its capacity of records, and returns false
/// at the end. Per-record problems go into the batch; only an unreadable source throws.
public protocol ProfileReader {
    mutating func next(into batch: inout ProfileBatch) throws(SourceError) -> Bool
}

/// A source that cannot be read at all: a missing file, a header that contradicts the schema.
public struct SourceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line, when the problem sits on one.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file): line \(line): \(message)" }
        return "\(file): \(message)"
    }
}
