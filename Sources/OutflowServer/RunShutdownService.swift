import ServiceLifecycle

/// Stops the runs on graceful shutdown (SIGTERM): each commits its batch in flight, then ends
/// `failed` with error `interrupted`; the service returns once all have.
struct RunShutdownService: Service {
    let runs: RunManager

    func run() async throws {
        try? await gracefulShutdown()
        await runs.shutdown()
    }
}
