import Foundation
import OutflowCore
import OutflowServer
import Testing

/// The OpenAPI document the server embeds: the committed copy, valid JSON of OpenAPI 3.1, and
/// complete (every route of /work/server-contract.md and DESIGN section 12). Schemathesis checks
/// the answers against it (scripts/schemathesis); these tests keep it from drifting silently.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let docsFile = ServerHarness.repository.appendingPathComponent("docs/openapi.json")

    /// Every route the server answers, as (method, path template).
    static let routes: [(String, String)] = [
        ("get", "/v1/pipelines"), ("post", "/v1/pipelines"),
        ("get", "/v1/pipelines/{id}"), ("put", "/v1/pipelines/{id}"), ("delete", "/v1/pipelines/{id}"),
        ("put", "/v1/pipelines/{id}/status"), ("put", "/v1/pipelines/{id}/schedule"),
        ("get", "/v1/pipelines/{id}/runs"), ("post", "/v1/pipelines/{id}/runs"),
        ("get", "/v1/pipelines/{id}/runs/{runId}/status"),
        ("post", "/sources/{workspace}/start"), ("get", "/sources/{workspace}/runs/{runId}/status"),
        ("get", "/v1/workspaces"), ("post", "/v1/workspaces"),
        ("get", "/v1/workspaces/{name}"), ("put", "/v1/workspaces/{name}"), ("delete", "/v1/workspaces/{name}"),
        ("post", "/v1/workspaces/{name}/enable"), ("post", "/v1/workspaces/{name}/disable"),
        ("post", "/v1/workspaces/{name}/validate"), ("post", "/v1/workspaces/{name}/trigger"),
        ("get", "/v1/workspaces/{name}/revisions"), ("post", "/v1/workspaces/{name}/revisions/{n}/rollback"),
        ("get", "/v1/connections"), ("post", "/v1/connections"),
        ("get", "/v1/connections/{id}"), ("put", "/v1/connections/{id}"), ("delete", "/v1/connections/{id}"),
        ("get", "/health"), ("get", "/openapi.json"), ("get", "/metrics"),
    ]
    static let openRoutes: Set<String> = ["/health", "/openapi.json"]
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    static func document() throws -> JSONValue {
        try JSONParser.parse(OpenAPIDocument.json)
    }

    @Test("the embedded copy is docs/openapi.json byte for byte (run docs/embed-openapi.py after editing it)")
    func embeddedCopyMatchesDocs() throws {
        let committed = try String(contentsOf: Self.docsFile, encoding: .utf8)
        // A Bool, so that a failure names the fix instead of printing both documents.
        let same = OpenAPIDocument.json == committed
        #expect(same, "Sources/OutflowServer/OpenAPIDocument.swift is stale: run docs/embed-openapi.py")
    }

    @Test("it is JSON and declares OpenAPI 3.1 with a global bearer scheme")
    func openAPIVersion() throws {
        let document = try Self.document()
        guard case .string(let version)? = document["openapi"] else {
            Issue.record("no openapi member")
            return
        }
        #expect(version.hasPrefix("3.1."))
        #expect(document["security"] == [["bearer": []]])
        #expect(document["components"]?["securitySchemes"]?["bearer"]?["scheme"] == "bearer")
    }

    @Test("every route the server answers is listed, and nothing else")
    func everyRoute() throws {
        let document = try Self.document()
        guard case .object(let paths)? = document["paths"] else {
            Issue.record("no paths")
            return
        }
        for (method, path) in Self.routes {
            #expect(paths[path]?[method] != nil, "\(method.uppercased()) \(path) is missing")
        }
        let expected = Set(Self.routes.map { "\($0.0) \($0.1)" })
        for (path, item) in paths.members {
            guard case .object(let operations) = item else { continue }
            for method in operations.keys where Self.methods.contains(method) {
                #expect(expected.contains("\(method) \(path)"), "\(method.uppercased()) \(path) is not a route of the server")
            }
        }
    }

    @Test("only /health and /openapi.json need no token; the others declare 401 and a success")
    func security() throws {
        let document = try Self.document()
        for (method, path) in Self.routes {
            guard let operation = document["paths"]?[path]?[method], case .object(let responses)? = operation["responses"] else {
                Issue.record("\(method) \(path): no responses")
                continue
            }
            #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(method) \(path) declares no success")
            if Self.openRoutes.contains(path) {
                #expect(operation["security"] == .array([]), "\(path) must be open")
            } else {
                #expect(operation["security"] == nil, "\(method) \(path) must use the global bearer scheme")
                #expect(responses["401"] != nil, "\(method) \(path) does not declare 401")
            }
        }
    }

    @Test("every path parameter is declared, and every $ref points at a component")
    func referencesResolve() throws {
        let document = try Self.document()
        var refs: [String] = []
        Self.collectRefs(document, into: &refs)
        #expect(!refs.isEmpty)
        for ref in Set(refs) {
            let parts = ref.split(separator: "/").map(String.init)
            #expect(parts.first == "#", "\(ref) is not local")
            var node: JSONValue? = document
            for part in parts.dropFirst() { node = node?[part] }
            #expect(node != nil, "\(ref) does not resolve")
        }
        for (method, path) in Self.routes {
            let placeholders = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            var declared: Set<String> = []
            if case .array(let parameters)? = document["paths"]?[path]?[method]?["parameters"] {
                for parameter in parameters {
                    var resolved = parameter
                    if case .string(let ref)? = parameter["$ref"] {
                        resolved = document["components"]?["parameters"]?[String(ref.split(separator: "/").last ?? "")] ?? .null
                    }
                    if resolved["in"] == "path", case .string(let name)? = resolved["name"] { declared.insert(name) }
                }
            }
            #expect(declared == Set(placeholders), "\(method) \(path): path parameters \(declared.sorted()) for \(placeholders)")
        }
    }

    static func collectRefs(_ value: JSONValue, into refs: inout [String]) {
        switch value {
        case .object(let object):
            for (key, member) in object.members {
                if key == "$ref", case .string(let ref) = member { refs.append(ref) } else { collectRefs(member, into: &refs) }
            }
        case .array(let items):
            for item in items { collectRefs(item, into: &refs) }
        default:
            break
        }
    }
}
