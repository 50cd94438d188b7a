import Foundation
import OutflowCore
import OutflowServer
import OutflowStore
import Testing

/// `serve --allow-hosts`: a run may contact only the hosts listed; a request elsewhere fails unsent.
@Suite("Allowed hosts")
struct AllowHostsTests {
    @Test("a run to a connection on a host not allowed ends failed, naming the host, with no request sent")
    func hostNotAllowed() async throws {
        var text = try String(contentsOfFile: ServerHarness.demoFile, encoding: .utf8)
        text = text.replacingOccurrences(
            of: #""settings": {},\#n      "mock": true"#, with: #""settings": {"baseURL": "http://example.invalid", "accessToken": "pat-test"}"#)
        #expect(text.contains("example.invalid"))
        guard case .object(let document) = try JSONParser.parse(bytes: Array(text.utf8)) else { throw HarnessError("not an object") }
        let directory = ServerHarness.repository.appendingPathComponent("fixtures/workspaces").path
        let server = try await ServerHarness.start(importDemo: false) {
            $0.imports = [WorkspaceImport(document: document, directory: directory)]
            $0.secrets = try SecretBox(base64Key: Data(repeating: 7, count: 32).base64EncodedString())
            // The harness's allow-list: 127.0.0.1 and localhost, as `--allow-hosts 127.0.0.1,localhost`.
        }
        let runs = server.server.services.runs
        let id = try await runs.startPipelineRun(workspace: "demo", pipeline: 101, parameters: RunParameters(), trigger: "api")
        await runs.waitForIdle()
        let run = try server.server.services.store.run(id)
        let metrics = server.server.services.metrics.render()
        await server.stop()

        #expect(server.server.services.configuration.allowHosts == ["127.0.0.1", "localhost"])
        #expect(run?.status == .failed)
        #expect(run?.created == 0)
        let error = run?.error ?? ""
        #expect(error.contains("example.invalid"), "\(error)")
        #expect(error.contains("not in the allowed hosts"), "\(error)")
        #expect(!metrics.contains(#"connector="hubspot",status="2"#))
    }
}
