import Foundation
import GRDB

/// What the application last confirmed for one matching value of a pipeline: the ids of its users
/// and the hash of the payload sent, so that an identical payload is `unchanged` and not sent again.
public struct ExportStateEntry: Hashable, Sendable {
    public var matchingValue: String
    public var userIds: [String]
    public var payloadHash: String
    public var confirmedAt: Date

    public init(matchingValue: String, userIds: [String], payloadHash: String, confirmedAt: Date) {
        self.matchingValue = matchingValue
        self.userIds = userIds
        self.payloadHash = payloadHash
        self.confirmedAt = confirmedAt
    }
}

/// The database row of an ``ExportStateEntry``; user ids are stored as a JSON array.
struct ExportStateRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "exportState"

    var pipeline: Int64
    var matchingValue: String
    var userIds: String
    var payloadHash: String
    var confirmedAt: Date

    init(pipeline: Int64, entry: ExportStateEntry) {
        self.pipeline = pipeline
        matchingValue = entry.matchingValue
        let data = (try? JSONEncoder().encode(entry.userIds)) ?? Data("[]".utf8)
        userIds = String(decoding: data, as: UTF8.self)
        payloadHash = entry.payloadHash
        confirmedAt = entry.confirmedAt
    }

    var entry: ExportStateEntry {
        let ids = (try? JSONDecoder().decode([String].self, from: Data(userIds.utf8))) ?? []
        return ExportStateEntry(matchingValue: matchingValue, userIds: ids, payloadHash: payloadHash, confirmedAt: confirmedAt)
    }
}
