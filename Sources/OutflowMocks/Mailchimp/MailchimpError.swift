import Foundation
import Hummingbird
import OutflowCore

/// An error as Mailchimp's Marketing API 3.0 reports it: an RFC 7807 problem document,
/// `{"type","title","status","detail","instance"}` (plus `errors` for "Invalid Resource"), sent as
/// `application/problem+json`.
struct MailchimpError: Error, Sendable {
    let status: HTTPResponse.Status
    let title: String
    let detail: String
    /// Field-level problems of a 400 "Invalid Resource": `[{"field","message"}]`.
    var errors: [(field: String, message: String)] = []

    static let type = "https://mailchimp.com/developer/marketing/docs/errors/"

    var body: JSONValue {
        var object = jsonObject([
            "type": .string(Self.type), "title": .string(title), "status": .number(String(status.code)),
            "detail": .string(detail), "instance": .string(UUID().uuidString.lowercased()),
        ])
        if !errors.isEmpty {
            object["errors"] = .array(errors.map { ["field": .string($0.field), "message": .string($0.message)] })
        }
        return .object(object)
    }

    var response: Response { Self.problem(body, status: status) }

    /// A JSON answer with Mailchimp's problem content type.
    static func problem(_ body: JSONValue, status: HTTPResponse.Status) -> Response {
        var response = MockHTTP.json(body, status: status)
        response.headers[.contentType] = "application/problem+json; charset=utf-8"
        return response
    }

    // MARK: The errors the mock produces

    static let apiKeyMissing = MailchimpError(
        status: .unauthorized, title: "API Key Missing",
        detail: "Your request did not include an API key.")

    static let apiKeyInvalid = MailchimpError(
        status: .unauthorized, title: "API Key Invalid",
        detail: "Your API key may be invalid, or you've attempted to access the wrong datacenter.")

    static let notFound = MailchimpError(
        status: .notFound, title: "Resource Not Found", detail: "The requested resource could not be found.")

    static func invalidResource(_ errors: [(field: String, message: String)]) -> MailchimpError {
        MailchimpError(
            status: .badRequest, title: "Invalid Resource",
            detail: "The resource submitted could not be validated. For field-specific details, see the 'errors' array.",
            errors: errors)
    }

    /// 400 "Invalid Resource" whose `detail` says what is wrong (Mailchimp does this for member errors).
    static func invalidResource(detail: String) -> MailchimpError {
        MailchimpError(status: .badRequest, title: "Invalid Resource", detail: detail)
    }

    static func badJSON(_ detail: String) -> MailchimpError {
        MailchimpError(
            status: .badRequest, title: "JSON Parse Error",
            detail: "We encountered an unspecified JSON parsing error: \(detail)")
    }

    static let tooManyRequests = MailchimpError(
        status: .tooManyRequests, title: "Too Many Requests",
        detail: "You have exceeded the limit of 10 simultaneous connections.")
}
