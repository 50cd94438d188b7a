import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// Credentials (DESIGN 9b's rule) and rolling-window rate limits.
@Suite("Mocks: credentials and rate limits")
struct MockAuthAndLimitTests {
    let path = "/crm/v3/objects/contacts/101"

    @Test(arguments: [String?.none, "Bearer ", "Basic dXNlcjpwYXNz", "token-without-scheme"])
    func missingOrMalformedCredentialGetsHubSpots401(_ authorization: String?) async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let answer = try await mock.send(.get, path, authorization: .some(authorization))
            #expect(answer.status == 401)
            #expect(answer.json["category"] == "INVALID_AUTHENTICATION")
            #expect(answer.json["status"] == "error")
            #expect(answer.json["message"]?.string?.hasPrefix("Authentication credentials not found.") == true)
            #expect(answer.headers["X-HubSpot-Auth-Failure"] == "401 Unauthorized")
        }
    }

    @Test func anyBearerTokenIsAcceptedByDefault() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let status = try await mock.send(.get, path, authorization: "Bearer whatever").status
            #expect(status == 200)
        }
    }

    @Test func tokenFlagAcceptsOnlyThatToken() async throws {
        let options = hubspotOptions { $0.token = "pat-na1-secret" }
        try await withMock(.hubspot, options: options) { mock in
            let other = try await mock.send(.get, path, authorization: "Bearer other")
            #expect(other.status == 401)
            #expect(try await mock.send(.get, path, authorization: "Bearer pat-na1-secret").status == 200)
            // Control endpoints need no credential.
            #expect(try await mock.send(.get, "/__mock/users", authorization: .some(nil)).status == 200)
        }
    }

    @Test func requestBeyondTheWindowGets429WithHubSpotsBodyAndHeaders() async throws {
        let time = MockClock.Manual()
        let options = hubspotOptions {
            $0.rateLimit = .custom(count: 5, window: .seconds(1))
            $0.clock = .manual(time)
        }
        try await withMock(.hubspot, options: options) { mock in
            for remaining in (0..<5).reversed() {
                let answer = try await mock.get(path)
                #expect(answer.status == 200)
                #expect(answer.headers["X-HubSpot-RateLimit-Remaining"] == String(remaining))
            }
            let refused = try await mock.get(path)
            #expect(refused.status == 429)
            #expect(refused.json["policyName"] == "TEN_SECONDLY_ROLLING")
            #expect(refused.json["errorType"] == "RATE_LIMIT")
            #expect(refused.headers["X-HubSpot-RateLimit-Max"] == "5")
            #expect(refused.headers["X-HubSpot-RateLimit-Remaining"] == "0")
            #expect(refused.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "1000")
            time.advance(by: .milliseconds(999))
            #expect(try await mock.get(path).status == 429)
            time.advance(by: .milliseconds(1))
            let again = try await mock.get(path)
            #expect(again.status == 200)
            #expect(again.headers["X-HubSpot-RateLimit-Remaining"] == "4")
        }
    }

    @Test func defaultLimitIs190PerTenSeconds() async throws {
        // Frozen, so that 190 requests on a loaded machine cannot outlast the 10 s window.
        let time = MockClock.Manual()
        try await withMock(.hubspot, options: hubspotOptions { $0.clock = .manual(time) }) { mock in
            for _ in 0..<190 { #expect(try await mock.get(path).status == 200) }
            let refused = try await mock.get(path)
            #expect(refused.status == 429)
            #expect(refused.headers["X-HubSpot-RateLimit-Max"] == "190")
            #expect(refused.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000")
        }
    }

    @Test func searchHasItsOwnFivePerSecondLimit() async throws {
        let time = MockClock.Manual()
        try await withMock(.hubspot, options: hubspotOptions { $0.clock = .manual(time) }) { mock in
            for _ in 0..<5 { #expect(try await mock.post("/crm/v3/objects/contacts/search", "{}").status == 200) }
            let refused = try await mock.post("/crm/v3/objects/contacts/search", "{}")
            #expect(refused.status == 429)
            #expect(refused.json["policyName"] == "SECONDLY")
            // Other endpoints are still served.
            #expect(try await mock.get(path).status == 200)
            time.advance(by: .seconds(1))
            #expect(try await mock.post("/crm/v3/objects/contacts/search", "{}").status == 200)
        }
    }

    @Test func rateLimitOffEnforcesNothing() async throws {
        let options = hubspotOptions { $0.rateLimit = .off }
        try await withMock(.hubspot, options: options) { mock in
            for _ in 0..<8 {
                let answer = try await mock.post("/crm/v3/objects/contacts/search", "{}")
                #expect(answer.status == 200)
            }
        }
    }

    @Test(arguments: [
        ("default", RateLimitSetting.default), ("off", .off), ("190/10s", .custom(count: 190, window: .seconds(10))),
        ("5/1s", .custom(count: 5, window: .seconds(1))), ("10/500ms", .custom(count: 10, window: .milliseconds(500))),
    ])
    func rateLimitSpecs(_ text: String, _ expected: RateLimitSetting) throws {
        #expect(try RateLimitSetting.parse(text) == expected)
    }

    @Test(arguments: ["", "5", "0/1s", "5/0s", "x/1s", "5/soon"])
    func badRateLimitSpecs(_ text: String) {
        #expect(throws: MockOptionError.self) { try RateLimitSetting.parse(text) }
    }
}
