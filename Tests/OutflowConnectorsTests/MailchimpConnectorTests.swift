import Foundation
import OutflowConnectors
import OutflowCore
import OutflowMocks
import Testing

/// The Mailchimp connector file against the Mailchimp mock.
@Suite("Mailchimp connector")
struct MailchimpConnectorTests {
    static let list = TestConnectors.mailchimpList
    static let users = mockUsers(
        #"""
        {"users":[
          {"list_id":"a1b2c3d4e5","email_address":"ella.hall@example.org","status":"subscribed","merge_fields":{"FNAME":"Ella"}},
          {"list_id":"a1b2c3d4e5","email_address":"zed@example.org","status":"unsubscribed","merge_fields":{"FNAME":"Zed"}}
        ]}
        """#
    )

    static func hash(_ email: String) -> String { Digest.hex(Digest.md5(Array(email.lowercased().utf8))) }

    func member(_ harness: ConnectorHarness, _ email: String) async throws -> JSONValue? {
        try await harness.users().first {
            $0["email_address"].flatMap { if case .string(let s) = $0 { s.lowercased() } else { nil } } == email.lowercased()
        }
    }

    @Test func capabilities() {
        let capabilities = TestConnectors.connector("mailchimp").capabilities
        #expect(capabilities.createBatchSize == 500)
        #expect(capabilities.upsertBatchSize == 500)
        #expect(capabilities.upsertProperties == ["email_address"])
        #expect(capabilities.updateBatchSize == 1)
        #expect(TestConnectors.connector("mailchimp").rateLimit.maxConcurrent == 10)
    }

    @Test func dataCentreComesFromTheKeyUnlessBaseURLIsGiven() throws {
        let connector = TestConnectors.connector("mailchimp")
        let derived = try connector.settings.resolve(["apiKey": "abc-us6", "listId": "L"], environment: [:])
        #expect(derived["baseURL"] == "https://us6.api.mailchimp.com")
        #expect(derived["statusIfNew"] == "subscribed")
        let explicit = try connector.settings.resolve(["apiKey": "abc-us6", "listId": "L", "baseURL": "http://127.0.0.1:1"], environment: [:])
        #expect(explicit["baseURL"] == "http://127.0.0.1:1")
        #expect(throws: ApplicationError.self) {
            _ = try ConnectorClient(
                connector: connector,
                settings: ["apiKey": "nodatacentre", "listId": "L"],
                transport: HTTPClientStub(),
                environment: [:]
            )
        }
    }

    @Test func lookupIsOneGetPerMemberBySubscriberHash() async throws {
        try await withConnector(.mailchimp, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(
                property: "email_address",
                values: [.string("Ella.Hall@Example.org"), .string("none@example.org")]
            )
            #expect(found[0].map(\.id) == [Self.hash("ella.hall@example.org")])
            #expect(found[1].isEmpty)
            #expect(try await harness.total() == 2)
        }
    }

    @Test func createUsesBatchSubscribeAndItsErrorsArray() async throws {
        try await withConnector(.mailchimp, options: Self.users) { (harness) async throws in
            let results = await harness.client.create([
                user(["email_address": .string("new@example.org"), "merge_fields.FNAME": .string("New")]),
                user(["email_address": .string("not an email")]),
                user(["email_address": .string("ZED@example.org"), "merge_fields.FNAME": .string("Zedd")]),
            ])
            #expect(results[0] == .created(id: Self.hash("new@example.org")))
            #expect(results[1].failure != nil)
            // An existing member is a conflict: updated by its subscriber hash, status untouched.
            #expect(results[2] == .updated(id: Self.hash("zed@example.org")))
            let zed = try await member(harness, "zed@example.org")
            #expect(zed?["merge_fields"]?["FNAME"] == "Zedd")
            #expect(zed?["status"] == "unsubscribed")
            #expect(try await member(harness, "new@example.org")?["status"] == "subscribed")
        }
    }

    @Test(
        arguments: [
            // (mapped status_if_new, mapped status, setting statusIfNew, expected status of a new member)
            (nil, nil, nil, "subscribed"),
            (nil, nil, "pending", "pending"),
            ("transactional", nil, "pending", "transactional"),
            (nil, "unsubscribed", "pending", "unsubscribed"),
        ] as [(String?, String?, String?, String)]
    )
    func newMemberStatusRule(statusIfNew: String?, status: String?, setting: String?, expected: String) async throws {
        var settings: JSONObject = ["apiKey": "key-us1", "listId": .string(Self.list)]
        if let setting { settings["statusIfNew"] = .string(setting) }
        try await withConnector(.mailchimp, settings: settings) { (harness) async throws in
            var u = user(["email_address": .string("n@example.org")])
            if let statusIfNew { u["status_if_new"] = .string(statusIfNew) }
            if let status { u["status"] = .string(status) }
            let results = await harness.client.upsert(property: "email_address", [u])
            #expect(results[0].isCreated, "\(results[0])")
            #expect(try await member(harness, "n@example.org")?["status"] == .string(expected))
        }
    }

    @Test func upsertNeverSendsAStatusTheMappingDidNotProduce() async throws {
        try await withConnector(.mailchimp, options: Self.users) { (harness) async throws in
            let results = await harness.client.upsert(
                property: "email_address",
                [
                    user(["email_address": .string("zed@example.org"), "merge_fields.FNAME": .string("Z")]),
                    user(["email_address": .string("brand@example.org")]),
                ]
            )
            #expect(results[0] == .updated(id: Self.hash("zed@example.org")))
            #expect(results[1] == .created(id: Self.hash("brand@example.org")))
            #expect(try await member(harness, "zed@example.org")?["status"] == "unsubscribed")
            #expect(try await member(harness, "zed@example.org")?["merge_fields"]?["FNAME"] == "Z")
        }
    }

    @Test func updateIsAPatchOfOneMember() async throws {
        try await withConnector(.mailchimp, options: Self.users) { (harness) async throws in
            let results = await harness.client.update([
                AppUserUpdate(id: Self.hash("ella.hall@example.org"), user: user(["merge_fields.FNAME": .string("Eleanor")])),
                AppUserUpdate(id: Self.hash("missing@example.org"), user: user(["merge_fields.FNAME": .string("X")])),
            ])
            #expect(results[0] == .updated(id: Self.hash("ella.hall@example.org")))
            #expect(results[1].failure?.contains("404") == true)
            let ella = try await member(harness, "ella.hall@example.org")
            #expect(ella?["merge_fields"]?["FNAME"] == "Eleanor")
            #expect(ella?["status"] == "subscribed")
        }
    }

    @Test func schemaNestsMergeFields() async throws {
        try await withConnector(.mailchimp) { (harness) async throws in
            let schema = try await harness.client.schema()
            #expect(schema.property(named: "email_address")?.createRequired == true)
            #expect(schema.property(at: PropertyPath(["merge_fields", "FNAME"])) != nil)
            #expect(schema.property(at: PropertyPath(["merge_fields", "LNAME"])) != nil)
        }
    }

    @Test func aMissingListIsAMissingResource() async throws {
        try await withConnector(.mailchimp, settings: ["apiKey": "key-us1", "listId": "nope"]) { (harness) async throws in
            do throws(ApplicationError) {
                try await harness.client.test()
                Issue.record("expected a failure")
            } catch {
                guard case .missingResource = error else {
                    Issue.record("\(error)")
                    return
                }
                #expect(error.isSystemic)
            }
        }
    }
}
