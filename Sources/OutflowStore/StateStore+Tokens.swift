import Foundation
import GRDB

extension StateStore {
    /// Stores a token's hash (the token itself is never stored).
    public func insertToken(_ token: APIToken) throws(StoreError) {
        try write("store a token") { db in try token.insert(db) }
    }

    /// The token whose SHA-256 (hex) is `hash`.
    public func token(hash: String) throws(StoreError) -> APIToken? {
        try read("read a token") { db in try APIToken.fetchOne(db, key: hash) }
    }
}
