import HTTPTypes
import Hummingbird
import NIOCore
import OutflowCore

/// An error the API answers with: its status and `{"error":{"code","message"}}` (DESIGN section 12).
///
/// Messages are the seed documents' where they give one ("workspace does not exist", "pipeline
/// does not exist", "connection does not exist", ...), and never hold a secret.
///
/// ```swift
/// throw APIError.notFound("pipeline does not exist")
/// throw APIError.unprocessable("name: must not be empty")
/// ```
public struct APIError: Error, HTTPResponseError, Hashable, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable word: `not_found`, `unprocessable`, `conflict`, ...
    public var code: String
    public var message: String

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func notFound(_ message: String) -> APIError { APIError(status: .notFound, code: "not_found", message: message) }
    public static func unprocessable(_ message: String) -> APIError {
        APIError(status: .unprocessableContent, code: "unprocessable", message: message)
    }
    public static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, code: "bad_request", message: message) }
    public static func conflict(_ message: String) -> APIError { APIError(status: .conflict, code: "conflict", message: message) }
    public static func unauthorized(_ message: String) -> APIError { APIError(status: .unauthorized, code: "unauthorized", message: message) }
    public static func forbidden(_ message: String) -> APIError { APIError(status: .forbidden, code: "forbidden", message: message) }
    public static func internalError(_ message: String) -> APIError {
        APIError(status: .internalServerError, code: "internal", message: message)
    }

    /// Validation problems, one per line, each naming its JSON path (the 422 of the seed's
    /// "validation messages for anything else").
    public static func invalid(_ diagnostics: [Diagnostic]) -> APIError {
        unprocessable(diagnostics.map(\.description).joined(separator: "\n"))
    }

    public var body: JSONValue {
        ["error": ["code": .string(code), "message": .string(message)]]
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(body, status: status)
    }
}
