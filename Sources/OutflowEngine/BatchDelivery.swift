import Foundation
import OutflowConnectors
import OutflowCore
import OutflowStore

/// The asynchronous back of a run for one work batch: lookup, plan per export mode, send, and the
/// record of the outcomes once the application has answered (DESIGN 9 and 10), which the engine
/// commits.
///
/// Three routes, chosen once per run:
/// - `lookup`: look the matching values up in batches, plan each profile with ``ExportPlanner``,
///   then create and update; a create whose answer was lost is looked up before it is retried.
/// - `upsert`: CreateOrUpdate on a property the application can upsert by: no lookup at all.
/// - `deliverAll`: the connector cannot look users up (a webhook): every changed profile is sent;
///   it counts as `created` when the export state had no entry for its matching value.
///
/// ```swift
/// let outcome = await delivery.deliver(work)
/// try store.commitBatches(run: run, pipeline: pipeline, [outcome.record])
/// if let fatal = outcome.fatal { stopTheRun(fatal) }
/// ```
struct BatchDelivery: Sendable {
    enum Route: Sendable {
        case lookup, upsert, deliverAll
    }

    struct Outcome: Sendable {
        /// What the batch did, for the store; the engine commits it (with others answered about
        /// the same time) before the run ends.
        var record: BatchRecord
        var counts: RunCounts { record.counts }
        /// Profiles looked up or sent: a batch of only unchanged profiles tells nothing about the application.
        var attempted: Int
        var failedWhole: Bool
        var lastRequestError: String?
        /// Why the run must stop now: a systemic application error.
        var fatal: String?
    }

    let client: any ApplicationClient
    let run: Int64
    let pipeline: Int64
    let planner: ExportPlanner
    let required: RequiredProperties
    let matching: MatchingRule
    let route: Route
    let dryRun: Bool
    /// Who writes: the webhook connector derives its deterministic `webhook-id` from it.
    let context: WriteContext

    func deliver(_ work: WorkBatch) async -> Outcome {
        var ledger = BatchLedger(run: run, settled: work)
        var fatal: String?
        if !work.pending.isEmpty {
            switch route {
            case .lookup: fatal = await lookupAndSend(work.pending, &ledger)
            case .upsert: await upsert(work.pending, &ledger)
            case .deliverAll: await deliverAll(work.pending, &ledger)
            }
        }
        // A write refused for good (authentication) stops the run like a refused lookup does.
        fatal = fatal ?? ledger.systemic
        return Outcome(
            record: BatchRecord(counts: ledger.counts, errors: ledger.errors, exported: ledger.exported), attempted: ledger.attempted,
            failedWhole: ledger.failedWhole, lastRequestError: ledger.lastRequestError, fatal: fatal)
    }

    // MARK: Routes

    private func lookupAndSend(_ items: [PendingProfile], _ ledger: inout BatchLedger) async -> String? {
        ledger.attempted += items.count
        let found: [[String]]
        do {
            found = try await lookup(items)
        } catch {
            // A systemic error stops the run; the profiles it met were not processed and stay uncounted.
            if error.isSystemic {
                ledger.attempted -= items.count
                return error.description
            }
            for item in items { ledger.fail(item, .match, "cannot look the user up: \(error)", request: true) }
            return nil
        }
        var creates: [PendingProfile] = []
        var updates: [(item: PendingProfile, ids: [String])] = []
        for (item, ids) in zip(items, found) {
            switch planner.plan(matches: ids) {
            case .skip:
                ledger.skip(item)
            case .fail(let message):
                ledger.fail(item, .match, message)
            case .create:
                if let problem = required.problem(in: creation(item), creating: true, updating: false) {
                    ledger.fail(item, .validate, problem)
                } else {
                    creates.append(item)
                }
            case .update(let ids):
                if let problem = required.problem(in: item.user, creating: false, updating: true) {
                    ledger.fail(item, .validate, problem)
                } else {
                    updates.append((item, ids))
                }
            }
        }
        if dryRun {
            for item in creates { ledger.confirm(item, created: true, ids: [], record: false) }
            for (item, ids) in updates { ledger.confirm(item, created: false, ids: ids, record: false) }
            return nil
        }
        let fatal = await create(creates, &ledger)
        await update(updates, &ledger)
        return fatal
    }

