import Foundation
import OutflowStore

/// What `/metrics` reports (DESIGN section 12, issue 7): runs by status, profiles by outcome,
/// requests by connector and status, rate-limit waits. The routes and the run manager record into
/// it; ``OperationsRoutes`` renders it in the Prometheus text format.
///
/// (Filled in with swift-prometheus by the operations work; these are the calls the rest of
/// the server makes.)
public final class ServerMetrics: Sendable {
    public init() {}

    /// A pipeline run ended.
    public func recordRun(_ run: RunRecord, connector: String) {}

    /// A run could not start (409, invalid pipeline, ...).
    public func recordRefusedRun(reason: String) {}
}
