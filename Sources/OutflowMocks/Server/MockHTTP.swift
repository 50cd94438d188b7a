import Hummingbird
import HTTPTypes
import NIOCore
import Foundation
import OutflowCore

/// Small helpers for JSON answers and bodies, shared by every mock.
enum MockHTTP {
    /// A JSON answer with `status` and extra `headers`.
    static func json(
        _ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], contentType: String = "application/json;charset=utf-8"
    ) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        // Written as bytes straight into the buffer: through a String it was a tenth of the HubSpot mock's CPU.
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: JSONByteWriter.bytes(value))))
    }

    /// An empty answer (204 and the like).
    static func empty(_ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentLength: "0"], body: .init())
    }

    /// The request body parsed as JSON, or the parse error's message.
    static func jsonBody(_ request: Request, context: MockRequestContext) async throws -> Result<JSONValue, JSONSyntaxError> {
        let bytes = try await bodyBytes(request, context: context)
        do throws(JSONSyntaxError) {
            return .success(try JSONParser.parse(bytes: bytes))
        } catch {
            return .failure(error)
        }
    }

    static func bodyBytes(_ request: Request, context: MockRequestContext) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return Array(buffer.readableBytesView)
    }

    /// A path parameter with its percent-encoding removed (`ada%40example.org` -> `ada@example.org`):
    /// APIs that take an email in the path expect clients to encode it.
    static func pathParameter(_ context: MockRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// The request's query as decoded pairs, keys included (`page%5Bsize%5D=5` -> `page[size]`,
    /// which Hummingbird's own `queryParameters` leaves encoded).
    static func query(_ request: Request) -> [(key: String, value: String)] {
        FormEncoding.pairs(request.uri.query ?? "")
    }

    /// A header name from text; the names used here are all valid tokens.
    static func name(_ text: String) -> HTTPField.Name {
        HTTPField.Name(text)!
    }
}

extension JSONValue {
    /// The string, when this is one.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements, when this is an array.
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members, when this is an object.
    var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// A number or a numeric string as an Int (HubSpot accepts both for `limit` and `after`).
    var intValue: Int? {
        switch self {
        case .number(let text), .string(let text): return Int(text)
        default: return nil
        }
    }
}

/// A JSON object from key-value pairs, in the order written.
func jsonObject(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONObject {
    JSONObject(pairs.map { (key: $0.key, value: $0.value) })
}

extension HTTPResponse.Status {
    /// 207, which HubSpot's batch endpoints answer when some inputs failed.
    static let multiStatus = HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status")
}

extension Response {
    /// This response with header `name` set to `value`.
    func with(_ name: HTTPField.Name, _ value: String) -> Response {
        var copy = self
        copy.headers[name] = value
        return copy
    }
}
