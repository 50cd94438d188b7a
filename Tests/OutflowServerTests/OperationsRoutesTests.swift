import Foundation
import OutflowCore
import OutflowHTTP
@testable import OutflowRuntime
import OutflowServer
import Testing

@Suite("Operations routes")
struct OperationsRoutesTests {
    /// The value of the series `name{labels}` in a Prometheus text body, nil when absent.
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("/health and /openapi.json answer without a token")
    func open() async throws {
        let server = try await ServerHarness.start(importDemo: false)
        let health = try await server.request(.get, "/health", token: nil)
        let openapi = try await server.raw(.get, "/openapi.json", token: nil)
        await server.stop()
        #expect(health.status == 200)
        #expect(health.body == ["status": "ok"])
        #expect(openapi.status == 200)
        #expect(openapi.headers["Content-Type"] == "application/json")
        let document = try JSONParser.parse(bytes: openapi.body)
        guard case .string(let version)? = document["openapi"] else {
            Issue.record("no openapi member")
            return
        }
        #expect(version.hasPrefix("3.1"))
    }

    @Test("/metrics needs an admin token: 401 without one, 403 with a workspace token")
    func metricsAuth() async throws {
        let server = try await ServerHarness.start()
        let none = try await server.request(.get, "/metrics", token: nil)
        let workspace = try await server.request(.get, "/metrics", token: server.workspaceToken)
        let admin = try await server.raw(.get, "/metrics", token: server.adminToken)
        await server.stop()
        #expect(none.status == 401)
        #expect(workspace.status == 403)
        #expect(workspace.body["error"]?["code"] == .string("forbidden"))
        #expect(admin.status == 200)
        #expect(admin.headers["Content-Type"] == "text/plain; version=0.0.4")
        let text = String(decoding: admin.body, as: UTF8.self)
        #expect(text.contains("# TYPE outflow_runs_total counter"))
        #expect(Self.value(text, #"outflow_runs_total{status="finished"}"#) == 0)
        #expect(Self.value(text, #"outflow_profiles_total{outcome="created"}"#) == 0)
    }

    @Test("after a run, /metrics shows its status, its profiles by outcome and its requests")
    func metricsAfterRun() async throws {
        let server = try await ServerHarness.start()
        let runs = server.server.services.runs
        let id = try await runs.startPipelineRun(workspace: "demo", pipeline: 101, parameters: RunParameters(), trigger: "api")
        await runs.waitForIdle()
        let run = try #require(try server.server.services.store.run(id))
        let response = try await server.raw(.get, "/metrics", token: server.adminToken)
        await server.stop()
        let text = String(decoding: response.body, as: UTF8.self)

        #expect(run.status == .finished)
        #expect(run.created > 0)
        #expect(Self.value(text, #"outflow_runs_total{status="finished"}"#) == 1)
        #expect(Self.value(text, #"outflow_runs_total{status="failed"}"#) == 0)
        let outcomes: [(String, Int)] = [
            ("created", run.created), ("updated", run.updated), ("unchanged", run.unchanged), ("skipped", run.skipped),
            ("failed", run.failed), ("filtered_out", run.filteredOut),
        ]
        for (outcome, count) in outcomes {
            #expect(Self.value(text, "outflow_profiles_total{outcome=\"\(outcome)\"}") == Double(count), "\(outcome)")
        }
        let requests = text.split(separator: "\n").filter { $0.hasPrefix(#"outflow_requests_total{connector="hubspot",status="2"#) }
        let sent = requests.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        #expect(sent > 0)
    }

    @Test("the traffic observer counts responses, failures and rate-limit waits by connector")
    func trafficObserver() async throws {
        let metrics = ServerMetrics()
        struct Answer: HTTPTransport {
            func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
                if request.url.contains("fail") { throw .connectionRefused(url: request.url, detail: "test") }
                return HTTPResponse(status: 429)
            }
        }
        let transport = ObservedTransport(base: Answer(), connector: "hubspot", observer: metrics)
        _ = try await transport.send(HTTPRequest(url: "http://127.0.0.1:1/ok"))
        _ = try? await transport.send(HTTPRequest(url: "http://127.0.0.1:1/fail"))
        // Two requests under a limit of one per 100 ms: the second waits.
        let limiter = RateLimiter(
            limits: ["default": RateLimit(1, per: .milliseconds(100))],
            clock: RateLimitWaitClock(base: SystemClock(), connector: "hubspot", observer: metrics))
        for _ in 0..<2 { await limiter.release(try await limiter.acquire(group: "default")) }
        let text = metrics.render()
        #expect(Self.value(text, #"outflow_requests_total{connector="hubspot",status="429"}"#) == 1)
        #expect(Self.value(text, #"outflow_requests_total{connector="hubspot",status="error"}"#) == 1)
        #expect(Self.value(text, #"outflow_rate_limit_waits_total{connector="hubspot"}"#) == 1)
    }
}
