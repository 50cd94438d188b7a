import Hummingbird
import OutflowCore

/// An error as Brevo's API v3 reports it: `{"code","message"}`, codes from Brevo's list
/// (`unauthorized`, `invalid_parameter`, `missing_parameter`, `duplicate_parameter`,
/// `document_not_found`, `too_many_requests`, `internal_error`).
struct BrevoError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    var body: JSONValue { .object(jsonObject(["code": .string(code), "message": .string(message)])) }
    var response: Response { MockHTTP.json(body, status: status) }

    // MARK: The errors the mock produces

    static let keyNotFound = BrevoError(status: .unauthorized, code: "unauthorized", message: "Key not found")

    static let contactNotFound = BrevoError(status: .notFound, code: "document_not_found", message: "Contact does not exist")

    /// The whole batch fails when any contact in it is unknown, naming their positions (from 0).
    static func batchNotFound(indexes: [Int]) -> BrevoError {
        BrevoError(status: .notFound, code: "document_not_found", message: "No contact found for indexes \(indexes.map(String.init).joined(separator: ","))")
    }

    static let duplicate = BrevoError(status: .badRequest, code: "duplicate_parameter", message: "Contact already exist")

    static func invalid(_ message: String) -> BrevoError {
        BrevoError(status: .badRequest, code: "invalid_parameter", message: message)
    }

    static func missing(_ message: String) -> BrevoError {
        BrevoError(status: .badRequest, code: "missing_parameter", message: message)
    }

    static let tooManyRequests = BrevoError(status: .tooManyRequests, code: "too_many_requests", message: "The expected rate limit is exceeded.")

    static func server(_ status: HTTPResponse.Status) -> BrevoError {
        BrevoError(status: status, code: "internal_error", message: status.code == 500 ? "Internal server error" : status.reasonPhrase)
    }
}