    private func upsert(_ items: [PendingProfile], _ ledger: inout BatchLedger) async {
        var sendable: [PendingProfile] = []
        for item in items {
            // The action is known only from the answer, so both checks apply (DESIGN 9).
            if let problem = required.problem(in: creation(item), creating: true, updating: true) {
                ledger.fail(item, .validate, problem)
            } else {
                sendable.append(item)
            }
        }
        ledger.attempted += sendable.count
        let property = matching.outName
        let results = await write(sendable, batchSize: client.capabilities.upsertBatchSize) { users in
            await client.upsert(property: property, users, context: context)
        }
        for (item, result) in zip(sendable, results) { settle(item, result, &ledger) }
    }

    private func deliverAll(_ items: [PendingProfile], _ ledger: inout BatchLedger) async {
        var sendable: [PendingProfile] = []
        for item in items {
            let creating = item.known == nil
            if let problem = required.problem(in: creation(item), creating: creating, updating: !creating) {
                ledger.fail(item, .validate, problem)
            } else if dryRun {
                ledger.confirm(item, created: creating, ids: [], record: false)
            } else {
                sendable.append(item)
            }
        }
        ledger.attempted += sendable.count
        let capabilities = client.capabilities
        let property = matching.outName
        let results: [WriteResult]
        if capabilities.upsertProperties.contains(property) {
            results = await write(sendable, batchSize: capabilities.upsertBatchSize) { await client.upsert(property: property, $0, context: context) }
        } else {
            results = await write(sendable, batchSize: capabilities.createBatchSize) { await client.create($0, context: context) }
        }
        for (item, result) in zip(sendable, results) {
            switch result {
            case .created(let id), .updated(let id):
                // Without a lookup only the export state knows whether the application had the user.
                ledger.confirm(item, created: item.known == nil, ids: [id], record: true)
            default:
                settle(item, result, &ledger)
            }
        }
    }

    // MARK: Writes

    /// Creates `items`; a create whose answer was lost is resolved by a lookup before one retry.
    private func create(_ items: [PendingProfile], _ ledger: inout BatchLedger) async -> String? {
        guard !items.isEmpty else { return nil }
        let batchSize = client.capabilities.createBatchSize
        let first = await send(items, batchSize: batchSize) { await client.create($0, context: context) }
        var unknown: [(item: PendingProfile, reason: String)] = []
        for (item, result) in zip(items, first) {
            if case .outcomeUnknown(let reason) = result {
                unknown.append((item, reason))
            } else {
                settle(item, result, &ledger)
            }
        }
        guard !unknown.isEmpty else { return nil }
        let found: [[String]]
        do {
            found = try await lookup(unknown.map(\.item))
        } catch {
            for (item, reason) in unknown {
                ledger.fail(item, .send, "the answer to the create was lost (\(reason)) and the lookup that would tell failed: \(error)", request: true)
            }
            return error.isSystemic ? error.description : nil
        }
        var retry: [PendingProfile] = []
        for ((item, _), ids) in zip(unknown, found) {
            if ids.isEmpty {
                retry.append(item)
            } else {
                // The lost create took effect (DESIGN 10).
                ledger.confirm(item, created: true, ids: ids, record: true)
            }
        }
        let second = await send(retry, batchSize: batchSize) { await client.create($0, context: context) }
        for (item, result) in zip(retry, second) { settle(item, result, &ledger) }
        return nil
    }

