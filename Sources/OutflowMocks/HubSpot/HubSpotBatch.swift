import Hummingbird
import OutflowCore

/// The batch endpoints: `batch/read` (by record id or by a unique `idProperty` such as email) and
/// `batch/create`, `batch/update`, `batch/upsert`, each at most 100 inputs.
///
/// Errors follow HubSpot's two modes. Without `objectWriteTraceId` on every input, a batch is
/// all-or-nothing: the first failing input's error (409 `Contact already exists. Existing ID: N`,
/// 400 validation, 404 not found) answers the whole request and nothing is written. With a trace id
/// on every input (multi-status), good inputs are written and the answer is 207 with `results` and
/// per-input `errors`, each error carrying its input's trace id in `context.objectWriteTraceId`.
extension HubSpotMock {
    static func batchRead(_ body: JSONValue, store: HubSpotStore) async throws(HubSpotError) -> Response {
        let inputs = try inputs(body)
        let idProperty = body["idProperty"]?.stringValue
        let names = body["properties"]?.arrayValue.flatMap { $0.isEmpty ? nil : $0.compactMap(\.stringValue) } ?? HubSpotProperties.defaults
        var results: [JSONValue] = []
        var missing: [String] = []
        for input in inputs {
            guard let id = input["id"]?.stringValue ?? input["id"]?.intValue.map(String.init) else {
                throw .invalidJSON("each input needs an \"id\"")
            }
            if let contact = await store.contact(id, idProperty: idProperty) {
                results.append(contact.json(properties: names))
            } else {
                missing.append(id)
            }
        }
        let errors = missing.isEmpty ? [] : [HubSpotError.notFound(ids: missing).batchEntry()]
        return MockHTTP.json(envelope(results: results, errors: errors), status: errors.isEmpty ? .ok : .multiStatus)
    }

    static func batchWrite(_ body: JSONValue, kind: HubSpotWriteKind, store: HubSpotStore) async throws(HubSpotError) -> Response {
        let inputs = try inputs(body).map { input throws(HubSpotError) in try writeInput(input, kind: kind) }
        let multiStatus = !inputs.isEmpty && inputs.allSatisfy { $0.objectWriteTraceId != nil }
        let outcomes = await store.write(inputs, kind: kind, atomic: !multiStatus)
        var results: [JSONValue] = []
        var errors: [JSONValue] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let contact, let written, let new, let input):
                var extra = JSONObject()
                if kind == .upsert { extra["new"] = .bool(new) }
                if let trace = input.objectWriteTraceId { extra["objectWriteTraceId"] = .string(trace) }
                results.append(contact.json(properties: written, extra: extra))
            case .failure(let error, let input):
                if !multiStatus { throw error }
                var context = JSONObject()
                if let trace = input.objectWriteTraceId { context["objectWriteTraceId"] = .array([.string(trace)]) }
                errors.append(error.batchEntry(extraContext: context))
            }
        }
        let success: HTTPResponse.Status = kind == .create ? .created : .ok
        return MockHTTP.json(envelope(results: results, errors: errors), status: errors.isEmpty ? success : .multiStatus)
    }

    private static func writeInput(_ input: JSONValue, kind: HubSpotWriteKind) throws(HubSpotError) -> HubSpotWriteInput {
        guard let object = input.objectValue else { throw .invalidJSON("each input must be an object") }
        var properties: [String: String?] = [:]
        for (key, value) in object["properties"]?.objectValue?.members ?? [] {
            switch value {
            case .string(let text), .number(let text): properties[key] = text
            case .bool(let flag): properties[key] = flag ? "true" : "false"
            case .null: properties[key] = .some(nil)
            default: throw .invalidJSON("property \(key) must be a string, number or boolean, not \(value.typeName)")
            }
        }
        let id = object["id"]?.stringValue ?? object["id"]?.intValue.map(String.init)
        if kind != .create, id == nil { throw .invalidJSON("each \(kind) input needs an \"id\"") }
        return HubSpotWriteInput(
            id: id, idProperty: object["idProperty"]?.stringValue, properties: properties,
            objectWriteTraceId: object["objectWriteTraceId"]?.stringValue)
    }
}
