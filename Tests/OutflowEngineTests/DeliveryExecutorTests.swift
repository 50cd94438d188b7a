import Foundation
import OutflowConnectors
import OutflowCore
import OutflowEngine
import OutflowStore
import Testing

/// The engine runs each batch's delivery where its application client prefers
/// (`ApplicationClient.taskExecutor`): for a connector over libcurl, the HTTP client's event-loop
/// thread, so the batch's requests and answers need no thread switch (docs/performance.md, issue 5).
@Suite struct DeliveryExecutorTests {
    @Test("batches are delivered on the HTTP client's event-loop thread, and on the pool when the client prefers nothing")
    func deliveryRunsOnTheClientsExecutor() async throws {
        let profiles: [[String: Any]] = (1...250).map { ["id": $0, "email": "p\($0)@x.com", "name": "P\($0)"] }
        let harness = try EngineHarness(profiles: profiles, nameProperty: "firstname")
        try await HubSpotMockHarness.with { hubspot in
            #expect(hubspot.client.taskExecutor.map { ObjectIdentifier($0 as AnyObject) } == ObjectIdentifier(hubspot.http.taskExecutor as AnyObject))
            let preferred = ThreadProbe(base: hubspot.client, preferring: true)
            let report = try await harness.run(preferred)
            #expect(report.run.counts == RunCounts(read: 250, created: 250))
            #expect(preferred.threads.count == 3)
            #expect(preferred.threads.allSatisfy { $0 == "outflow-http" }, "\(preferred.threads)")

            let pooled = ThreadProbe(base: hubspot.client, preferring: false)
            let again = try await harness.run(pooled, full: true)
            #expect(again.run.counts == RunCounts(read: 250, updated: 250))
            #expect(pooled.threads.count == 3)
            #expect(!pooled.threads.contains("outflow-http"), "\(pooled.threads)")
        }
    }
}

/// Passes every call to `base` and records the name of the thread each upsert started on.
final class ThreadProbe: ApplicationClient, @unchecked Sendable {
    let base: any ApplicationClient
    let preferring: Bool
    private let lock = NSLock()
    private var names: [String] = []

    init(base: any ApplicationClient, preferring: Bool) {
        self.base = base
        self.preferring = preferring
    }

    var threads: [String] { lock.withLock { names } }
    var capabilities: ApplicationCapabilities { base.capabilities }
    var taskExecutor: (any TaskExecutor)? { preferring ? base.taskExecutor : nil }

    func lookup(property: String, values: [Value]) async throws(ApplicationError) -> [[AppUser]] {
        try await base.lookup(property: property, values: values)
    }
    func create(_ users: [ValueObject]) async -> [WriteResult] { await base.create(users) }
    func update(_ items: [AppUserUpdate]) async -> [WriteResult] { await base.update(items) }
    func upsert(property: String, _ users: [ValueObject]) async -> [WriteResult] {
        record()
        return await base.upsert(property: property, users)
    }
    func upsert(property: String, _ users: [ValueObject], context: WriteContext) async -> [WriteResult] {
        record()
        return await base.upsert(property: property, users, context: context)
    }
    func schema() async throws(ApplicationError) -> ObjectType { try await base.schema() }
    func test() async throws(ApplicationError) { try await base.test() }

    /// The calling thread's name, as Linux keeps it (the event loop names its thread `outflow-http`).
    private func record() {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        lock.withLock { names.append(name) }
    }
}
