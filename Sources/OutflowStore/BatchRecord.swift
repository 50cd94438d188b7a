/// What one answered work batch did: its outcome counts, its errors and the export state the
/// application confirmed. The engine hands several to `StateStore.commitBatches` at once, because a
/// transaction's fixed cost (begin, the run's counters, the WAL commit) was a tenth of a sync's CPU
/// when each 100-profile batch paid it alone.
public struct BatchRecord: Sendable {
    public var counts: RunCounts
    public var errors: [ProfileError]
    public var exported: [ExportStateEntry]

    public init(counts: RunCounts, errors: [ProfileError], exported: [ExportStateEntry]) {
        self.counts = counts
        self.errors = errors
        self.exported = exported
    }
}

extension RunCounts {
    /// Adds `other`'s counts to these.
    public mutating func add(_ other: RunCounts) {
        read += other.read
        filteredOut += other.filteredOut
        created += other.created
        updated += other.updated
        unchanged += other.unchanged
        skipped += other.skipped
        failed += other.failed
    }
}
