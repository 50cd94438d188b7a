import Hummingbird
import NIOCore

/// The request context of the API: Hummingbird's core storage plus who is asking, which
/// ``TokenAuthMiddleware`` fills in before any route runs.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil only on the routes that need no token (`/health`, `/openapi.json`).
    public var scope: AccessScope?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { JSONResponse.maximumBodySize }

    /// The scope, or 401 (a route behind the middleware always has one).
    public func requireScope() throws -> AccessScope {
        guard let scope else { throw APIError.unauthorized("a bearer token is required") }
        return scope
    }
}
