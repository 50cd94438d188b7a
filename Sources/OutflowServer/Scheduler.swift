import Foundation
import ServiceLifecycle

/// (Being built: DESIGN section 13.)
struct Scheduler: Service {
    let services: ServerServices

    func run() async throws {
        try await gracefulShutdown()
    }
}
