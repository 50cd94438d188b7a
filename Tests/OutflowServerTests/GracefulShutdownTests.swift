import Foundation
import OutflowCore
import OutflowStore
import Testing

@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    @Test("stopping the server lets a run commit its batches in flight, ends it interrupted and releases its lock")
    func runCommitsAndEnds() async throws {
        let server = try await ServerHarness.start()
        let store = server.server.services.store
        do {
            // Pipeline 103: 101's export of the demo profiles five times over (58 batches, 8 in flight)
            // to a HubSpot mock answering each request after 700 ms, so the run takes several waves of
            // batches and the stop lands in the middle whatever the answers' timing.
            let copies = try RunRoutesTests.addSlowPipeline(server, latency: "700ms", copies: 5)
            defer { if let copies { try? FileManager.default.removeItem(at: copies) } }

            let started = try await server.request(.post, "/v1/pipelines/103/runs", token: server.workspaceToken)
            #expect(started.status == 200)
            guard case .string(let text)? = started.body["runId"], let runID = Int64(text) else { throw HarnessError("no runId: \(started.body)") }
            // Wait for the first committed batch, then stop the server as SIGTERM would.
            try await server.eventually { (try store.run(runID)?.created ?? 0) > 0 }
            await server.server.stop()

            let run = try #require(try store.run(runID))
            #expect(run.status == .failed)
            #expect(run.error == "interrupted")
            #expect(run.finishedAt != nil)
            #expect(run.created > 0)
            #expect(run.created < 5750, "the run was not interrupted: it created everything")
            // What was committed is consistent: every counted profile has an outcome.
            #expect(run.read == run.filteredOut + run.created + run.updated + run.unchanged + run.skipped + run.failed)
            #expect(try store.lockedPipelines().isEmpty)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
