import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The MailerLite mock: subscriber upsert by email, get by id or email, update, fields, the
/// batch endpoint with partial failures, 422 validation errors, the per-minute limit.
@Suite("MailerLite mock: subscribers")
struct MailerLiteMockTests {
    static let auth = [("Authorization", "Bearer eyJ0eXAiOiJKV1Qi.test")]

    func send(_ mock: MockHarness, _ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> MockHarness.Answer {
        try await mock.request(method, path, body: body, headers: Self.auth)
    }

    @Test func missingTokenIsUnauthenticated() async throws {
        try await withMock(.mailerlite, options: appOptions("mailerlite")) { mock in
            let answer = try await mock.request(.get, "/api/fields", headers: [("Authorization", "Token abc")])
            #expect(answer.status == 401)
            #expect(answer.json == ["message": "Unauthenticated."])
        }
    }

    @Test func upsertCreatesThenUpdatesWithoutTouchingTheRest() async throws {
        try await withMock(.mailerlite) { mock in
            let created = try await send(mock, .post, "/api/subscribers", #"{"email":"Ada@Example.org","fields":{"name":"Ada","city":"London","nickname":"x"}}"#)
            #expect(created.status == 201)
            let id = try #require(created.json["data"]?["id"]?.string)
            #expect(created.json["data"]?["email"] == "ada@example.org")
            #expect(created.json["data"]?["status"] == "active")
            #expect(created.json["data"]?["fields"]?["name"] == "Ada")
            #expect(created.json["data"]?["fields"]?["last_name"] == .null)
            #expect(created.json["data"]?["fields"]?["nickname"] == nil)  // unknown fields are ignored

            let updated = try await send(mock, .post, "/api/subscribers", #"{"email":"ada@example.org","fields":{"last_name":"Lovelace","city":null}}"#)
            #expect(updated.status == 200)
            #expect(updated.json["data"]?["id"] == .string(id))
            #expect(updated.json["data"]?["fields"]?["name"] == "Ada")
            #expect(updated.json["data"]?["fields"]?["last_name"] == "Lovelace")
            #expect(updated.json["data"]?["fields"]?["city"] == .null)
            #expect(try await mock.users().count == 1)

            let byEmail = try await send(mock, .get, "/api/subscribers/ada%40example.org")
            let byId = try await send(mock, .get, "/api/subscribers/\(id)")
            #expect(byEmail.json == updated.json)
            #expect(byId.json == updated.json)
            let missing = try await send(mock, .get, "/api/subscribers/nobody%40example.org")
            #expect(missing.status == 404)
            #expect(missing.json == ["message": "Resource not found."])
        }
    }

    /// Upserts find their subscriber by email through an index (a scan made a 100k soak quadratic):
    /// loaded, created and reset subscribers must all be found, or not, exactly as before.
    @Test func emailsAreFoundAfterLoadCreateAndReset() async throws {
        try await withMock(.mailerlite, options: appOptions("mailerlite") { $0.rateLimit = .off }) { mock in
            let loaded = try await send(mock, .get, "/api/subscribers/Julia.Ribeiro@ACME.test")
            #expect(loaded.json["data"]?["id"] == "98765432109876543")
            let again = try await send(mock, .post, "/api/subscribers", #"{"email":"JULIA.RIBEIRO@acme.test","fields":{"city":"Porto"}}"#)
            #expect(again.status == 200)
            #expect(again.json["data"]?["id"] == "98765432109876543")

            for i in 0..<300 {
                let created = try await send(mock, .post, "/api/subscribers", "{\"email\":\"n\(i)@example.org\"}")
                #expect(created.status == 201)
            }
            let found = try await send(mock, .get, "/api/subscribers/N299@Example.org")
            #expect(found.status == 200)
            #expect(found.json["data"]?["email"] == "n299@example.org")

            #expect(try await mock.request(.post, "/__mock/reset", headers: []).status == 204)
            #expect(try await send(mock, .get, "/api/subscribers/n299@example.org").status == 404)
            #expect(try await send(mock, .get, "/api/subscribers/julia.ribeiro@acme.test").status == 200)
            let recreated = try await send(mock, .post, "/api/subscribers", #"{"email":"n299@example.org"}"#)
            #expect(recreated.status == 201)
        }
    }

    @Test(arguments: [
        (#"{"fields":{"name":"x"}}"#, "email", "The email field is required."),
        (#"{"email":"not-an-email"}"#, "email", "The email must be a valid email address."),
        (#"{"email":"a@example.org","status":"sleeping"}"#, "status", "The selected status is invalid."),
    ])
    func invalidWritesAre422WithFieldErrors(_ body: String, _ field: String, _ message: String) async throws {
        try await withMock(.mailerlite) { mock in
            let answer = try await send(mock, .post, "/api/subscribers", body)
            #expect(answer.status == 422)
            #expect(answer.json["message"] == .string(message))
            #expect(answer.json["errors"]?[field] == [.string(message)])
        }
    }

    @Test func putUpdatesById() async throws {
        try await withMock(.mailerlite, options: appOptions("mailerlite")) { mock in
            let id = try #require(try await mock.users().first?["id"]?.string)
            let answer = try await send(mock, .put, "/api/subscribers/\(id)", #"{"fields":{"company":"Acme"},"status":"unsubscribed"}"#)
            #expect(answer.status == 200)
            #expect(answer.json["data"]?["fields"]?["company"] == "Acme")
            #expect(answer.json["data"]?["status"] == "unsubscribed")
            #expect(try await send(mock, .put, "/api/subscribers/1", "{}").status == 404)
        }
    }

    @Test func fieldsListTheDefaults() async throws {
        try await withMock(.mailerlite, options: appOptions("mailerlite")) { mock in
            let answer = try await send(mock, .get, "/api/fields")
            #expect(answer.status == 200)
            let keys = answer.json["data"]?.array.compactMap { $0["key"]?.string }
            #expect(keys == ["name", "last_name", "company", "country", "city", "phone", "state", "z_i_p"])
        }
    }

    @Test func batchRunsEachRequestAndReportsPartialFailures() async throws {
        try await withMock(.mailerlite, options: appOptions("mailerlite")) { mock in
            let existing = try #require(try await mock.users().first?["email"]?.string)
            let body = #"""
                {"requests":[
                  {"method":"POST","path":"api/subscribers","body":{"email":"new@example.org","fields":{"name":"New"}}},
                  {"method":"POST","path":"api/subscribers","body":{"email":"\#(existing)","fields":{"name":"Again"}}},
                  {"method":"POST","path":"/api/subscribers","body":{"email":"broken"}},
                  {"method":"GET","path":"api/subscribers/nobody@example.org"}
                ]}
                """#
            let answer = try await send(mock, .post, "/api/batch", body)
            #expect(answer.status == 200)
            #expect(answer.json["total"] == 4)
            #expect(answer.json["successful"] == 2)
            #expect(answer.json["failed"] == 2)
            let codes = answer.json["responses"]?.array.compactMap { $0["code"]?.int }
            #expect(codes == [201, 200, 422, 404])
            #expect(answer.json["responses"]?[0]?["body"]?["data"]?["email"] == "new@example.org")
            #expect(answer.json["responses"]?[2]?["body"]?["errors"]?["email"] != nil)
            #expect(try await mock.users().count == 51)

            let items = Array(repeating: #"{"method":"GET","path":"api/fields"}"#, count: 51).joined(separator: ",")
            let tooMany = try await send(mock, .post, "/api/batch", #"{"requests":[\#(items)]}"#)
            #expect(tooMany.status == 422)
            #expect(tooMany.json["errors"]?["requests"] != nil)
        }
    }

    @Test func limitHeadersThen429WithRetryAfter() async throws {
        let time = MockClock.Manual(date: Date(timeIntervalSince1970: 1_700_000_000))
        let options = appOptions("mailerlite") {
            $0.rateLimit = .custom(count: 2, window: .seconds(60))
            $0.clock = .manual(time)
        }
        try await withMock(.mailerlite, options: options) { mock in
            let first = try await send(mock, .get, "/api/fields")
            #expect(first.headers["X-RateLimit-Limit"] == "2")
            #expect(first.headers["X-RateLimit-Remaining"] == "1")
            time.advance(by: .seconds(5))
            _ = try await send(mock, .get, "/api/fields")
            let refused = try await send(mock, .get, "/api/fields")
            #expect(refused.status == 429)
            #expect(refused.json == ["message": "Too Many Attempts."])
            // The first request leaves the 60 s window 55 s from now.
            #expect(refused.headers["Retry-After"] == "55")
            #expect(refused.headers["X-RateLimit-Reset"] == "1700000060")
            #expect(refused.headers["X-RateLimit-Remaining"] == "0")
        }
    }

    @Test func defaultLimitIs120PerMinute() async throws {
        let time = MockClock.Manual()
        try await withMock(.mailerlite, options: appOptions("mailerlite") { $0.clock = .manual(time) }) { mock in
            var statuses: [Int] = []
            for _ in 0..<121 { statuses.append(try await send(mock, .get, "/api/fields").status) }
            #expect(statuses == Array(repeating: 200, count: 120) + [429])
        }
    }
}
