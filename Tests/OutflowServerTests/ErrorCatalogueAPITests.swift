import Foundation
import OutflowCore
import OutflowHTTP
import OutflowServer
import OutflowStore
import OutflowTestSupport
import Testing

/// One case per row of `docs/errors.md`'s REST API table: sends the row's request with its token
/// to a server holding the demo workspace, and expects the status and the exact body.
@Suite struct ErrorCatalogueAPITests {
    static let rows = ErrorCatalogue.rows { $0["status"] != nil }

    /// Requests some rows need first, by id.
    static let setup: [String: (method: HTTPMethod, path: String)] = [
        "api-run-inactive-workspace": (.post, "/v1/workspaces/demo/disable")
    ]

    @Test(arguments: rows)
    func row(_ row: ErrorCatalogue.Row) async throws {
        let server = try await ServerHarness.start()
        do {
            if let (method, path) = Self.setup[row.id] {
                let response = try await server.raw(method, path, token: server.adminToken)
                #expect(response.status == 200)
            }
            let request = try #require(row["request"])
            let parts = request.split(separator: " ", maxSplits: 2).map(String.init)
            let method = HTTPMethod(rawValue: parts[0])
            var headers: [(String, String)] = []
            let token: String?
            switch row["token"] {
            case "none": token = nil
            case "invalid": token = "ofw_not-a-token"
            case "workspace": token = server.workspaceToken
            case "admin": token = server.adminToken
            case let other?
            where other.hasPrefix("admin, Workspace: "):
                token = server.adminToken
                headers.append(("Workspace", String(other.dropFirst("admin, Workspace: ".count))))
            case let other: Issue.record("\(row.id): unknown token \(other ?? "-")"); token = nil
            }
            let response = try await server.raw(method, parts[1], body: parts.count > 2 ? parts[2] : nil, token: token, headers: headers)
            #expect("\(response.status)" == row["status"], "\(row.id)")
            #expect(String(decoding: response.body, as: UTF8.self) == row["body"], "\(row.id)")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("a run to a host outside --allow-hosts ends failed with the error of docs/errors.md")
    func allowHosts() async throws {
        let row = try #require(ErrorCatalogue.all.first { $0.id == "api-host-not-allowed" })
        let expected = try #require(row["error"])
        var text = try String(contentsOfFile: ServerHarness.demoFile, encoding: .utf8)
        text = text.replacingOccurrences(
            of: #""settings": {},\#n      "mock": true"#, with: #""settings": {"baseURL": "http://example.invalid", "accessToken": "${HOME}"}"#)
        guard case .object(let document) = try JSONParser.parse(bytes: Array(text.utf8)) else { throw HarnessError("not an object") }
        let directory = ServerHarness.repository.appendingPathComponent("fixtures/workspaces").path
        let server = try await ServerHarness.start(importDemo: false) { $0.imports = [WorkspaceImport(document: document, directory: directory)] }
        let started = try await server.request(.post, "/v1/pipelines/101/runs", token: server.workspaceToken)
        #expect(started.status == 200)
        let runId = Self.string(started.body["runId"])
        var status: JSONValue = .null
        try await server.eventually {
            status = try await server.request(.get, "/v1/pipelines/101/runs/\(runId)/status", token: server.workspaceToken).body
            return Self.string(status["status"]) == "finished"
        }
        await server.stop()
        let error = Self.string(status["error"])
        #expect(ErrorCatalogue.matches(error, expected), "\(error)")
    }

    static func string(_ value: JSONValue?) -> String {
        if case .string(let text)? = value { return text }
        return ""
    }
}
