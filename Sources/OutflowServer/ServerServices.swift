import Logging
import OutflowStore

/// What every route reaches: the store, the workspaces, the runs, the metrics. One per server.
public struct ServerServices: Sendable {
    public let configuration: ServerConfiguration
    public let store: StateStore
    public let catalog: WorkspaceCatalog
    public let runs: RunManager
    public let metrics: ServerMetrics
    public let logger: Logger

    public init(configuration: ServerConfiguration, store: StateStore, catalog: WorkspaceCatalog, runs: RunManager, metrics: ServerMetrics, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.catalog = catalog
        self.runs = runs
        self.metrics = metrics
        self.logger = logger
    }
}
