import Foundation
import OutflowConnectors
import OutflowCore
import OutflowMocks
import Testing

/// Strategies the built-in files do not use, written as connector files of their own and run
/// against the HubSpot mock: listing with cursor paging, and a create API without multi-status
/// whose 409 carries the existing id.
@Suite("Connector strategies")
struct ConnectorVariantTests {
    static func hubspotVariant(_ edit: (inout String) -> Void) throws -> Connector {
        var text = try String(contentsOf: ConnectorFileTests.repository.appendingPathComponent("connectors/hubspot.json"), encoding: .utf8)
        edit(&text)
        return try Connector.parse(Array(text.utf8), file: "variant.json")
    }

    static let users = mockUsers(
        #"""
        {"users":[
          {"id":"101","properties":{"email":"a@example.org","firstname":"Ann"}},
          {"id":"102","properties":{"email":"b@example.org","firstname":"Bob"}},
          {"id":"103","properties":{"email":"c@example.org","firstname":"Ann"}},
          {"id":"104","properties":{"email":"d@example.org","firstname":"Dan"}},
          {"id":"105","properties":{"email":"e@example.org","firstname":"Eve"}}
        ]}
        """#
    )

    @Test func listModePagesWithACursorAndMatchesLocally() async throws {
        let connector = try Self.hubspotVariant { text in
            let start = text.range(of: "\"lookup\": [")!
            let end = text.range(of: "\n  ],\n  \"create\"")!
            text.replaceSubrange(
                start.lowerBound..<end.upperBound,
                with: #"""
                    "lookup": [{"properties": ["*"], "mode": "list", "request": {"method": "GET", "path": "/crm/v3/objects/contacts", "query": {"properties": "{{ property }}"}},
                                "records": "results", "id": "id", "match": "properties.{property}",
                                "paging": {"cursor": "paging.next.after", "param": "after", "limit": "limit", "size": 2}}],
                      "create"
                    """#
            )
        }
        try await withConnector(.hubspot, connector: connector, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(property: "firstname", values: [.string("Ann"), .string("Eve"), .string("Zed")])
            #expect(found.map { $0.map(\.id) } == [["101", "103"], ["105"], []])
            // 5 contacts, 2 per page: three pages.
            let requests = try await harness.total()
            #expect(requests == 3)
        }
    }

    @Test func aWholeBatch409IsSplitAndTheConflictBecomesAnUpdate() async throws {
        // Without objectWriteTraceId HubSpot answers a batch all-or-nothing: one existing email makes
        // the whole request a 409 naming it. Splitting on 409 isolates that user, then it is updated.
        let connector = try Self.hubspotVariant { text in
            let start = text.range(of: "\"create\": {")!
            let end = text.range(of: "\"update\": {")!
            text.replaceSubrange(
                start.lowerBound..<end.lowerBound,
                with: #"""
                    "create": {
                      "request": {"method": "POST", "path": "/crm/v3/objects/contacts/batch/create"},
                      "batchSize": 100, "wrapper": "inputs", "item": {"properties": "{{ user }}"},
                      "results": {"by": "index", "records": "results", "id": "id"},
                      "split": {"statuses": [400, 409]},
                      "conflict": {"existingIdAfter": "Existing ID: "}
                    },
                    """#
            )
        }
        try await withConnector(.hubspot, connector: connector, options: Self.users) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("new1@example.org")]), user(["email": .string("new2@example.org")]),
                user(["email": .string("B@example.org"), "firstname": .string("Robert")]), user(["email": .string("new3@example.org")]),
            ])
            #expect(results[0].isCreated && results[1].isCreated && results[3].isCreated, "\(results)")
            #expect(results[2] == .updated(id: "102"))
            let bob = try await harness.users().first { $0["id"] == "102" }
            #expect(bob?["properties"]?["firstname"] == "Robert")
            let conflicts = try await harness.count(status: "409")
            #expect(conflicts == 3)  // the batch of 4, its half of 2, then the user alone
        }
    }

    @Test func mockSettingsPointAConnectionAtTheMock() throws {
        let hubspot = TestConnectors.connector("hubspot")
        #expect(hubspot.settingsForMock([:], origin: "http://127.0.0.1:5") == ["baseURL": "http://127.0.0.1:5", "accessToken": "mock-token"])
        #expect(hubspot.settingsForMock(["accessToken": "mine"], origin: "http://o")["accessToken"] == "mine")
        let webhook = TestConnectors.connector("webhook")
        #expect(webhook.settingsForMock([:], origin: "http://o")["url"] == "http://o/webhook")
        let mailchimp = TestConnectors.connector("mailchimp").settingsForMock(["listId": "L9"], origin: "http://o")
        #expect(mailchimp["listId"] == "L9")
        #expect(mailchimp["apiKey"] == "mock-us1")
    }

    @Test func mailchimpUpsertReportsItsErrorsArrayPerMember() async throws {
        try await withConnector(.mailchimp) { (harness) async throws in
            let results = await harness.client.upsert(
                property: "email_address",
                [
                    user(["email_address": .string("good@example.org")]),
                    user(["email_address": .string("bad address")]),
                    user(["email_address": .string("also-good@example.org"), "status": .string("nonsense")]),
                ]
            )
            #expect(results[0].isCreated)
            #expect(results[1].failure?.hasPrefix("mailchimp: ") == true, "\(results[1])")
            #expect(results[2].failure != nil, "\(results[2])")
            let stored = try await harness.users().count
            #expect(stored == 1)
        }
    }
}
