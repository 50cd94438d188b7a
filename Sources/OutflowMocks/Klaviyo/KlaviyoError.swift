import Foundation
import Hummingbird
import OutflowCore

/// An error as Klaviyo's JSON:API endpoints report it: `{"errors":[{"id","status","code","title",
/// "detail","source":{"pointer"|"parameter"},"meta"?}]}`, sent as `application/vnd.api+json`.
///
/// Codes and titles are Klaviyo's documented ones (`not_authenticated`, `invalid`, `not_found`,
/// `duplicate_profile` with `meta.duplicate_profile_id`, `throttled`, `error`).
struct KlaviyoError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let title: String
    let detail: String
    /// `["pointer": "/data/attributes/email"]` or `["parameter": "filter"]`.
    var source: JSONObject = jsonObject(["pointer": "/data/"])
    var meta: JSONObject? = nil

    var body: JSONValue {
        var error = jsonObject([
            "id": .string(UUID().uuidString.lowercased()), "status": .number(String(status.code)), "code": .string(code),
            "title": .string(title), "detail": .string(detail), "source": .object(source),
        ])
        if let meta { error["meta"] = .object(meta) }
        return ["errors": [.object(error)]]
    }

    var response: Response { KlaviyoMock.document(body, status: status) }

    // MARK: The errors the mock produces

    static let notAuthenticated = KlaviyoError(
        status: .unauthorized, code: "not_authenticated", title: "Authentication credentials were not provided.",
        detail: "Missing or invalid authorization scheme. Please use Klaviyo-API-Key.")

    static let authenticationFailed = KlaviyoError(
        status: .unauthorized, code: "authentication_failed", title: "Incorrect authentication credentials.",
        detail: "Incorrect authentication credentials.")

    static let missingRevision = KlaviyoError(
        status: .badRequest, code: "invalid", title: "Invalid input.",
        detail: "The `revision` header is required; send a revision date such as 2024-10-15.",
        source: jsonObject(["parameter": "revision"]))

    static func invalid(_ detail: String, pointer: String = "/data/") -> KlaviyoError {
        KlaviyoError(status: .badRequest, code: "invalid", title: "Invalid input.", detail: detail, source: jsonObject(["pointer": .string(pointer)]))
    }

    static func invalidParameter(_ detail: String, parameter: String) -> KlaviyoError {
        KlaviyoError(status: .badRequest, code: "invalid", title: "Invalid input.", detail: detail, source: jsonObject(["parameter": .string(parameter)]))
    }

    static func notFound(_ id: String) -> KlaviyoError {
        KlaviyoError(status: .notFound, code: "not_found", title: "Not found.", detail: "A profile with id \(id) does not exist.")
    }

    /// Klaviyo's conflict on create (or on an update that takes another profile's identifier):
    /// the id of the profile that holds it comes in `meta.duplicate_profile_id`.
    static func duplicate(existingId: String) -> KlaviyoError {
        KlaviyoError(
            status: .conflict, code: "duplicate_profile", title: "Conflict.",
            detail: "A profile already exists with one of these identifiers.",
            source: jsonObject(["pointer": "/data/attributes"]),
            meta: jsonObject(["duplicate_profile_id": .string(existingId)]))
    }

    static func throttled(retryAfter seconds: Int) -> KlaviyoError {
        KlaviyoError(
            status: .tooManyRequests, code: "throttled", title: "Request was throttled.",
            detail: "Request was throttled. Expected available in \(seconds) second\(seconds == 1 ? "" : "s").")
    }

    static func server(_ status: HTTPResponse.Status) -> KlaviyoError {
        KlaviyoError(status: status, code: "error", title: "A server error occurred.", detail: "A server error occurred.")
    }
}
