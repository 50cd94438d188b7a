/// Which matching values more than one selected profile shares (DESIGN section 9), found before
/// anything is sent, in at most about 16 bytes per selected profile.
///
/// A first pass over the selection counts a 64-bit hash of each matching key. Hashes seen more
/// than once are only suspects: a second pass (``confirm(_:)``, needed only when there are
/// suspects) counts the exact keys behind them, so a hash collision never fails a profile.
///
/// ```swift
/// var index = SelectionIndex()
/// for key in selectedKeys { index.count(key) }
/// if index.needsConfirmation { for key in selectedKeys { index.confirm(key) } }
/// index.isShared("a@b.c")   // true when two selected profiles hold it
/// ```
///
/// Beyond the memory bound of DESIGN section 2 the design spills the hashes to a temporary table of
/// the state store; this index stays in memory (16 bytes per selected profile plus the dictionary's
/// slack), which holds a few million profiles comfortably.
struct SelectionIndex: Sendable {
    private var hashes: [UInt64: UInt32] = [:]
    private var exact: [String: UInt32] = [:]
    private var confirmed = false

    /// Counts one selected profile's matching key (first pass).
    mutating func count(_ key: String) {
        hashes[StableHash.of(key), default: 0] += 1
    }

    /// True when some hash was seen twice, so the exact keys must be counted.
    var needsConfirmation: Bool {
        hashes.values.contains { $0 > 1 }
    }

    /// Counts the exact key when its hash is a suspect (second pass).
    mutating func confirm(_ key: String) {
        confirmed = true
        guard let seen = hashes[StableHash.of(key)], seen > 1 else { return }
        exact[key, default: 0] += 1
    }

    /// True when more than one selected profile holds `key`.
    func isShared(_ key: String) -> Bool {
        guard let seen = hashes[StableHash.of(key)], seen > 1 else { return false }
        // Without a second pass a shared hash can only mean a shared key when nothing collided;
        // the engine always confirms when there are suspects, so this is the exact answer.
        return confirmed ? (exact[key] ?? 0) > 1 : true
    }

    /// Number of selected profiles counted.
    var selected: Int {
        hashes.values.reduce(0) { $0 + Int($1) }
    }
}
