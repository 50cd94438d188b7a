import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Intercom mock's contact endpoints: search with IN and cursor paging, create with 409,
/// update, users and leads, error lists and rate-limit headers.
@Suite("Intercom mock: contacts")
struct IntercomMockTests {
    static let auth = [("Authorization", "Bearer dG9rOmFiYw=="), ("Intercom-Version", "2.11")]

    func send(_ mock: MockHarness, _ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> MockHarness.Answer {
        try await mock.request(method, path, body: body, headers: Self.auth)
    }

    func searchBody(_ emails: [String], perPage: Int = 150, after: String? = nil) -> String {
        let values = emails.map { "\"\($0)\"" }.joined(separator: ",")
        let cursor = after.map { #","starting_after":"\#($0)""# } ?? ""
        return #"{"query":{"field":"email","operator":"IN","value":[\#(values)]},"pagination":{"per_page":\#(perPage)\#(cursor)}}"#
    }

    func firstError(_ answer: MockHarness.Answer) -> JSONValue? { answer.json["errors"]?[0] }

    @Test(arguments: [String?.none, "Basic abc", "Bearer "])
    func missingOrMalformedTokenIsIntercoms401(_ authorization: String?) async throws {
        try await withMock(.intercom, options: appOptions("intercom")) { mock in
            var headers = [("Intercom-Version", "2.11")]
            if let authorization { headers.append(("Authorization", authorization)) }
            let answer = try await mock.request(.get, "/contacts/65a100000000000000000001", headers: headers)
            #expect(answer.status == 401)
            #expect(answer.json["type"] == "error.list")
            #expect(firstError(answer)?["code"] == "unauthorized")
            #expect(firstError(answer)?["message"] == "Access Token Invalid")
        }
    }

    @Test func versionHeaderMayBeOmittedButNotMalformed() async throws {
        try await withMock(.intercom, options: appOptions("intercom")) { mock in
            let path = "/contacts/65a100000000000000000001"
            #expect(try await mock.request(.get, path, headers: [("Authorization", "Bearer t")]).status == 200)
            let bad = try await mock.request(.get, path, headers: [("Authorization", "Bearer t"), ("Intercom-Version", "latest")])
            #expect(bad.status == 400)
            #expect(firstError(bad)?["code"] == "intercom_version_invalid")
        }
    }

    @Test func searchInFindsUsersAndLeadsSharingAnEmail() async throws {
        try await withMock(.intercom, options: appOptions("intercom")) { mock in
            let users = try await mock.users()
            let lead = try #require(users.first { $0["role"] == "lead" })
            let email = try #require(lead["email"]?.string)
            let answer = try await send(mock, .post, "/contacts/search", searchBody([email.uppercased(), "nobody@example.org"]))
            #expect(answer.status == 200)
            #expect(answer.json["type"] == "list")
            let roles = answer.json["data"]?.array.compactMap { $0["role"]?.string }.sorted()
            #expect(roles == ["lead", "user"])
            #expect(answer.json["total_count"] == 2)
            #expect(answer.json["pages"]?["type"] == "pages")
            #expect(answer.json["pages"]?["next"] == nil)
        }
    }

    @Test func searchPagesWithStartingAfter() async throws {
        try await withMock(.intercom, options: appOptions("intercom")) { mock in
            let emails = Array(Set(try await mock.users().compactMap { $0["email"]?.string }))
            var after: String?
            var seen: [String] = []
            var pages = 0
            repeat {
                let answer = try await send(mock, .post, "/contacts/search", searchBody(emails, perPage: 20, after: after))
                #expect(answer.status == 200)
                seen += answer.json["data"]?.array.compactMap { $0["id"]?.string } ?? []
                after = answer.json["pages"]?["next"]?["starting_after"]?.string
                pages += 1
            } while after != nil
            #expect(pages == 3)
            #expect(seen == (try await mock.users()).compactMap { $0["id"]?.string })

            let tooMany = try await send(mock, .post, "/contacts/search", searchBody(emails, perPage: 151))
            #expect(tooMany.status == 400)
            #expect(firstError(tooMany)?["code"] == "parameter_invalid")
        }
    }

    @Test func createUserThenConflictCarriesTheId() async throws {
        try await withMock(.intercom) { mock in
            let created = try await send(mock, .post, "/contacts", #"{"role":"user","email":"ada@example.org","name":"Ada","custom_attributes":{"plan":"pro"}}"#)
            #expect(created.status == 200)
            let id = try #require(created.json["id"]?.string)
            #expect(created.json["type"] == "contact")
            #expect(created.json["custom_attributes"]?["plan"] == "pro")
            #expect(created.json["created_at"]?.int != nil)

            let conflict = try await send(mock, .post, "/contacts", #"{"email":"ADA@example.org"}"#)
            #expect(conflict.status == 409)
            #expect(firstError(conflict)?["code"] == "conflict")
            #expect(firstError(conflict)?["message"] == .string("A contact matching those details already exists with id=\(id)"))

            // A lead may share the email.
            let lead = try await send(mock, .post, "/contacts", #"{"role":"lead","email":"ada@example.org"}"#)
            #expect(lead.status == 200)
            #expect(try await mock.users().count == 2)

            let nothing = try await send(mock, .post, "/contacts", #"{"name":"Nobody"}"#)
            #expect(nothing.status == 400)
        }
    }

    @Test func updateSetsClearsMergesAndConflicts() async throws {
        try await withMock(.intercom) { mock in
            let ada = try await send(mock, .post, "/contacts", #"{"email":"ada@example.org","name":"Ada","phone":"+1555","custom_attributes":{"plan":"pro","vip":true}}"#)
            let bob = try await send(mock, .post, "/contacts", #"{"email":"bob@example.org"}"#)
            let id = try #require(ada.json["id"]?.string)
            let updated = try await send(mock, .put, "/contacts/\(id)", #"{"name":"Ada L.","phone":null,"custom_attributes":{"plan":"enterprise"}}"#)
            #expect(updated.status == 200)
            #expect(updated.json["name"] == "Ada L.")
            #expect(updated.json["phone"] == .null)
            #expect(updated.json["email"] == "ada@example.org")
            #expect(updated.json["custom_attributes"] == ["plan": "enterprise", "vip": true])
            #expect(try await send(mock, .get, "/contacts/\(id)").json == updated.json)

            let bobId = try #require(bob.json["id"]?.string)
            let taking = try await send(mock, .put, "/contacts/\(bobId)", #"{"email":"ada@example.org"}"#)
            #expect(taking.status == 409)
            #expect(firstError(taking)?["message"]?.string?.hasSuffix("id=\(id)") == true)

            let missing = try await send(mock, .put, "/contacts/nope", #"{"name":"x"}"#)
            #expect(missing.status == 404)
            #expect(firstError(missing)?["code"] == "not_found")
        }
    }

    @Test func rateLimitHeadersCarryAUnixResetThen429() async throws {
        // On a clock stopped at a known Unix time, the reset times are exact.
        let time = MockClock.Manual(date: Date(timeIntervalSince1970: 1_700_000_000))
        let options = appOptions("intercom") {
            $0.rateLimit = .custom(count: 2, window: .seconds(10))
            $0.clock = .manual(time)
        }
        try await withMock(.intercom, options: options) { mock in
            let first = try await send(mock, .get, "/contacts/65a100000000000000000001")
            #expect(first.headers["X-RateLimit-Limit"] == "2")
            #expect(first.headers["X-RateLimit-Remaining"] == "1")
            #expect(first.headers["X-RateLimit-Reset"] == "1700000010")
            time.advance(by: .seconds(4))
            _ = try await send(mock, .get, "/contacts/65a100000000000000000001")
            let refused = try await send(mock, .get, "/contacts/65a100000000000000000001")
            #expect(refused.status == 429)
            #expect(firstError(refused)?["code"] == "rate_limit_exceeded")
            #expect(refused.headers["X-RateLimit-Remaining"] == "0")
            // The first request leaves the window 10 s after it was made: 6 s from now.
            #expect(refused.headers["X-RateLimit-Reset"] == "1700000010")
        }
    }

    @Test func searchLagsCreates() async throws {
        let time = MockClock.Manual()
        let options = try appOptions("intercom") {
            $0.faults = try FaultSpec.parse("search-lag=300ms")
            $0.clock = .manual(time)
        }
        try await withMock(.intercom, options: options) { mock in
            let created = try await send(mock, .post, "/contacts", #"{"email":"late@example.org"}"#)
            #expect(created.status == 200)
            #expect(try await send(mock, .post, "/contacts/search", searchBody(["late@example.org"])).json["total_count"] == 0)
            time.advance(by: .milliseconds(299))
            #expect(try await send(mock, .post, "/contacts/search", searchBody(["late@example.org"])).json["total_count"] == 0)
            time.advance(by: .milliseconds(1))
            #expect(try await send(mock, .post, "/contacts/search", searchBody(["late@example.org"])).json["total_count"] == 1)
        }
    }

    /// Search and the users' uniqueness read indexes (a scan per write made a 100k soak
    /// quadratic): a user and a lead share an email, an update moves it, the index lags with the
    /// search, and a reset empties it, each exactly as a scan would see it.
    @Test func searchIndexFollowsLeadsUpdatesLagAndReset() async throws {
        let time = MockClock.Manual()
        let options = try appOptions("intercom") {
            $0.faults = try FaultSpec.parse("search-lag=300ms")
            $0.clock = .manual(time)
            $0.rateLimit = .off
        }
        try await withMock(.intercom, options: options) { mock in
            func ids(_ emails: [String]) async throws -> [String] {
                let answer = try await send(mock, .post, "/contacts/search", searchBody(emails))
                #expect(answer.status == 200)
                return answer.json["data"]?.array.compactMap { $0["id"]?.string } ?? []
            }
            let user = try #require(try await send(mock, .post, "/contacts", #"{"email":"Shared@Example.org"}"#).json["id"]?.string)
            let lead = try #require(try await send(mock, .post, "/contacts", #"{"role":"lead","email":"shared@example.org"}"#).json["id"]?.string)
            #expect(try await ids(["shared@example.org"]).isEmpty)  // not searchable yet
            time.advance(by: .milliseconds(300))
            #expect(try await ids(["SHARED@example.org"]) == [user, lead])

            #expect(try await send(mock, .put, "/contacts/\(user)", #"{"email":"moved@example.org"}"#).status == 200)
            // Until the lag has passed, search still sees the old email.
            #expect(try await ids(["shared@example.org"]) == [user, lead])
            #expect(try await ids(["moved@example.org"]).isEmpty)
            time.advance(by: .milliseconds(300))
            #expect(try await ids(["shared@example.org"]) == [lead])
            #expect(try await ids(["moved@example.org", "shared@example.org"]) == [user, lead])
            let byId = #"{"query":{"operator":"OR","value":[{"field":"id","operator":"=","value":"\#(lead)"},{"field":"email","operator":"=","value":"moved@example.org"}]}}"#
            #expect(try await send(mock, .post, "/contacts/search", byId).json["data"]?.array.compactMap { $0["id"]?.string } == [user, lead])

            // The users' uniqueness is checked at once: the old email is free, the new one taken.
            let again = try await send(mock, .post, "/contacts", #"{"email":"shared@example.org"}"#)
            #expect(again.status == 200)
            let taken = try await send(mock, .post, "/contacts", #"{"email":"Moved@example.org"}"#)
            #expect(taken.status == 409)
            #expect(firstError(taken)?["message"]?.string?.hasSuffix("with id=\(user)") == true)
            // A lead turned user meets the user holding its email; a user keeping its own email does not.
            #expect(try await send(mock, .put, "/contacts/\(lead)", #"{"role":"user"}"#).status == 409)
            #expect(try await send(mock, .put, "/contacts/\(user)", #"{"email":"moved@example.org","name":"M"}"#).status == 200)

            #expect(try await mock.request(.post, "/__mock/reset", headers: []).status == 204)
            #expect(try await ids(["moved@example.org", "shared@example.org"]).isEmpty)
            #expect(try await send(mock, .post, "/contacts", #"{"email":"moved@example.org"}"#).status == 200)
            let users = try await mock.users()
            let loaded = try #require(users.first { $0["role"] == "user" }?["email"]?.string)
            #expect(try await send(mock, .post, "/contacts", #"{"email":"\#(loaded)"}"#).status == 409)
            let holders = users.filter { $0["email"]?.string?.lowercased() == loaded.lowercased() }.compactMap { $0["id"]?.string }
            #expect(try await ids([loaded]) == holders)
        }
    }
}
