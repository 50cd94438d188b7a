import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Brevo mock's contact endpoints: get by identifier, create with duplicate_parameter and
/// updateEnabled, update, the all-or-nothing batch, attributes, `x-sib-ratelimit-*`.
@Suite("Brevo mock: contacts")
struct BrevoMockTests {
    static let auth = [("api-key", "xkeysib-test")]

    func send(_ mock: MockHarness, _ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> MockHarness.Answer {
        try await mock.request(method, path, body: body, headers: Self.auth)
    }

    @Test func missingKeyIsBrevos401() async throws {
        try await withMock(.brevo, options: appOptions("brevo")) { mock in
            let answer = try await mock.request(.get, "/v3/contacts/attributes", headers: [("Authorization", "Bearer x")])
            #expect(answer.status == 401)
            #expect(answer.json == ["code": "unauthorized", "message": "Key not found"])
        }
        try await withMock(.brevo, options: appOptions("brevo") { $0.token = "xkeysib-right" }) { mock in
            let wrong = try await send(mock, .get, "/v3/contacts/attributes")
            let right = try await mock.request(.get, "/v3/contacts/attributes", headers: [("api-key", "xkeysib-right")])
            #expect(wrong.status == 401)
            #expect(right.status == 200)
        }
    }

    @Test func attributesListDefaultsAndLoadedOnes() async throws {
        try await withMock(.brevo, options: appOptions("brevo")) { mock in
            let answer = try await send(mock, .get, "/v3/contacts/attributes")
            let names = answer.json["attributes"]?.array.compactMap { $0["name"]?.string } ?? []
            #expect(names == ["FIRSTNAME", "LASTNAME", "SMS", "PLAN"])
            #expect(answer.json["attributes"]?[0]?["category"] == "normal")
        }
    }

    @Test func getByEmailIdAndExtIdAndNotFound() async throws {
        try await withMock(.brevo, options: appOptions("brevo")) { mock in
            let first = try #require(try await mock.users().first)
            let email = try #require(first["email"]?.string)
            let byEmail = try await send(mock, .get, "/v3/contacts/\(FormEscape.query(email.uppercased()))?identifierType=email_id")
            #expect(byEmail.status == 200)
            #expect(byEmail.json == first)
            let byId = try await send(mock, .get, "/v3/contacts/\(first["id"]?.int ?? 0)")
            #expect(byId.json == first)
            let missing = try await send(mock, .get, "/v3/contacts/nobody%40example.org?identifierType=email_id")
            #expect(missing.status == 404)
            #expect(missing.json == ["code": "document_not_found", "message": "Contact does not exist"])
            let badType = try await send(mock, .get, "/v3/contacts/x?identifierType=nickname")
            #expect(badType.status == 400)
            #expect(badType.json["code"] == "invalid_parameter")
        }
    }

    @Test func createDuplicateAndUpdateEnabled() async throws {
        try await withMock(.brevo, options: appOptions("brevo")) { mock in
            let created = try await send(mock, .post, "/v3/contacts", #"{"email":"Ada@Example.org","attributes":{"FIRSTNAME":"Ada","PLAN":"pro"},"listIds":[2]}"#)
            #expect(created.status == 201)
            let id = try #require(created.json["id"]?.int)
            let duplicate = try await send(mock, .post, "/v3/contacts", #"{"email":"ada@example.org"}"#)
            #expect(duplicate.status == 400)
            #expect(duplicate.json == ["code": "duplicate_parameter", "message": "Contact already exist"])
            let upsert = try await send(mock, .post, "/v3/contacts", #"{"email":"ada@example.org","attributes":{"LASTNAME":"Lovelace"},"updateEnabled":true}"#)
            #expect(upsert.status == 204)
            let got = try await send(mock, .get, "/v3/contacts/\(id)")
            #expect(got.json["email"] == "ada@example.org")
            #expect(got.json["attributes"] == ["FIRSTNAME": "Ada", "PLAN": "pro", "LASTNAME": "Lovelace"])
            #expect(got.json["listIds"] == [2])

            let unknown = try await send(mock, .post, "/v3/contacts", #"{"email":"bob@example.org","attributes":{"NICKNAME":"B"}}"#)
            #expect(unknown.status == 400)
            #expect(unknown.json["code"] == "invalid_parameter")
        }
    }

    @Test func putUpdatesClearsAndRefusesATakenEmail() async throws {
        try await withMock(.brevo, options: appOptions("brevo")) { mock in
            let users = try await mock.users()
            let email = try #require(users[0]["email"]?.string)
            let other = try #require(users[1]["email"]?.string)
            let path = "/v3/contacts/\(FormEscape.query(email))?identifierType=email_id"
            let put = try await send(mock, .put, path, #"{"attributes":{"FIRSTNAME":"Zed","LASTNAME":null},"emailBlacklisted":true}"#)
            #expect(put.status == 204)
            let got = try await send(mock, .get, path)
            #expect(got.json["attributes"]?["FIRSTNAME"] == "Zed")
            #expect(got.json["attributes"]?["LASTNAME"] == nil)
            #expect(got.json["emailBlacklisted"] == true)

            let taken = try await send(mock, .put, path, #"{"attributes":{"EMAIL":"\#(other)"}}"#)
            #expect(taken.status == 400)
            #expect(taken.json["code"] == "duplicate_parameter")
            let missing = try await send(mock, .put, "/v3/contacts/nobody%40example.org?identifierType=email_id", "{}")
            #expect(missing.status == 404)
        }
    }

    @Test func batchWithUnknownContactsFailsWholeNamingTheIndexes() async throws {
        try await withMock(.brevo, options: appOptions("brevo")) { mock in
            let users = try await mock.users()
            let known = users.prefix(3).compactMap { $0["email"]?.string }
            let body = #"""
                {"contacts":[
                  {"email":"\#(known[0])","attributes":{"FIRSTNAME":"One"}},
                  {"email":"ghost1@example.org","attributes":{"FIRSTNAME":"X"}},
                  {"id":\#(users[1]["id"]?.int ?? 0),"attributes":{"FIRSTNAME":"Two"}},
                  {"email":"ghost2@example.org"}
                ]}
                """#
            let failed = try await send(mock, .post, "/v3/contacts/batch", body)
            #expect(failed.status == 404)
            #expect(failed.json == ["code": "document_not_found", "message": "No contact found for indexes 1,3"])
            #expect(try await mock.users() == users)  // nothing written

            let good = #"{"contacts":[{"email":"\#(known[0])","attributes":{"FIRSTNAME":"One"}},{"id":\#(users[1]["id"]?.int ?? 0),"attributes":{"FIRSTNAME":"Two"}}]}"#
            let answer = try await send(mock, .post, "/v3/contacts/batch", good)
            #expect(answer.status == 204)
            let after = try await mock.users()
            #expect(after[0]["attributes"]?["FIRSTNAME"] == "One")
            #expect(after[1]["attributes"]?["FIRSTNAME"] == "Two")

            let twoIds = try await send(mock, .post, "/v3/contacts/batch", #"{"contacts":[{"email":"\#(known[0])","id":1}]}"#)
            #expect(twoIds.status == 400)
        }
    }

    @Test func limitHeadersEverywhereAnd429WithoutRetryAfter() async throws {
        // A frozen clock: the eleven requests fall in one instant of the 1 s window however slow
        // the machine, and the window rolls over only when the test moves the clock.
        let time = MockClock.Manual()
        try await withMock(.brevo, options: appOptions("brevo") { $0.clock = .manual(time) }) { mock in
            for remaining in (0..<10).reversed() {
                let answer = try await send(mock, .get, "/v3/contacts/attributes")
                #expect(answer.status == 200)
                #expect(answer.headers["x-sib-ratelimit-limit"] == "10")
                #expect(answer.headers["x-sib-ratelimit-remaining"] == String(remaining))
                #expect(answer.headers["x-sib-ratelimit-reset"] == "1")
            }
            let refused = try await send(mock, .get, "/v3/contacts/attributes")
            #expect(refused.status == 429)
            #expect(refused.json["code"] == "too_many_requests")
            #expect(refused.headers["x-sib-ratelimit-remaining"] == "0")
            #expect(refused.headers["x-sib-ratelimit-reset"] == "1")
            #expect(refused.headers["Retry-After"] == nil)

            time.advance(by: .milliseconds(999))
            let stillRefused = try await send(mock, .get, "/v3/contacts/attributes")
            #expect(stillRefused.status == 429)
            #expect(stillRefused.headers["x-sib-ratelimit-reset"] == "1")  // 1 ms, rounded up
            time.advance(by: .milliseconds(1))
            let again = try await send(mock, .get, "/v3/contacts/attributes")
            #expect(again.status == 200)
            #expect(again.headers["x-sib-ratelimit-remaining"] == "9")
        }
    }

    /// Contacts are found by email, ext_id and SMS through indexes (a scan per upsert made a 100k
    /// soak quadratic): an email moved by PUT or by a batch, and a reset, must read as a scan would.
    @Test func identifierIndexFollowsEmailChangesBatchesAndReset() async throws {
        try await withMock(.brevo, options: appOptions("brevo") { $0.rateLimit = .off }) { mock in
            func status(_ email: String) async throws -> Int {
                try await send(mock, .get, "/v3/contacts/\(FormEscape.query(email))?identifierType=email_id").status
            }
            let created = try await send(mock, .post, "/v3/contacts", #"{"email":"first@example.org","ext_id":"x-1","attributes":{"SMS":"+3312345678"}}"#)
            let id = try #require(created.json["id"]?.int)
            #expect(try await send(mock, .put, "/v3/contacts/\(id)", #"{"attributes":{"EMAIL":"Second@example.org","SMS":null},"ext_id":"x-2"}"#).status == 204)
            #expect(try await status("first@example.org") == 404)
            #expect(try await send(mock, .get, "/v3/contacts/second%40example.org").json["id"] == .number(String(id)))
            #expect(try await send(mock, .get, "/v3/contacts/x-1?identifierType=ext_id").status == 404)
            #expect(try await send(mock, .get, "/v3/contacts/x-2?identifierType=ext_id").json["id"] == .number(String(id)))
            #expect(try await send(mock, .get, "/v3/contacts/%2B3312345678?identifierType=phone_id").status == 404)
            // The old email is free for a new contact; the new one is taken.
            #expect(try await send(mock, .post, "/v3/contacts", #"{"email":"first@example.org"}"#).status == 201)
            #expect(try await send(mock, .post, "/v3/contacts", #"{"email":"SECOND@example.org"}"#).status == 400)
            // Of two contacts sharing an ext_id, the first created is found.
            #expect(try await send(mock, .post, "/v3/contacts", #"{"email":"third@example.org","ext_id":"x-2"}"#).status == 201)
            #expect(try await send(mock, .get, "/v3/contacts/x-2?identifierType=ext_id").json["id"] == .number(String(id)))

            let batch = #"{"contacts":[{"id":\#(id),"attributes":{"EMAIL":"fourth@example.org"}}]}"#
            #expect(try await send(mock, .post, "/v3/contacts/batch", batch).status == 204)
            #expect(try await status("second@example.org") == 404)
            #expect(try await send(mock, .get, "/v3/contacts/fourth%40example.org").json["id"] == .number(String(id)))
            #expect(try await send(mock, .post, "/v3/contacts", #"{"email":"fourth@example.org","attributes":{"FIRSTNAME":"F"},"updateEnabled":true}"#).status == 204)

            #expect(try await mock.request(.post, "/__mock/reset", headers: []).status == 204)
            #expect(try await status("fourth@example.org") == 404)
            #expect(try await status("first@example.org") == 404)
            let loaded = try #require(try await mock.users().first?["email"]?.string)
            #expect(try await status(loaded.uppercased()) == 200)
            #expect(try await send(mock, .post, "/v3/contacts", #"{"email":"fourth@example.org"}"#).status == 201)
        }
    }
}
