import OutflowCore
import OutflowStore

/// The synchronous front of a run for one batch read from the source: filter and time window,
/// transformation, matching value, duplicate check over the selection, and the diff against the
/// export state (DESIGN section 9's order). What it decides is settled in the open ``WorkBatch``;
/// the rest becomes ``PendingProfile``s, cut into work batches of `chunkSize` for the lookup.
///
/// ```swift
/// var preparer = BatchPreparer(...)
/// while try reader.next(into: &batch) {
///     try preparer.prepare(batch)
///     for work in preparer.takeReady() { send(work) }
/// }
/// if let last = preparer.finish() { send(last) }
/// ```
struct BatchPreparer {
    let run: Int64
    let pipeline: Int64
    let selector: ProfileSelector
    let transformer: ProfileTransformer
    let matching: MatchingRule
    let selection: SelectionIndex
    let store: StateStore
    /// `--full`: ignore the export state, so nothing is `unchanged`.
    let full: Bool
    let chunkSize: Int
    /// The pipeline had no export state when the run started. A run meets each matching value once
    /// (values several profiles share fail before the diff), so what the run itself commits is
    /// never asked for again: with nothing from earlier runs, no batch needs to read the state.
    let noEarlierState: Bool

    private var open = WorkBatch()
    private var ready: [WorkBatch] = []

    init(
        run: Int64, pipeline: Int64, selector: ProfileSelector, transformer: ProfileTransformer, matching: MatchingRule,
        selection: SelectionIndex, store: StateStore, full: Bool, chunkSize: Int, noEarlierState: Bool = false
    ) {
        self.run = run
        self.pipeline = pipeline
        self.selector = selector
        self.transformer = transformer
        self.matching = matching
        self.selection = selection
        self.store = store
        self.full = full
        self.chunkSize = max(1, chunkSize)
        self.noEarlierState = noEarlierState
    }

    /// Decides what it can for every row of `batch` and queues the rest.
    mutating func prepare(_ batch: ProfileBatch) throws(StoreError) {
        var selected: [Int] = []
        selected.reserveCapacity(batch.count)
        for row in 0..<batch.count {
            if let message = batch.errors[row] {
                fail(selector.key(batch, row), .input, message)
            } else if selector.selects(batch, row: row) {
                selected.append(row)
            } else {
                open.settled.read += 1
                open.settled.filteredOut += 1
            }
        }
        guard !selected.isEmpty else { return }
        var candidates: [PendingProfile] = []
        candidates.reserveCapacity(selected.count)
        for (row, transformed) in zip(selected, transformer.transform(batch, rows: selected)) {
            let key = selector.key(batch, row)
            let user: ValueObject
            switch transformed {
            case .success(let value): user = value
            case .failure(let error):
                fail(key, .transform, error.message)
                continue
            }
            let matched: MatchingRule.Matched
            switch matching.read(batch, row: row) {
            case .success(let value): matched = value
            case .failure(let failure):
                fail(key, failure.stage, failure.message)
                continue
            }
            if selection.isShared(matched.key) {
                fail(key, .match, ExportPlanner.selectionDuplicatesMessage(matching.outName))
                continue
            }
            let payload = JSONByteWriter.bytes(Value.object(user).json)
            candidates.append(PendingProfile(profile: key, matching: matched, user: user, payloadHash: StableHash.hex(of: payload), known: nil))
        }
        guard !candidates.isEmpty else { return }
        let states = noEarlierState ? [:] : try store.exportState(pipeline: pipeline, matchingValues: candidates.map(\.matching.key))
        for var candidate in candidates {
            candidate.known = states[candidate.matching.key]
            if !full, let known = candidate.known, known.payloadHash == candidate.payloadHash {
                open.settled.read += 1
                open.settled.unchanged += 1
                continue
            }
            open.pending.append(candidate)
            if open.pending.count >= chunkSize {
                ready.append(open)
                open = WorkBatch()
            }
        }
    }

    /// The work batches that are full, oldest first.
    mutating func takeReady() -> [WorkBatch] {
        defer { ready.removeAll() }
        return ready
    }

    /// The last, partial work batch, if anything is left in it.
    mutating func finish() -> WorkBatch? {
        defer { open = WorkBatch() }
        return open.isEmpty ? nil : open
    }

    private mutating func fail(_ profile: String, _ stage: FailureStage, _ message: String) {
        open.settled.read += 1
        open.settled.failed += 1
        open.errors.append(ProfileError(run: run, profile: profile, stage: stage.rawValue, message: message))
    }
}
