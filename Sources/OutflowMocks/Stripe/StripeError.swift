import Foundation
import Hummingbird
import OutflowCore

/// An error as Stripe reports it: `{"error":{"type","code"?,"message","param"?,"doc_url"?}}`.
///
/// `type` is one of Stripe's (`invalid_request_error`, `idempotency_error`, `api_error`); `code`
/// and `param` say which rule and which parameter, as in Stripe's own answers.
struct StripeError: Error, Sendable {
    let status: HTTPResponse.Status
    let type: String
    var code: String? = nil
    let message: String
    var param: String? = nil
    /// Stripe-Should-Retry: Stripe's own advice on whether the same request may succeed later.
    var shouldRetry: Bool? = nil

    var body: JSONValue {
        var error = jsonObject(["type": .string(type)])
        if let code {
            error["code"] = .string(code)
            error["doc_url"] = .string("https://stripe.com/docs/error-codes/\(code.replacingOccurrences(of: "_", with: "-"))")
        }
        error["message"] = .string(message)
        if let param { error["param"] = .string(param) }
        return ["error": .object(error)]
    }

    var response: Response {
        var response = StripeMock.json(body, status: status)
        if let shouldRetry { response.headers[MockHTTP.name("Stripe-Should-Retry")] = shouldRetry ? "true" : "false" }
        return response
    }

    // MARK: The errors the mock produces

    static let missingKey = StripeError(
        status: .unauthorized, type: "invalid_request_error",
        message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.")

    static func invalidKey(_ key: String) -> StripeError {
        let masked = key.count > 8 ? String(key.prefix(8)) + String(repeating: "*", count: max(0, key.count - 12)) + String(key.suffix(4)) : "****"
        return StripeError(status: .unauthorized, type: "invalid_request_error", message: "Invalid API Key provided: \(masked)")
    }

    static func missing(_ id: String) -> StripeError {
        StripeError(status: .notFound, type: "invalid_request_error", code: "resource_missing", message: "No such customer: '\(id)'", param: "id")
    }

    static func unknownParameter(_ name: String) -> StripeError {
        StripeError(status: .badRequest, type: "invalid_request_error", code: "parameter_unknown", message: "Received unknown parameter: \(name)", param: name)
    }

    static func invalid(_ message: String, param: String, code: String = "parameter_invalid_string") -> StripeError {
        StripeError(status: .badRequest, type: "invalid_request_error", code: code, message: message, param: param)
    }

    static func invalidEmail(_ email: String) -> StripeError {
        StripeError(status: .badRequest, type: "invalid_request_error", code: "email_invalid", message: "Invalid email address: \(email)", param: "email")
    }

    static func searchQuery(_ message: String) -> StripeError {
        StripeError(status: .badRequest, type: "invalid_request_error", message: message, param: "query")
    }

    static func idempotencyMismatch(_ key: String) -> StripeError {
        StripeError(
            status: .badRequest, type: "idempotency_error",
            message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '\(key)' if you meant to execute a different request.",
            shouldRetry: false)
    }

    static let rateLimited = StripeError(
        status: .tooManyRequests, type: "invalid_request_error", code: "rate_limit",
        message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.", shouldRetry: true)

    static func server(_ status: HTTPResponse.Status) -> StripeError {
        StripeError(status: status, type: "api_error", message: "An unknown error occurred", shouldRetry: true)
    }
}
