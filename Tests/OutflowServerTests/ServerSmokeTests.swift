import OutflowCore
import Testing

@Suite("Server start and auth")
struct ServerStartTests {
    @Test("a request without a token is refused with 401 and the error body")
    func unauthorized() async throws {
        let server = try await ServerHarness.start()
        let (status, body) = try await server.request(.get, "/v1/pipelines", token: nil)
        let wrong = try await server.request(.get, "/v1/pipelines", token: "ofw_not-a-token")
        await server.stop()
        #expect(status == 401)
        #expect(body["error"]?["code"] == .string("unauthorized"))
        #expect(wrong.status == 401)
    }

    @Test("the demo workspace is imported at start as revision 1")
    func imported() async throws {
        let server = try await ServerHarness.start()
        let record = try server.server.services.store.workspace(named: "demo")
        await server.stop()
        #expect(record?.revision == 1)
        #expect(record?.status == .active)
    }
}
