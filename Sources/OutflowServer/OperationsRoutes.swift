import HTTPTypes
import Hummingbird
import NIOCore
import OutflowCore

/// The routes that run the server rather than the workspaces (DESIGN section 12):
///
/// - `GET /health` (no token): `{"status":"ok"}` while the server answers;
/// - `GET /openapi.json` (no token): the OpenAPI 3.1 document of the API;
/// - `GET /metrics` (admin token): the counters of ``ServerMetrics`` in the Prometheus text format.
enum OperationsRoutes {
    /// The content type Prometheus scrapes (text exposition format 0.0.4).
    static let metricsContentType = "text/plain; version=0.0.4"

    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {
        router.get("/health") { _, _ in
            JSONResponse.make(["status": "ok"])
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        router.get("/metrics") { _, context in
            try context.requireScope().requireAdmin()
            return Response(
                status: .ok, headers: [.contentType: metricsContentType], body: .init(byteBuffer: ByteBuffer(string: services.metrics.render())))
        }
    }
}
