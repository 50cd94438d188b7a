import Foundation
import Hummingbird
import Logging
import NIOCore
import OutflowHTTP
import OutflowStore
import ServiceLifecycle
import UnixSignals

/// `outflow serve`: the REST API of DESIGN section 12 with the scheduler of section 13, in this
/// process, on one port.
///
/// ```swift
/// let server = try await OutflowServer.start(configuration)
/// print(server.origin)          // http://127.0.0.1:8080
/// await server.stop()           // runs commit their batch in flight, then the server stops
/// ```
public final class OutflowServer: Sendable {
    public let origin: String
    public let port: Int
    public let services: ServerServices
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    private init(origin: String, port: Int, services: ServerServices, task: Task<Void, any Error>, group: ServiceGroup) {
        self.origin = origin
        self.port = port
        self.services = services
        self.task = task
        self.group = group
    }

    /// Opens the store, imports the configured workspace files, and starts serving. Returns once
    /// the port accepts connections. `signals` trigger a graceful shutdown (the CLI passes
    /// SIGTERM and SIGINT; tests pass none and call ``stop()``).
    public static func start(_ configuration: ServerConfiguration, signals: [UnixSignal] = []) async throws -> OutflowServer {
        let logger = configuration.logger
        let store = try StateStore(path: configuration.statePath)
        try store.failInterruptedJobs()
        let catalog = WorkspaceCatalog(store: store, registry: configuration.registry, secrets: configuration.secrets)
        for source in configuration.imports {
            let saved = try catalog.save(source.document, metadata: [:], directory: source.directory, reason: "imported", mode: .importFile)
            logger.info("workspace \(saved.name) imported (revision \(saved.record.revision))")
        }
        let metrics = ServerMetrics()
        let transport = HTTPClient(configuration: .init(allowHosts: configuration.allowHosts))
        let runs = RunManager(catalog: catalog, transport: transport, functionHost: configuration.functionHost, metrics: metrics, logger: logger)
        let services = ServerServices(configuration: configuration, store: store, catalog: catalog, runs: runs, metrics: metrics, logger: logger)

        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: APIErrorMiddleware(logger: logger))
        router.add(middleware: TokenAuthMiddleware(store: store))
        OperationsRoutes.add(to: router, services: services)
        WorkspaceRoutes.add(to: router, services: services)
        ConnectionRoutes.add(to: router, services: services)
        PipelineRoutes.add(to: router, services: services)
        RunRoutes.add(to: router, services: services)

        let (ready, readyContinuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "outflow"),
            onServerRunning: { channel in readyContinuation.yield(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        var services_: [any Service] = [app]
        if configuration.schedulerEnabled { services_.append(Scheduler(services: services)) }
        // Last in the list, so shut down first: runs commit their batch before the port closes.
        services_.append(RunShutdownService(runs: runs))
        let group = ServiceGroup(configuration: .init(services: services_, gracefulShutdownSignals: signals, logger: logger))
        let task = Task {
            do {
                try await group.run()
                readyContinuation.finish()
            } catch {
                readyContinuation.finish(throwing: error)
                throw error
            }
        }
        for try await port in ready {
            let host = configuration.host.contains(":") && !configuration.host.hasPrefix("[") ? "[\(configuration.host)]" : configuration.host
            return OutflowServer(origin: "http://\(host):\(port)", port: port, services: services, task: task, group: group)
        }
        task.cancel()
        throw APIError.internalError("the server stopped before it was ready")
    }

    /// Graceful shutdown: runs commit their batch in flight and end; then the port closes.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    /// Returns when the server has stopped (after a signal, for the CLI).
    public func waitUntilStopped() async throws {
        try await task.value
    }
}
