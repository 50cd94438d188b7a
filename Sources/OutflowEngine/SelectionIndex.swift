/// Which matching values more than one selected profile shares (DESIGN section 9), found before
/// anything is sent, in 8 bytes per selected profile (DESIGN section 2 allows 16).
///
/// The first pass appends a 64-bit hash of each selected profile's matching key to one flat
/// array; ``finishCounting()`` sorts it in place, keeps only the hashes seen more than once
/// (the suspects) and frees the array. A flat array rather than a dictionary of counts, because a
/// hashed table of 12-byte entries at its load factor costs 20 to 30 bytes per profile and grows
/// by copying, which is what the memory bound is there to prevent. Suspects are only suspects: a
/// second pass (``confirm(_:)``, needed only when there are any) counts the exact keys behind
/// them, so a hash collision never fails a profile.
///
/// ```swift
/// var index = SelectionIndex()
/// for key in selectedKeys { index.count(key) }
/// index.finishCounting()
/// if index.needsConfirmation { for key in selectedKeys { index.confirm(key) } }
/// index.isShared("a@b.c")   // true when two selected profiles hold it
/// ```
struct SelectionIndex: Sendable {
    private var hashes: [UInt64] = []
    private var suspects: Set<UInt64> = []
    private var exact: [String: UInt32] = [:]
    private var confirmed = false
    /// Number of selected profiles counted.
    private(set) var selected = 0

    /// Counts one selected profile's matching key (first pass).
    mutating func count(_ key: String) {
        hashes.append(StableHash.of(key))
    }

    /// Ends the first pass: finds the hashes seen more than once and frees the rest.
    mutating func finishCounting() {
        hashes.sort()
        selected += hashes.count
        var start = 0
        while start < hashes.count {
            var end = start + 1
            while end < hashes.count && hashes[end] == hashes[start] { end += 1 }
            if end - start > 1 { suspects.insert(hashes[start]) }
            start = end
        }
        hashes = []
    }

    /// True when some hash was seen twice, so the exact keys must be counted.
    var needsConfirmation: Bool {
        !suspects.isEmpty
    }

    /// Counts the exact key when its hash is a suspect (second pass).
    mutating func confirm(_ key: String) {
        confirmed = true
        guard suspects.contains(StableHash.of(key)) else { return }
        exact[key, default: 0] += 1
    }

    /// True when more than one selected profile holds `key`.
    func isShared(_ key: String) -> Bool {
        guard suspects.contains(StableHash.of(key)) else { return false }
        // Without a second pass a shared hash can only mean a shared key when nothing collided;
        // the engine always confirms when there are suspects, so this is the exact answer.
        return confirmed ? (exact[key] ?? 0) > 1 : true
    }
}
