import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Klaviyo mock's profile endpoints, with documents as Klaviyo's reference shows them.
@Suite("Klaviyo mock: profiles")
struct KlaviyoMockTests {
    static let auth = [("Authorization", "Klaviyo-API-Key pk_test"), ("revision", "2024-10-15")]
    /// The first user of `fixtures/apps/klaviyo-users.json`.
    static let firstId = "01HZK7Q3M9PX000000000000Z8"

    func send(_ mock: MockHarness, _ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> MockHarness.Answer {
        try await mock.request(method, path, body: body, contentType: "application/vnd.api+json", headers: Self.auth)
    }

    /// A JSON:API create body for `email` with `attributes` JSON members added.
    func profileBody(_ email: String, _ more: String = "") -> String {
        #"{"data":{"type":"profile","attributes":{"email":"\#(email)"\#(more.isEmpty ? "" : "," + more)}}}"#
    }

    /// The first error object of a Klaviyo error document.
    func firstError(_ answer: MockHarness.Answer) -> JSONValue? { answer.json["errors"]?[0] }

    @Test(arguments: [String?.none, "Bearer pk_test", "Klaviyo-API-Key ", "pk_test"])
    func missingOrMalformedKeyIsKlaviyos401(_ authorization: String?) async throws {
        try await withMock(.klaviyo, options: appOptions("klaviyo")) { mock in
            var headers = [("revision", "2024-10-15")]
            if let authorization { headers.append(("Authorization", authorization)) }
            let answer = try await mock.request(.get, "/api/profiles", headers: headers)
            #expect(answer.status == 401)
            #expect(answer.headers["Content-Type"] == "application/vnd.api+json")
            let error = try #require(firstError(answer))
            #expect(error["code"] == "not_authenticated")
            #expect(error["status"] == 401)
            #expect(error["title"] == "Authentication credentials were not provided.")
            #expect(error["id"]?.string != nil)
        }
    }

    @Test func tokenFlagAcceptsOnlyThatKey() async throws {
        try await withMock(.klaviyo, options: appOptions("klaviyo") { $0.token = "pk_right" }) { mock in
            let wrong = try await send(mock, .get, "/api/profiles")
            #expect(wrong.status == 401)
            #expect(firstError(wrong)?["code"] == "authentication_failed")
            let right = try await mock.request(.get, "/api/profiles", headers: [("Authorization", "Klaviyo-API-Key pk_right"), ("revision", "2024-10-15")])
            #expect(right.status == 200)
        }
    }

    @Test func missingRevisionIsA400NamingTheHeader() async throws {
        try await withMock(.klaviyo, options: appOptions("klaviyo")) { mock in
            let answer = try await mock.request(.get, "/api/profiles", headers: [("Authorization", "Klaviyo-API-Key pk_test")])
            #expect(answer.status == 400)
            #expect(firstError(answer)?["code"] == "invalid")
            #expect(firstError(answer)?["source"]?["parameter"] == "revision")
        }
    }

    @Test func getOneAndNotFound() async throws {
        try await withMock(.klaviyo, options: appOptions("klaviyo")) { mock in
            let users = try await mock.users()
            let id = try #require(users.first?["id"]?.string)
            let answer = try await send(mock, .get, "/api/profiles/\(id)")
            #expect(answer.status == 200)
            #expect(answer.headers["Content-Type"] == "application/vnd.api+json")
            #expect(answer.json["data"]?["type"] == "profile")
            #expect(answer.json["data"]?["id"] == .string(id))
            #expect(answer.json["data"]?["attributes"]?["email"] == users.first?["attributes"]?["email"])
            #expect(answer.json["data"]?["attributes"]?["location"]?["city"] == .null)
            #expect(answer.json["links"]?["self"]?.string?.hasSuffix("/api/profiles/\(id)/") == true)

            let missing = try await send(mock, .get, "/api/profiles/01NOPE")
            #expect(missing.status == 404)
            #expect(firstError(missing)?["code"] == "not_found")
        }
    }

    @Test func filterAnyAndEqualsByEmail() async throws {
        try await withMock(.klaviyo, options: appOptions("klaviyo")) { mock in
            let users = try await mock.users()
            let emails = users.prefix(3).compactMap { $0["attributes"]?["email"]?.string }
            let list = emails.map { "\"\($0.uppercased())\"" } + ["\"nobody@example.org\""]
            let any = "any(email,[\(list.joined(separator: ","))])"
            let answer = try await send(mock, .get, "/api/profiles?filter=\(FormEscape.query(any))")
            #expect(answer.status == 200)
            #expect(answer.json["data"]?.array.compactMap { $0["attributes"]?["email"]?.string } == emails)
            #expect(answer.json["links"]?["next"] == .null)

            let equals = try await send(mock, .get, "/api/profiles?filter=\(FormEscape.query("equals(email,\"\(emails[1])\")"))")
            #expect(equals.json["data"]?.array.count == 1)

            let bad = try await send(mock, .get, "/api/profiles?filter=\(FormEscape.query("contains(email,\"x\")"))")
            #expect(bad.status == 400)
            #expect(firstError(bad)?["source"]?["parameter"] == "filter")
        }
    }

    @Test func pagingFollowsLinksNext() async throws {
        try await withMock(.klaviyo, options: appOptions("klaviyo")) { mock in
            var path: String? = "/api/profiles?page%5Bsize%5D=20"
            var seen: [String] = []
            var pages = 0
            while let next = path {
                let answer = try await send(mock, .get, next)
                #expect(answer.status == 200)
                seen += answer.json["data"]?.array.compactMap { $0["id"]?.string } ?? []
                pages += 1
                path = answer.json["links"]?["next"]?.string.map { String($0.dropFirst(mock.server.origin.count)) }
            }
            #expect(pages == 3)
            #expect(seen == (try await mock.users()).compactMap { $0["id"]?.string })

            let tooBig = try await send(mock, .get, "/api/profiles?page[size]=101")
            #expect(tooBig.status == 400)
            #expect(firstError(tooBig)?["source"]?["parameter"] == "page[size]")
        }
    }

    @Test func createThenDuplicateIs409WithTheExistingId() async throws {
        try await withMock(.klaviyo) { mock in
            let created = try await send(mock, .post, "/api/profiles", profileBody("ada@example.org", #""first_name":"Ada","properties":{"plan":"pro"}"#))
            #expect(created.status == 201)
            let id = try #require(created.json["data"]?["id"]?.string)
            #expect(id.count == 26)
            #expect(created.json["data"]?["attributes"]?["first_name"] == "Ada")
            #expect(created.json["data"]?["attributes"]?["properties"]?["plan"] == "pro")
            #expect(created.json["data"]?["attributes"]?["created"]?.string?.hasSuffix("+00:00") == true)

            let duplicate = try await send(mock, .post, "/api/profiles", profileBody("ADA@example.org"))
            #expect(duplicate.status == 409)
            #expect(firstError(duplicate)?["code"] == "duplicate_profile")
            #expect(firstError(duplicate)?["meta"]?["duplicate_profile_id"] == .string(id))
            #expect(try await mock.users().count == 1)
        }
    }

    @Test(arguments: [
        (#"{"data":{"type":"profile","attributes":{"email":"not-an-email"}}}"#, "/data/attributes/email"),
        (#"{"data":{"type":"profile","attributes":{"first_name":"NoIdentifier"}}}"#, "/data/attributes"),
        (#"{"data":{"type":"profile","attributes":{"email":"a@example.org","nickname":"x"}}}"#, "/data/attributes/nickname"),
        (#"{"data":{"type":"event","attributes":{"email":"a@example.org"}}}"#, "/data/type"),
        (#"{"data":{"type":"profile","attributes":{"email":"a@example.org","location":"Rome"}}}"#, "/data/attributes/location"),
    ])
    func invalidCreatesAre400WithAPointer(_ body: String, _ pointer: String) async throws {
        try await withMock(.klaviyo) { mock in
            let answer = try await send(mock, .post, "/api/profiles", body)
            #expect(answer.status == 400)
            #expect(firstError(answer)?["code"] == "invalid")
            #expect(firstError(answer)?["source"]?["pointer"] == .string(pointer))
        }
    }

    @Test func patchSetsClearsAndLeaves() async throws {
        try await withMock(.klaviyo) { mock in
            let created = try await send(mock, .post, "/api/profiles", profileBody(
                "bob@example.org", #""first_name":"Bob","last_name":"Stone","location":{"city":"Rome"},"properties":{"plan":"free","vip":true}"#))
            let id = try #require(created.json["data"]?["id"]?.string)
            let patch = #"{"data":{"type":"profile","id":"\#(id)","attributes":{"first_name":"Robert","last_name":null,"properties":{"plan":"pro","vip":null}}}}"#
            let answer = try await send(mock, .patch, "/api/profiles/\(id)", patch)
            #expect(answer.status == 200)
            let attributes = answer.json["data"]?["attributes"]
            #expect(attributes?["first_name"] == "Robert")
            #expect(attributes?["last_name"] == .null)
            #expect(attributes?["email"] == "bob@example.org")
            #expect(attributes?["location"]?["city"] == "Rome")
            #expect(attributes?["properties"] == ["plan": "pro"])

            let wrongId = try await send(mock, .patch, "/api/profiles/\(id)", #"{"data":{"type":"profile","id":"other","attributes":{}}}"#)
            #expect(wrongId.status == 400)
            let missing = try await send(mock, .patch, "/api/profiles/01NOPE", #"{"data":{"type":"profile","id":"01NOPE","attributes":{}}}"#)
            #expect(missing.status == 404)

            let other = try await send(mock, .post, "/api/profiles", profileBody("carol@example.org"))
            let otherId = try #require(other.json["data"]?["id"]?.string)
            let taking = #"{"data":{"type":"profile","id":"\#(otherId)","attributes":{"email":"bob@example.org"}}}"#
            let conflict = try await send(mock, .patch, "/api/profiles/\(otherId)", taking)
            #expect(conflict.status == 409)
            #expect(firstError(conflict)?["meta"]?["duplicate_profile_id"] == .string(id))
        }
    }

    @Test func rateLimitHeadersThen429WithRetryAfter() async throws {
        let time = MockClock.Manual()
        let options = appOptions("klaviyo") {
            $0.rateLimit = .custom(count: 3, window: .seconds(1))
            $0.clock = .manual(time)
        }
        try await withMock(.klaviyo, options: options) { mock in
            for remaining in [2, 1, 0] {
                let answer = try await send(mock, .get, "/api/profiles?page[size]=1")
                #expect(answer.status == 200)
                #expect(answer.headers["RateLimit-Limit"] == "3")
                #expect(answer.headers["RateLimit-Remaining"] == String(remaining))
                #expect(answer.headers["RateLimit-Reset"] == "1")
            }
            let refused = try await send(mock, .get, "/api/profiles?page[size]=1")
            #expect(refused.status == 429)
            #expect(refused.headers["Retry-After"] == "1")
            #expect(refused.headers["RateLimit-Remaining"] == nil)  // Klaviyo leaves them off a 429
            #expect(firstError(refused)?["code"] == "throttled")

            time.advance(by: .seconds(1))
            let again = try await send(mock, .get, "/api/profiles?page[size]=1")
            #expect(again.status == 200)
            #expect(again.headers["RateLimit-Remaining"] == "2")
        }
    }

    @Test func defaultBurstIs75PerSecond() async throws {
        let time = MockClock.Manual()
        try await withMock(.klaviyo, options: appOptions("klaviyo") { $0.clock = .manual(time) }) { mock in
            var statuses: [Int] = []
            for _ in 0..<76 { statuses.append(try await send(mock, .get, "/api/profiles/\(Self.firstId)").status) }
            #expect(statuses.prefix(75).allSatisfy { $0 == 200 || $0 == 404 })
            #expect(statuses.last == 429)

            // A second later the burst window is free again, while the steady one (700 per
            // minute, the one the headers describe) still holds the first 75.
            time.advance(by: .seconds(1))
            let next = try await send(mock, .get, "/api/profiles/\(Self.firstId)")
            #expect(next.status == 200 || next.status == 404)
            #expect(next.headers["RateLimit-Remaining"] == "624")
        }
    }

    /// Filters and the uniqueness check read an identifier index (a scan per write made a 100k
    /// soak quadratic): after an update moves an email or clears a phone, and after a reset, the
    /// index must say what a scan would.
    @Test func identifierIndexFollowsUpdatesAndReset() async throws {
        try await withMock(.klaviyo, options: appOptions("klaviyo") { $0.rateLimit = .off }) { mock in
            func ids(_ filter: String) async throws -> [String] {
                let answer = try await send(mock, .get, "/api/profiles?filter=\(FormEscape.query(filter))&page[size]=100")
                #expect(answer.status == 200)
                return answer.json["data"]?.array.compactMap { $0["id"]?.string } ?? []
            }
            let loaded = try #require(try await mock.users().first?["attributes"]?["email"]?.string)
            #expect(try await ids("equals(email,\"\(loaded.uppercased())\")") == [Self.firstId])

            let first = try await send(mock, .post, "/api/profiles", profileBody("Moving@Example.org", #""phone_number":"+15550000001""#))
            let id = try #require(first.json["data"]?["id"]?.string)
            let patch = #"{"data":{"type":"profile","id":"\#(id)","attributes":{"email":"moved@example.org","phone_number":null}}}"#
            #expect(try await send(mock, .patch, "/api/profiles/\(id)", patch).status == 200)
            #expect(try await ids("equals(email,\"moving@example.org\")").isEmpty)
            #expect(try await ids("equals(email,\"MOVED@example.org\")") == [id])
            #expect(try await ids("equals(phone_number,\"+15550000001\")").isEmpty)
            // The old email and phone are free again; the new email is taken.
            let reuse = try await send(mock, .post, "/api/profiles", profileBody("moving@example.org", #""phone_number":"+15550000001""#))
            #expect(reuse.status == 201)
            let second = try #require(reuse.json["data"]?["id"]?.string)
            let taken = try await send(mock, .post, "/api/profiles", profileBody("Moved@example.org"))
            #expect(taken.status == 409)
            #expect(firstError(taken)?["meta"]?["duplicate_profile_id"] == .string(id))
            // A PATCH keeping its own email is no conflict with itself.
            let same = #"{"data":{"type":"profile","id":"\#(id)","attributes":{"email":"moved@example.org","first_name":"M"}}}"#
            #expect(try await send(mock, .patch, "/api/profiles/\(id)", same).status == 200)
            // Several values come in creation order, whatever order they are asked in; AND still applies.
            #expect(try await ids("any(email,[\"moving@example.org\",\"moved@example.org\"])") == [id, second])
            #expect(try await ids("any(email,[\"moving@example.org\",\"moved@example.org\"]),equals(id,\"\(second)\")") == [second])
            #expect(try await ids("any(id,[\"\(second)\",\"\(id)\",\"01NOPE\"])") == [id, second])

            #expect(try await mock.request(.post, "/__mock/reset", headers: []).status == 204)
            #expect(try await ids("equals(email,\"moved@example.org\")").isEmpty)
            #expect(try await send(mock, .post, "/api/profiles", profileBody("moved@example.org")).status == 201)
            #expect(try await send(mock, .post, "/api/profiles", profileBody(loaded)).status == 409)
            #expect(try await ids("equals(email,\"\(loaded)\")") == [Self.firstId])
        }
    }
}

/// Percent-encoding for query values in tests.
enum FormEscape {
    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
