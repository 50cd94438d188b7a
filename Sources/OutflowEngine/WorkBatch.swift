import OutflowCore
import OutflowStore

/// One selected profile that passed the diff and must be looked up and sent.
struct PendingProfile: Sendable {
    /// The profile's key in section 5's JSON text (its record number when it has none).
    var profile: String
    var matching: MatchingRule.Matched
    /// The transformation's output, without `matching.out` (the engine adds it on create).
    var user: ValueObject
    var payloadHash: String
    /// What the export state held for this matching value before the run.
    var known: ExportStateEntry?
}

/// Profiles whose outcomes are committed together in one transaction of the state store.
///
/// It carries the profiles still to be looked up and sent, and the outcomes decided while reading
/// (filteredOut, unchanged, failed before the lookup) of the profiles read since the previous
/// batch, so that every profile read is counted in exactly one commit.
struct WorkBatch: Sendable {
    var pending: [PendingProfile] = []
    var settled = RunCounts()
    var errors: [ProfileError] = []

    var isEmpty: Bool { pending.isEmpty && settled.read == 0 }
}
