import HTTPTypes
import Hummingbird
import NIOCore
import OutflowCore

/// JSON in and out of the API, with Outflow's own parser and writer (the same JSON forms the
/// workspace file and the CLI use, member order kept).
public enum JSONResponse {
    /// Largest request body accepted: a workspace with many pipelines and function sources.
    public static let maximumBodySize = 16 << 20

    public static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: JSONWriter.string(value))))
    }

    /// 204 with no body (PUT and DELETE of the pipelines API answer "No response").
    public static func noContent() -> Response {
        Response(status: .noContent, headers: [:], body: .init())
    }

    /// The request body as JSON: 400 when it is not JSON, or missing where `required`.
    public static func body(_ request: Request, context: some RequestContext, required: Bool = true) async throws -> JSONValue? {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw APIError(status: .contentTooLarge, code: "too_large", message: "the request body is larger than \(maximumBodySize >> 20) MiB")
        }
        let bytes = Array(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if required { throw APIError.badRequest("the request body must be a JSON object") }
            return nil
        }
        do throws(JSONSyntaxError) {
            return try JSONParser.parse(bytes: bytes)
        } catch {
            throw APIError.badRequest("the request body is not valid JSON: \(error)")
        }
    }

    /// The body as a JSON object, or 400/422.
    public static func object(_ request: Request, context: some RequestContext) async throws -> JSONObject {
        guard case .object(let object) = try await body(request, context: context) else {
            throw APIError.unprocessable("the request body must be a JSON object")
        }
        return object
    }
}

extension Parameters {
    /// An integer path parameter (`{id}`): 404 with `missing` when it is not an integer, since no
    /// object has such an id.
    public func int64(_ name: String, notFound missing: String) throws -> Int64 {
        guard let text = self.get(name), let value = Int64(text) else { throw APIError.notFound(missing) }
        return value
    }
}
