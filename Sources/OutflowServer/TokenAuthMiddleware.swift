import HTTPTypes
import Hummingbird
import OutflowStore

/// Checks `Authorization: Bearer <token>` on every route but `/health` and `/openapi.json`: the
/// token's SHA-256 must be in the store. Sets the request's ``AccessScope``; the routes check it
/// against the workspace they touch (403 outside it).
struct TokenAuthMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    let store: StateStore
    static let open: Set<String> = ["/health", "/openapi.json"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.open.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            return try APIError.unauthorized("a bearer token is required (Authorization: Bearer <token>)").response(from: request, context: context)
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let stored = try? store.token(hash: TokenIssuer.hash(token)) else {
            return try APIError.unauthorized("the token is not valid").response(from: request, context: context)
        }
        var context = context
        if stored.admin {
            let selected = request.headers[HTTPField.Name("Workspace")!].flatMap { $0.isEmpty ? nil : $0 }
            context.scope = .admin(selected: selected)
        } else if let workspace = stored.workspace {
            context.scope = .workspace(workspace)
        } else {
            return try APIError.unauthorized("the token is not valid").response(from: request, context: context)
        }
        return try await next(request, context)
    }
}
