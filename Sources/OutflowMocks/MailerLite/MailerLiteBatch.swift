import Hummingbird
import OutflowCore

/// `POST /api/batch`: up to 50 API requests in one call, each `{"method","path","body"?}`, run in
/// order; the answer lists each one's status and body:
/// `{"total","successful","failed","responses":[{"code","body"}]}`.
///
/// Inner requests are routed like outer ones (`api/subscribers`, `api/subscribers/{id}`,
/// `api/fields`); one failing does not stop the others, which is how a client gets partial
/// failures from MailerLite.
enum MailerLiteBatch {
    static let limit = 50

    static func run(_ body: JSONValue, store: MailerLiteStore) async throws(MailerLiteError) -> JSONValue {
        guard let requests = body["requests"]?.arrayValue else { throw .validation("requests", "The requests field is required.") }
        guard requests.count <= limit else { throw .validation("requests", "The requests may not have more than \(limit) items.") }
        var responses: [JSONValue] = []
        var successful = 0
        for (position, request) in requests.enumerated() {
            let answer: MailerLiteAnswer
            if let method = request["method"]?.stringValue, let path = request["path"]?.stringValue {
                answer = await MailerLiteMock.perform(method: method.uppercased(), path: path, body: request["body"] ?? .object(JSONObject()), store: store)
            } else {
                let message = "The requests.\(position).method and requests.\(position).path fields are required."
                answer = MailerLiteAnswer(error: .validation("requests.\(position)", message))
            }
            if (200..<300).contains(answer.status) { successful += 1 }
            responses.append(.object(jsonObject(["code": .number(String(answer.status)), "body": answer.body])))
        }
        return .object(jsonObject([
            "total": .number(String(requests.count)), "successful": .number(String(successful)),
            "failed": .number(String(requests.count - successful)), "responses": .array(responses),
        ]))
    }
}

/// A status and JSON body, what both a request and a batch's inner request produce.
struct MailerLiteAnswer: Sendable {
    let status: Int
    let body: JSONValue

    init(status: Int, body: JSONValue) {
        self.status = status
        self.body = body
    }

    init(error: MailerLiteError) {
        self.init(status: Int(error.status.code), body: error.body)
    }

    var response: Response { MockHTTP.json(body, status: HTTPResponse.Status(code: status)) }
}
