import OutflowFunctions
import OutflowStore

/// How one run behaves: the `run` flags of DESIGN section 11 plus the engine's own bounds.
///
/// ```swift
/// var options = ExportOptions()
/// options.dryRun = true
/// options.window = TimeWindow(begin: DateTimeValue(parsing: "2024-01-01T00:00:00Z"), end: nil)
/// ```
public struct ExportOptions: Sendable {
    /// Look up and plan, send nothing, record no export state (`--dry-run`).
    public var dryRun = false
    /// Ignore the export state: nothing is `unchanged` (`--full`).
    public var full = false
    /// Keep only profiles whose `updatedAt` falls in this window (`--begin-time/--end-time`).
    public var window: TimeWindow?
    /// Work batches being looked up and sent at once; with the batch size this bounds memory, and
    /// the connector's rate limiter paces the requests. 16: with 4, a 100k first sync to the
    /// HubSpot mock with no rate limit left a quarter of its CPU idle waiting for answers (27,800
    /// profiles/s; 8: 34,000-35,000/s); once the mock's own work per request was near Outflow's, 16
    /// kept it busier than 8 (three alternating pairs: 48,600 vs 35,000, 52,800 vs 42,600, 57,000 vs
    /// 55,100 profiles/s), for about 1,600 more profiles in memory.
    public var maxInFlight = 16
    /// Answered work batches that make the run's loop commit at once (one transaction for all that
    /// wait). The loop looks between two reads of the source and whenever a batch finishes; it also
    /// commits whatever waits once `maxCommitDelay` seconds have passed since its last commit (so
    /// answers that come slowly are committed one by one), and at the end, stopped or not. A
    /// transaction's fixed cost (begin, the run's counters, the WAL commit) was about a tenth of a
    /// 100k first sync's CPU when every batch paid it; a batch whose record waits is still
    /// answered, so a crash before its commit only makes the next run redo it (DESIGN 10: look up,
    /// no duplicate). 1 commits each batch alone.
    public var commitGroup = 8
    public var maxCommitDelay: Double = 0.025
    /// Whole work batches failing one after another that make the failure systemic (DESIGN 9).
    public var maxConsecutiveBatchFailures = 5
    /// Where transformation functions run.
    public var functionHost: FunctionHost = .inProcess
    /// Who takes the run lock.
    public var owner: RunOwner = .current()
    /// Seconds between heartbeats of the run lock (DESIGN 10: every 5 s).
    public var heartbeatInterval: Double = 5
    /// The workspace run (`POST /sources/{workspace}/start`) this pipeline run is a task of, if any.
    public var job: Int64?

    public init() {}
}
