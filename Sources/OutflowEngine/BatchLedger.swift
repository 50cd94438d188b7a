import Foundation
import OutflowCore
import OutflowStore

/// The outcomes of one work batch as the application answers, ready to commit in one transaction.
struct BatchLedger: Sendable {
    let run: Int64
    let now: Date
    var counts: RunCounts
    var errors: [ProfileError]
    var exported: [ExportStateEntry] = []
    /// Profiles that reached the lookup or a write.
    var attempted = 0
    /// Of those, profiles that failed because a request failed (not because of the rules).
    var requestFailures = 0
    var lastRequestError: String?
    /// Set when the application refused a write for a reason every later request meets too.
    var systemic: String?

    init(run: Int64, settled work: WorkBatch, now: Date = Date()) {
        self.run = run
        self.now = now
        counts = work.settled
        errors = work.errors
    }

    /// True when every profile sent or looked up failed with its request: a whole-batch failure.
    var failedWhole: Bool { attempted > 0 && requestFailures == attempted }

    mutating func fail(_ item: PendingProfile, _ stage: FailureStage, _ message: String, request: Bool = false) {
        counts.read += 1
        counts.failed += 1
        errors.append(ProfileError(run: run, profile: item.profile, stage: stage.rawValue, message: message))
        if request {
            requestFailures += 1
            lastRequestError = message
        }
    }

    mutating func skip(_ item: PendingProfile) {
        counts.read += 1
        counts.skipped += 1
    }

    /// A confirmed write; `record` is false for a dry run, which keeps no export state.
    mutating func confirm(_ item: PendingProfile, created: Bool, ids: [String], record: Bool) {
        counts.read += 1
        if created { counts.created += 1 } else { counts.updated += 1 }
        if record {
            exported.append(ExportStateEntry(matchingValue: item.matching.key, userIds: ids, payloadHash: item.payloadHash, confirmedAt: now))
        }
    }
}
