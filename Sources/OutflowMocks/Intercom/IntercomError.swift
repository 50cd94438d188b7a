import Foundation
import Hummingbird
import OutflowCore

/// An error as Intercom's REST API reports it: `{"type":"error.list","request_id":...,
/// "errors":[{"code","message"}]}`, codes as Intercom documents them (`unauthorized`,
/// `not_found`, `conflict`, `parameter_invalid`, `rate_limit_exceeded`, `server_error`).
struct IntercomError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    var body: JSONValue {
        .object(jsonObject([
            "type": "error.list", "request_id": .string(UUID().uuidString.lowercased()),
            "errors": [["code": .string(code), "message": .string(message)]],
        ]))
    }

    var response: Response { MockHTTP.json(body, status: status) }

    // MARK: The errors the mock produces

    static let unauthorized = IntercomError(status: .unauthorized, code: "unauthorized", message: "Access Token Invalid")

    static let notFound = IntercomError(status: .notFound, code: "not_found", message: "User Not Found")

    static func invalid(_ message: String) -> IntercomError {
        IntercomError(status: .badRequest, code: "parameter_invalid", message: message)
    }

    static func missing(_ message: String) -> IntercomError {
        IntercomError(status: .badRequest, code: "parameter_not_found", message: message)
    }

    /// Intercom's conflict on creating (or updating into) a user whose email or external_id another
    /// user holds; the id is in the message, which is the only place Intercom gives it.
    static func conflict(existingId: String) -> IntercomError {
        IntercomError(status: .conflict, code: "conflict", message: "A contact matching those details already exists with id=\(existingId)")
    }

    static let versionInvalid = IntercomError(
        status: .badRequest, code: "intercom_version_invalid", message: "The requested version could not be found")

    static func rateLimited(limit: Int, window: Duration) -> IntercomError {
        IntercomError(
            status: .tooManyRequests, code: "rate_limit_exceeded",
            message: "Exceeded rate limit of \(limit) in \(RateLimitStatus.seconds(window))_seconds")
    }

    static func server(_ status: HTTPResponse.Status) -> IntercomError {
        switch status.code {
        case 502: return IntercomError(status: status, code: "bad_gateway", message: "Bad Gateway")
        case 503: return IntercomError(status: status, code: "service_unavailable", message: "Service Unavailable")
        default: return IntercomError(status: status, code: "server_error", message: "Server Error")
        }
    }
}
