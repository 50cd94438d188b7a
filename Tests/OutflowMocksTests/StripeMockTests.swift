import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Stripe mock's customer endpoints: form-encoded writes, search, idempotency, errors.
@Suite("Stripe mock: customers")
struct StripeMockTests {
    static let auth = [("Authorization", "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc")]
    static let form = "application/x-www-form-urlencoded"

    func send(_ mock: MockHarness, _ method: HTTPMethod, _ path: String, _ body: String? = nil, headers: [(String, String)] = []) async throws
        -> MockHarness.Answer
    {
        try await mock.request(method, path, body: body, contentType: Self.form, headers: Self.auth + headers)
    }

    func search(_ mock: MockHarness, _ query: String) async throws -> MockHarness.Answer {
        try await send(mock, .get, "/v1/customers/search?query=\(FormEscape.query(query))")
    }

    @Test func missingKeyIsStripes401AndBasicAuthWorks() async throws {
        try await withMock(.stripe, options: appOptions("stripe")) { mock in
            let missing = try await mock.request(.get, "/v1/customers/cus_x", headers: [])
            #expect(missing.status == 401)
            #expect(missing.json["error"]?["type"] == "invalid_request_error")
            #expect(missing.json["error"]?["message"]?.string?.hasPrefix("You did not provide an API key.") == true)
            #expect(missing.headers["WWW-Authenticate"] == #"Bearer realm="Stripe""#)
            let basic = "Basic " + Data("sk_test_abc:".utf8).base64EncodedString()
            let users = try await mock.users()
            let id = try #require(users.first?["id"]?.string)
            #expect(try await mock.request(.get, "/v1/customers/\(id)", headers: [("Authorization", basic)]).status == 200)
        }
        try await withMock(.stripe, options: appOptions("stripe") { $0.token = "sk_test_right" }) { mock in
            let wrong = try await send(mock, .get, "/v1/customers/cus_x")
            #expect(wrong.status == 401)
            #expect(wrong.json["error"]?["message"]?.string?.hasPrefix("Invalid API Key provided: sk_test_") == true)
        }
    }

    @Test func createRetrieveUpdateWithBracketSyntax() async throws {
        try await withMock(.stripe) { mock in
            let created = try await send(
                mock, .post, "/v1/customers", "email=ada%40example.org&name=Ada+Lovelace&metadata%5Bplan%5D=pro&metadata[vip]=yes&address[city]=London")
            #expect(created.status == 200)
            #expect(created.headers["Request-Id"]?.hasPrefix("req_") == true)
            let customer = created.json
            let id = try #require(customer["id"]?.string)
            #expect(id.hasPrefix("cus_"))
            #expect(customer["object"] == "customer")
            #expect(customer["name"] == "Ada Lovelace")
            #expect(customer["metadata"] == ["plan": "pro", "vip": "yes"])
            #expect(customer["address"]?["city"] == "London")
            #expect(customer["address"]?["line1"] == .null)
            #expect(customer["livemode"] == false)

            let got = try await send(mock, .get, "/v1/customers/\(id)")
            #expect(got.json == customer)

            let updated = try await send(mock, .post, "/v1/customers/\(id)", "name=&metadata[vip]=&metadata[plan]=enterprise&phone=%2B441234")
            #expect(updated.status == 200)
            #expect(updated.json["name"] == .null)
            #expect(updated.json["email"] == "ada@example.org")
            #expect(updated.json["metadata"] == ["plan": "enterprise"])
            #expect(updated.json["phone"] == "+441234")
        }
    }

    @Test(arguments: [
        ("nickname=Ada", 400, "parameter_unknown", "nickname"),
        ("email=not-an-email", 400, "email_invalid", "email"),
        ("balance=lots", 400, "parameter_invalid_integer", "balance"),
        ("address[planet]=Mars", 400, "parameter_unknown", "address[planet]"),
    ])
    func invalidParametersAreNamed(_ body: String, _ status: Int, _ code: String, _ param: String) async throws {
        try await withMock(.stripe) { mock in
            let answer = try await send(mock, .post, "/v1/customers", body)
            #expect(answer.status == status)
            #expect(answer.json["error"]?["type"] == "invalid_request_error")
            #expect(answer.json["error"]?["code"] == .string(code))
            #expect(answer.json["error"]?["param"] == .string(param))
        }
    }

    @Test func missingCustomerIsResourceMissing() async throws {
        try await withMock(.stripe) { mock in
            for (method, body) in [(HTTPMethod.get, String?.none), (.post, "name=x")] {
                let answer = try await send(mock, method, "/v1/customers/cus_nope", body)
                #expect(answer.status == 404)
                #expect(answer.json["error"]?["code"] == "resource_missing")
                #expect(answer.json["error"]?["param"] == "id")
                #expect(answer.json["error"]?["message"] == "No such customer: 'cus_nope'")
            }
        }
    }

