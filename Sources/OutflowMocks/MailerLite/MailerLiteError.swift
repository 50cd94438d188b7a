import Hummingbird
import OutflowCore

/// An error as MailerLite's API (connect.mailerlite.com) reports it: `{"message"}`, plus, for a
/// 422, `errors` mapping each invalid field to its messages (Laravel's validation shape).
struct MailerLiteError: Error, Sendable {
    let status: HTTPResponse.Status
    let message: String
    var errors: [(field: String, messages: [String])] = []

    var body: JSONValue {
        var object = jsonObject(["message": .string(message)])
        if !errors.isEmpty {
            object["errors"] = .object(JSONObject(errors.map { (key: $0.field, value: JSONValue.array($0.messages.map { .string($0) })) }))
        }
        return .object(object)
    }

    var response: Response { MockHTTP.json(body, status: status) }

    // MARK: The errors the mock produces

    static let unauthenticated = MailerLiteError(status: .unauthorized, message: "Unauthenticated.")
    static let notFound = MailerLiteError(status: .notFound, message: "Resource not found.")
    static let tooManyAttempts = MailerLiteError(status: .tooManyRequests, message: "Too Many Attempts.")

    /// A 422 whose `message` is the first problem, as MailerLite sends it.
    static func validation(_ field: String, _ message: String) -> MailerLiteError {
        MailerLiteError(status: .unprocessableContent, message: message, errors: [(field, [message])])
    }

    static func server(_ status: HTTPResponse.Status) -> MailerLiteError {
        MailerLiteError(status: status, message: status.code == 500 ? "Server Error" : status.reasonPhrase)
    }
}