    /// Updates every app user of each item; an item is updated when all of its users are.
    private func update(_ items: [(item: PendingProfile, ids: [String])], _ ledger: inout BatchLedger) async {
        guard !items.isEmpty else { return }
        var owners: [Int] = []
        var updates: [AppUserUpdate] = []
        for (index, entry) in items.enumerated() {
            for id in entry.ids {
                owners.append(index)
                updates.append(AppUserUpdate(id: id, user: entry.item.user))
            }
        }
        var results = await chunked(updates, batchSize: client.capabilities.updateBatchSize) { await client.update($0) }
        // An update is idempotent: one whose answer was lost is simply sent again, once.
        let lost = results.indices.filter { if case .outcomeUnknown = results[$0] { true } else { false } }
        if !lost.isEmpty {
            let again = await chunked(lost.map { updates[$0] }, batchSize: client.capabilities.updateBatchSize) { await client.update($0) }
            for (index, result) in zip(lost, again) { results[index] = result }
        }
        var ids = [[String]](repeating: [], count: items.count)
        var problems = [String?](repeating: nil, count: items.count)
        for (owner, result) in zip(owners, results) {
            switch result {
            case .created(let id), .updated(let id): ids[owner].append(id)
            case .failed(let message): problems[owner] = problems[owner] ?? message
            case .outcomeUnknown(let reason): problems[owner] = problems[owner] ?? "the application's answer to the update was lost twice (\(reason))"
            case .rejected(let error):
                problems[owner] = problems[owner] ?? error.description
                if error.isSystemic { ledger.systemic = ledger.systemic ?? error.description }
            }
        }
        for (index, entry) in items.enumerated() {
            if let problem = problems[index] {
                ledger.fail(entry.item, .send, problem, request: true)
            } else {
                ledger.confirm(entry.item, created: false, ids: ids[index], record: true)
            }
        }
    }

    /// Sends an idempotent write (upsert, webhook delivery), retrying once the items whose answer was lost.
    private func write(
        _ items: [PendingProfile], batchSize: Int, _ call: @escaping @Sendable ([ValueObject]) async -> [WriteResult]
    ) async -> [WriteResult] {
        var results = await send(items, batchSize: batchSize, call)
        let lost = results.indices.filter { if case .outcomeUnknown = results[$0] { true } else { false } }
        if !lost.isEmpty {
            let again = await send(lost.map { items[$0] }, batchSize: batchSize, call)
            for (index, result) in zip(lost, again) { results[index] = result }
        }
        return results
    }

    /// Sends the users of `items` (with the matching property set) in batches; one result per item.
    private func send(
        _ items: [PendingProfile], batchSize: Int, _ call: @escaping @Sendable ([ValueObject]) async -> [WriteResult]
    ) async -> [WriteResult] {
        await chunked(items.map(creation), batchSize: batchSize, call)
    }

    private func chunked<Item: Sendable>(
        _ items: [Item], batchSize: Int, _ call: @Sendable ([Item]) async -> [WriteResult]
    ) async -> [WriteResult] {
        var results: [WriteResult] = []
        results.reserveCapacity(items.count)
        let size = max(1, batchSize)
        var start = 0
        while start < items.count {
            let slice = Array(items[start..<min(start + size, items.count)])
            let answers = await call(slice)
            for index in slice.indices {
                results.append(index < answers.count ? answers[index] : .failed(message: "the connector gave no answer for this user"))
            }
            start += size
        }
        return results
    }

    /// Records the answer to one write.
    private func settle(_ item: PendingProfile, _ result: WriteResult, _ ledger: inout BatchLedger) {
        switch result {
        case .created(let id): ledger.confirm(item, created: true, ids: [id], record: true)
        case .updated(let id): ledger.confirm(item, created: false, ids: [id], record: true)
        case .failed(let message): ledger.fail(item, .send, message, request: true)
        case .outcomeUnknown(let reason): ledger.fail(item, .send, "the application's answer was lost twice (\(reason))", request: true)
        case .rejected(let error):
            ledger.fail(item, .send, error.description, request: true)
            if error.isSystemic { ledger.systemic = ledger.systemic ?? error.description }
        }
    }

    // MARK: Lookup

    /// The ids of the app users holding each item's matching value, in order.
    private func lookup(_ items: [PendingProfile]) async throws(ApplicationError) -> [[String]] {
        var found: [[String]] = []
        found.reserveCapacity(items.count)
        let size = max(1, client.capabilities.lookupBatchSize)
        var start = 0
        while start < items.count {
            let slice = items[start..<min(start + size, items.count)]
            let answers = try await client.lookup(property: matching.outName, values: slice.map(\.matching.value))
            for index in 0..<slice.count {
                found.append(index < answers.count ? answers[index].map(\.id) : [])
            }
            start += size
        }
        return found
    }

    /// The user as a create sends it: the transformation's output plus the matching property.
    private func creation(_ item: PendingProfile) -> ValueObject {
        matching.setting(item.matching.value, in: item.user)
    }
}
