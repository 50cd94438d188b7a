import HTTPTypes
import Hummingbird
import Logging

/// Gives every error the API's body, `{"error":{"code","message"}}` (DESIGN section 12), including
/// the ones Hummingbird raises itself (an unknown path or method: 404; an oversized body: 413)
/// and anything unexpected (500, with a message that holds no detail a secret could hide in;
/// the detail goes to the log).
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let status = error.status
            let message: String
            switch status {
            case .notFound: message = "no such endpoint: \(request.method) \(request.uri.path)"
            case .methodNotAllowed: message = "\(request.method) is not allowed on \(request.uri.path)"
            default: message = error.body ?? status.reasonPhrase
            }
            return try APIError(status: status, code: Self.code(for: status), message: message).response(from: request, context: context)
        } catch {
            logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            return try APIError.internalError("the server met an unexpected error; see its log").response(from: request, context: context)
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .contentTooLarge: "too_large"
        case .unprocessableContent: "unprocessable"
        default: status.code >= 500 ? "internal" : "error"
        }
    }
}
