import OutflowStore
import Synchronization

/// The records of work batches the application has answered, waiting for their commit.
///
/// A delivery task adds its batch's record the moment the answer is read, so the run's loop can
/// commit it on its next look (between two reads of the source, or when a batch finishes), whatever
/// it is doing; the loop takes the waiting records in groups, one transaction per group.
///
/// ```swift
/// let answered = AnsweredBatches()
/// answered.add(outcome.record)                                   // in the delivery task
/// let records = answered.take(ifAtLeast: 8)                      // in the run's loop
/// if !records.isEmpty { try store.commitBatches(run: run, pipeline: id, records) }
/// ```
final class AnsweredBatches: Sendable {
    private let waiting = Mutex<[BatchRecord]>([])

    func add(_ record: BatchRecord) {
        waiting.withLock { $0.append(record) }
    }

    /// Every waiting record when there are at least `count` (and at least one), else none.
    func take(ifAtLeast count: Int) -> [BatchRecord] {
        waiting.withLock { waiting in
            guard !waiting.isEmpty, waiting.count >= count else { return [] }
            defer { waiting.removeAll(keepingCapacity: true) }
            return waiting
        }
    }
}
