import Foundation
import Hummingbird
import OutflowCore

/// An error as HubSpot's CRM v3 API reports it:
/// `{"status":"error","message":...,"correlationId":...,"category":...}` (plus `context` for some).
///
/// Messages follow the wording HubSpot sends where it is publicly documented or widely quoted
/// (`Contact already exists. Existing ID: N`, `Property values were not valid: [...]`,
/// `Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.`).
struct HubSpotError: Error, Sendable {
    let status: HTTPResponse.Status
    let category: String
    let message: String
    var context: JSONObject? = nil

    /// The whole-request error body.
    var body: JSONValue {
        var object = jsonObject([
            "status": "error", "message": .string(message), "correlationId": .string(Self.correlationId()), "category": .string(category),
        ])
        if let context { object["context"] = .object(context) }
        return .object(object)
    }

    /// One entry of a batch answer's `errors` array.
    func batchEntry(extraContext: JSONObject = JSONObject()) -> JSONValue {
        var merged = context ?? JSONObject()
        for (key, value) in extraContext.members { merged[key] = value }
        var object = jsonObject(["status": "error", "category": .string(category), "message": .string(message)])
        if !merged.isEmpty { object["context"] = .object(merged) }
        return .object(object)
    }

    var response: Response {
        MockHTTP.json(body, status: status, headers: [MockHTTP.name("X-HubSpot-Correlation-Id"): UUID().uuidString.lowercased()])
    }

    static func correlationId() -> String { UUID().uuidString.lowercased() }

    // MARK: The errors the mock produces

    static func conflict(existingId: Int) -> HubSpotError {
        HubSpotError(status: .conflict, category: "CONFLICT", message: "Contact already exists. Existing ID: \(existingId)")
    }

    static func validation(_ message: String) -> HubSpotError {
        HubSpotError(status: .badRequest, category: "VALIDATION_ERROR", message: message)
    }

    static func notFound(ids: [String]) -> HubSpotError {
        HubSpotError(
            status: .notFound, category: "OBJECT_NOT_FOUND",
            message: "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.",
            context: jsonObject(["ids": .array(ids.map { .string($0) })]))
    }

    /// HubSpot's wording when a JSON body does not parse or does not have the expected shape.
    static func invalidJSON(_ detail: String) -> HubSpotError {
        validation("Invalid input JSON on line 1: \(detail)")
    }

    /// `Property values were not valid: [...]`, whose list is itself JSON, as HubSpot sends it.
    static func invalidProperties(_ problems: [PropertyProblem]) -> HubSpotError {
        let list = JSONValue.array(problems.map { problem in
            [
                "isValid": false, "message": .string(problem.message), "error": .string(problem.code),
                "name": .string(problem.name), "localizedErrorMessage": .string(problem.message),
            ]
        })
        return validation("Property values were not valid: \(JSONWriter.string(list))")
    }

    static let unauthorized = HubSpotError(
        status: .unauthorized, category: "INVALID_AUTHENTICATION",
        message: "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
    )
}

/// One invalid property value of one input (HubSpot's `PROPERTY_DOESNT_EXIST`, `READ_ONLY_VALUE`,
/// `INVALID_EMAIL`, `INVALID_OPTION`).
struct PropertyProblem: Sendable {
    let name: String
    let code: String
    let message: String
}
