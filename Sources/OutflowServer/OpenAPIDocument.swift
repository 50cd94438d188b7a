/// The OpenAPI 3.1 document of the API, served at `/openapi.json` (a copy is committed as
/// docs/openapi.json).
enum OpenAPIDocument {
    static let json: String = #"{"openapi":"3.1.0","info":{"title":"Outflow","version":"1"},"paths":{}}"#
}
