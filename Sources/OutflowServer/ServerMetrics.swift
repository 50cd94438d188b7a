import Foundation
import OutflowRuntime
import OutflowStore
import Prometheus

/// What `/metrics` reports (DESIGN section 12, issue 7), in a Prometheus registry of this server's
/// own (nothing is bootstrapped globally, so two servers in one process count apart):
///
/// - `outflow_runs_total{status}`: pipeline runs ended, `finished` or `failed`;
/// - `outflow_runs_refused_total{reason}`: runs that could not start (`conflict`, `unprocessable`, ...);
/// - `outflow_profiles_total{outcome}`: profiles by outcome (`created`, `updated`, `unchanged`,
///   `skipped`, `failed`, `filtered_out`);
/// - `outflow_requests_total{connector,status}`: requests to applications, each attempt counted,
///   `status` the HTTP status or `error` when no response came;
/// - `outflow_rate_limit_waits_total{connector}`: requests the connection's rate limit held back.
///
/// ```swift
/// let metrics = ServerMetrics()
/// metrics.recordRun(run, connector: "hubspot")
/// print(metrics.render())    // # TYPE outflow_runs_total counter ...
/// ```
public final class ServerMetrics: TrafficObserver, Sendable {
    public let registry = PrometheusCollectorRegistry()

    /// The outcomes of `outflow_profiles_total`, in the order they are shown.
    public static let outcomes = ["created", "updated", "unchanged", "skipped", "failed", "filtered_out"]

    public init() {
        // Known series start at 0, so a dashboard shows them before the first run.
        for status in ["finished", "failed"] { _ = counter(.runs, [("status", status)]) }
        for outcome in Self.outcomes { _ = counter(.profiles, [("outcome", outcome)]) }
    }

    /// A pipeline run ended.
    public func recordRun(_ run: RunRecord, connector: String) {
        counter(.runs, [("status", run.status.rawValue)]).increment()
        let counts = [run.created, run.updated, run.unchanged, run.skipped, run.failed, run.filteredOut]
        for (outcome, count) in zip(Self.outcomes, counts) where count > 0 {
            counter(.profiles, [("outcome", outcome)]).increment(by: Int64(count))
        }
    }

    /// A run could not start (409, invalid pipeline, ...).
    public func recordRefusedRun(reason: String) {
        counter(.refused, [("reason", reason)]).increment()
    }

    public func observeResponse(connector: String, status: Int?) {
        counter(.requests, [("connector", connector), ("status", status.map(String.init) ?? "error")]).increment()
    }

    public func observeRateLimitWait(connector: String, seconds: Double) {
        counter(.rateLimitWaits, [("connector", connector)]).increment()
    }

    /// The Prometheus text exposition format (version 0.0.4).
    public func render() -> String {
        registry.emitToString()
    }

    // MARK: - Names

    enum Name: String {
        case runs = "runs"
        case refused = "runs_refused"
        case profiles = "profiles"
        case requests = "requests"
        case rateLimitWaits = "rate_limit_waits"

        var help: String {
            switch self {
            case .runs: "Pipeline runs ended, by status (finished, failed)."
            case .refused: "Pipeline runs that could not start, by reason."
            case .profiles: "Profiles by outcome over all runs."
            case .requests: "Requests to applications (each attempt), by connector and HTTP status (error: no response)."
            case .rateLimitWaits: "Requests held back by their connection's rate limit, by connector."
            }
        }
    }

    private func counter(_ name: Name, _ labels: [(String, String)]) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "outflow", metricName: name.rawValue, unitName: "total", helpText: name.help), labels: labels)
    }
}