    @Test func idempotencyKeyReplaysTheSameRequestAndRefusesADifferentOne() async throws {
        try await withMock(.stripe) { mock in
            let key = [("Idempotency-Key", "pipeline-7:ada@example.org:9f2c")]
            let first = try await send(mock, .post, "/v1/customers", "email=ada%40example.org&metadata[plan]=pro", headers: key)
            #expect(first.status == 200)
            #expect(first.headers["Idempotent-Replayed"] == nil)
            // Same parameters in another order: the same request.
            let again = try await send(mock, .post, "/v1/customers", "metadata[plan]=pro&email=ada%40example.org", headers: key)
            #expect(again.status == 200)
            #expect(again.headers["Idempotent-Replayed"] == "true")
            #expect(again.json == first.json)
            #expect(try await mock.users().count == 1)

            let different = try await send(mock, .post, "/v1/customers", "email=bob%40example.org", headers: key)
            #expect(different.status == 400)
            #expect(different.json["error"]?["type"] == "idempotency_error")
            #expect(different.headers["Stripe-Should-Retry"] == "false")
            #expect(try await mock.users().count == 1)
        }
    }

    @Test func aLostAnswerIsReplayedOnRetryWithTheKey() async throws {
        let options = try appOptions("stripe") { $0.faults = try FaultSpec.parse("drop-after-apply=1") }
        try await withMock(.stripe, options: options) { mock in
            let before = try await mock.users().count
            for _ in 0..<2 {
                await #expect(throws: HTTPError.self) {
                    _ = try await send(mock, .post, "/v1/customers", "email=ghost%40example.org", headers: [("Idempotency-Key", "k1")])
                }
            }
            #expect(try await mock.users().count == before + 1)
        }
    }

    @Test func searchByEmailFindsEveryCustomerWithIt() async throws {
        try await withMock(.stripe, options: appOptions("stripe")) { mock in
            let users = try await mock.users()
            let emails = users.compactMap { $0["email"]?.string }
            let repeated = try #require(emails.first { email in emails.filter { $0 == email }.count == 2 })
            let answer = try await search(mock, "email:'\(repeated.uppercased())'")
            #expect(answer.status == 200)
            #expect(answer.json["object"] == "search_result")
            #expect(answer.json["url"] == "/v1/customers/search")
            #expect(answer.json["data"]?.array.count == 2)
            #expect(answer.json["has_more"] == false)
            #expect(answer.json["next_page"] == .null)

            let two = try await search(mock, "email:'\(emails[0])' OR email:'\(emails[1])'")
            #expect(Set(two.json["data"]?.array.compactMap { $0["email"]?.string } ?? []) == Set(emails.prefix(2)))

            let plan = try await search(mock, "metadata['plan']:'pro'")
            #expect(plan.json["data"]?.array.allSatisfy { $0["metadata"]?["plan"] == "pro" } == true)

            let mixed = try await search(mock, "email:'a@b.c' OR name:'x' AND phone:'1'")
            #expect(mixed.status == 400)
            #expect(mixed.json["error"]?["param"] == "query")
        }
    }

    @Test func searchPagesWithNextPage() async throws {
        try await withMock(.stripe, options: appOptions("stripe")) { mock in
            var path: String? = "/v1/customers/search?limit=25&query=\(FormEscape.query("email~'example'"))"
            var seen = 0
            while let next = path {
                let answer = try await send(mock, .get, next)
                #expect(answer.status == 200)
                seen += answer.json["data"]?.array.count ?? 0
                path = answer.json["next_page"]?.string.map { "/v1/customers/search?limit=25&page=\($0)&query=\(FormEscape.query("email~'example'"))" }
            }
            let all = try await mock.users().filter { $0["email"]?.string?.contains("example") == true }.count
            #expect(seen == all)
        }
    }

    @Test func searchLagsWritesWhileReadsByIdDoNot() async throws {
        let time = MockClock.Manual()
        let options = try appOptions("stripe") {
            $0.faults = try FaultSpec.parse("search-lag=400ms")
            $0.clock = .manual(time)
        }
        try await withMock(.stripe, options: options) { mock in
            let created = try await send(mock, .post, "/v1/customers", "email=late%40example.org")
            let id = try #require(created.json["id"]?.string)
            #expect(try await search(mock, "email:'late@example.org'").json["data"]?.array.isEmpty == true)
            #expect(try await send(mock, .get, "/v1/customers/\(id)").status == 200)
            #expect(try await send(mock, .get, "/v1/customers?email=late%40example.org").json["data"]?.array.count == 1)
            time.advance(by: .milliseconds(399))
            #expect(try await search(mock, "email:'late@example.org'").json["data"]?.array.isEmpty == true)
            time.advance(by: .milliseconds(1))
            #expect(try await search(mock, "email:'late@example.org'").json["data"]?.array.count == 1)
        }
    }

    @Test func rateLimitIs429WithStripeShouldRetry() async throws {
        let time = MockClock.Manual()
        let options = appOptions("stripe") {
            $0.rateLimit = .custom(count: 3, window: .seconds(1))
            $0.clock = .manual(time)
        }
        try await withMock(.stripe, options: options) { mock in
            for _ in 0..<3 { #expect(try await send(mock, .get, "/v1/customers?limit=1").status == 200) }
            let refused = try await send(mock, .get, "/v1/customers?limit=1")
            #expect(refused.status == 429)
            #expect(refused.json["error"]?["code"] == "rate_limit")
            #expect(refused.headers["Stripe-Should-Retry"] == "true")
            time.advance(by: .seconds(1))
            #expect(try await send(mock, .get, "/v1/customers?limit=1").status == 200)
        }
    }

    @Test func searchHasItsOwnTwentyPerSecond() async throws {
        let time = MockClock.Manual()
        try await withMock(.stripe, options: appOptions("stripe") { $0.clock = .manual(time) }) { mock in
            var statuses: [Int] = []
            for _ in 0..<21 { statuses.append(try await search(mock, "email:'x@example.org'").status) }
            #expect(statuses == Array(repeating: 200, count: 20) + [429])
            let list = try await send(mock, .get, "/v1/customers?limit=1")
            #expect(list.status == 200)
            time.advance(by: .seconds(1))
            #expect(try await search(mock, "email:'x@example.org'").status == 200)
        }
    }

    /// The list by email and search read indexes (a scan per lookup made a 100k soak quadratic):
    /// customers sharing an email, an update moving email and name, the search lag and a reset
    /// must each read as a scan would.
    @Test func searchAndListIndexesFollowUpdatesLagAndReset() async throws {
        let time = MockClock.Manual()
        let options = try appOptions("stripe") {
            $0.faults = try FaultSpec.parse("search-lag=400ms")
            $0.clock = .manual(time)
            $0.rateLimit = .off
        }
        try await withMock(.stripe, options: options) { mock in
            func found(_ query: String) async throws -> [String] {
                let answer = try await search(mock, query)
                #expect(answer.status == 200)
                return answer.json["data"]?.array.compactMap { $0["id"]?.string } ?? []
            }
            func listed(_ email: String) async throws -> [String] {
                try await send(mock, .get, "/v1/customers?email=\(FormEscape.query(email))").json["data"]?.array.compactMap { $0["id"]?.string } ?? []
            }
            let older = try #require(try await send(mock, .post, "/v1/customers", "email=twin%40example.org&name=Twin").json["id"]?.string)
            let newer = try #require(try await send(mock, .post, "/v1/customers", "email=Twin%40example.org").json["id"]?.string)
            time.advance(by: .milliseconds(400))
            #expect(try await found("email:'TWIN@example.org'") == [newer, older])
            #expect(try await listed("twin@example.org") == [older])  // the list compares exactly
            #expect(try await listed("Twin@example.org") == [newer])

            #expect(try await send(mock, .post, "/v1/customers/\(older)", "email=moved%40example.org&name=Moved").status == 200)
            // The list sees the update at once; search only after the lag.
            #expect(try await listed("twin@example.org").isEmpty)
            #expect(try await listed("moved@example.org") == [older])
            #expect(try await found("email:'twin@example.org'") == [newer, older])
            #expect(try await found("name:'Moved'").isEmpty)
            time.advance(by: .milliseconds(400))
            #expect(try await found("email:'twin@example.org'") == [newer])
            #expect(try await found("email:'twin@example.org' OR name:'Moved'") == [newer, older])
            #expect(try await found("name:'Twin'").isEmpty)
            #expect(try await found("email:'moved@example.org' AND name:'Moved'") == [older])
            #expect(try await found("email:'moved@example.org' AND -name:'Moved'").isEmpty)

            #expect(try await mock.request(.post, "/__mock/reset", headers: []).status == 204)
            #expect(try await found("email:'twin@example.org' OR email:'moved@example.org'").isEmpty)
            #expect(try await listed("moved@example.org").isEmpty)
            let loaded = try #require(try await mock.users().first?["email"]?.string)
            #expect(try await found("email:'\(loaded)'").count == (try await mock.users()).filter { $0["email"]?.string?.lowercased() == loaded.lowercased() }.count)
        }
    }
}
