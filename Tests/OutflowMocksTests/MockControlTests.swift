import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The `/__mock/` endpoints users script against.
@Suite("Mocks: control endpoints")
struct MockControlTests {
    private func control(_ mock: MockHarness, _ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> MockHarness.Answer {
        try await mock.send(method, path, body, authorization: .some(nil))
    }

    @Test func usersComeInCreationOrderInTheGetOneShape() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            _ = try await mock.post("/crm/v3/objects/contacts/batch/create", #"{"inputs":[{"properties":{"email":"z@example.org"}}]}"#)
            let users = try await mock.users()
            #expect(users.count == 51)
            #expect(users.first?["id"] == "101")
            #expect(users.last?["properties"]?["email"] == "z@example.org")
            let one = try await mock.get("/crm/v3/objects/contacts/101").json
            #expect(users.first?["createdAt"] == one["createdAt"])
            #expect(users.first?["properties"]?["lastname"] == one["properties"]?["lastname"])
        }
    }

    @Test func loadAddsUsersAndResetRestoresTheStart() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let load = try await control(mock, .post, "/__mock/load", #"{"users":[{"id":"7","properties":{"email":"Seven@Example.org"}}]}"#)
            #expect(load.status == 200)
            #expect(try await mock.get("/crm/v3/objects/contacts/seven@example.org?idProperty=email").json["id"] == "7")
            let duplicate = try await control(mock, .post, "/__mock/load", #"{"users":[{"id":"8","properties":{"email":"seven@example.org"}}]}"#)
            #expect(duplicate.status == 400)

            #expect(try await control(mock, .post, "/__mock/reset").status == 204)
            let users = try await mock.users()
            #expect(users.count == 50)
            #expect(!users.contains { $0["id"] == "7" })
        }
    }

    @Test func statsCountByRouteAndStatus() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            _ = try await mock.get("/crm/v3/objects/contacts/101")
            _ = try await mock.get("/crm/v3/objects/contacts/102")
            _ = try await mock.get("/crm/v3/objects/contacts/4040")
            _ = try await mock.send(.get, "/crm/v3/objects/contacts/101", authorization: .some(nil))
            let stats = try await control(mock, .get, "/__mock/stats").json
            let route = try #require(stats["routes"]?.objectValueForTest?.first { $0.key.hasPrefix("GET /crm/v3/objects/contacts/") }?.value)
            #expect(route["200"] == 2)
            #expect(route["404"] == 1)
            #expect(route["401"] == 1)
            #expect(stats["total"] == 4)
            _ = try await control(mock, .post, "/__mock/reset")
            #expect(try await control(mock, .get, "/__mock/stats").json["total"] == 0)
        }
    }

    @Test func webhookDeliveriesAreItsUsers() async throws {
        try await withMock(.webhook) { mock in
            let answer = try await mock.send(.post, "/webhook", #"{"users":[{"email":"a@example.org"}]}"#, authorization: .some(nil))
            #expect(answer.status == 204)
            let deliveries = try await mock.users()
            #expect(deliveries.count == 1)
            #expect(deliveries[0]["body"]?["users"]?[0]?["email"] == "a@example.org")
        }
    }
}

extension JSONValue {
    var objectValueForTest: [(key: String, value: JSONValue)]? {
        if case .object(let object) = self { return object.members }
        return nil
    }
}
