import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// Fault injection: the SPEC, reproducibility with a seed, and dropped connections.
@Suite("Mocks: faults")
struct MockFaultTests {
    @Test func specParses() throws {
        let spec = try FaultSpec.parse("429=0.1,500=0.05,502=0.01,503=0.02,drop=0.01,drop-after-apply=0.03,latency=20ms,search-lag=2s")
        #expect(spec.probabilities[.tooManyRequests] == 0.1)
        #expect(spec.probabilities[.dropAfterApply] == 0.03)
        #expect(spec.latency == .milliseconds(20))
        #expect(spec.searchLag == .seconds(2))
    }

    @Test(arguments: ["429", "404=0.1", "500=1.5", "500=x", "latency=fast", "429=0.6,500=0.6"])
    func badSpecsAreRefused(_ text: String) {
        #expect(throws: MockOptionError.self) { try FaultSpec.parse(text) }
    }

    /// Statuses of 30 sequential requests to a fresh server with `seed`.
    private func statuses(seed: UInt64) async throws -> [Int] {
        let options = try hubspotOptions {
            $0.faults = try FaultSpec.parse("429=0.2,500=0.2,503=0.1")
            $0.seed = seed
        }
        return try await withMock(.hubspot, options: options) { mock in
            var result: [Int] = []
            for _ in 0..<30 { result.append(try await mock.get("/crm/v3/objects/contacts/101").status) }
            return result
        }
    }

    @Test func sameSeedSameFaults() async throws {
        let first = try await statuses(seed: 42)
        let second = try await statuses(seed: 42)
        #expect(first == second)
        #expect(Set(first).isSuperset(of: [200, 429, 500]))
        #expect(try await statuses(seed: 43) != first)
    }

    @Test func injected429HasHubSpotsBody() async throws {
        let options = try hubspotOptions { $0.faults = try FaultSpec.parse("429=1") }
        try await withMock(.hubspot, options: options) { mock in
            let answer = try await mock.get("/crm/v3/objects/contacts/101")
            #expect(answer.status == 429)
            #expect(answer.json["policyName"] == "TEN_SECONDLY_ROLLING")
            #expect(answer.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000")
        }
    }

    @Test func controlEndpointsAreExempt() async throws {
        let options = try hubspotOptions { $0.faults = try FaultSpec.parse("500=1") }
        try await withMock(.hubspot, options: options) { mock in
            let api = try await mock.get("/crm/v3/objects/contacts/101")
            let users = try await mock.users()
            #expect(api.status == 500)
            #expect(users.count == 50)
        }
    }

    @Test func dropAfterApplyWritesButNeverAnswers() async throws {
        let options = try hubspotOptions { $0.faults = try FaultSpec.parse("drop-after-apply=1") }
        try await withMock(.hubspot, options: options) { mock in
            await #expect(throws: HTTPError.self) {
                _ = try await mock.post("/crm/v3/objects/contacts/batch/create", #"{"inputs":[{"properties":{"email":"ghost@example.org"}}]}"#)
            }
            let users = try await mock.users()
            #expect(users.count == 51)
            #expect(users.last?["properties"]?["email"] == "ghost@example.org")
            let stats = try await mock.send(.get, "/__mock/stats", authorization: .some(nil)).json
            #expect(stats["routes"]?["POST /crm/v3/objects/contacts/batch/create"]?["dropped"] == 1)
        }
    }

    @Test func dropNeverApplies() async throws {
        let options = try hubspotOptions { $0.faults = try FaultSpec.parse("drop=1") }
        try await withMock(.hubspot, options: options) { mock in
            await #expect(throws: HTTPError.self) {
                _ = try await mock.post("/crm/v3/objects/contacts/batch/create", #"{"inputs":[{"properties":{"email":"ghost@example.org"}}]}"#)
            }
            let users = try await mock.users()
            #expect(users.count == 50)
        }
    }

    @Test func latencyDelaysApiRequests() async throws {
        let options = try hubspotOptions { $0.faults = try FaultSpec.parse("latency=150ms") }
        try await withMock(.hubspot, options: options) { mock in
            let start = ContinuousClock.now
            _ = try await mock.get("/crm/v3/objects/contacts/101")
            #expect(ContinuousClock.now - start >= .milliseconds(150))
        }
    }
}
