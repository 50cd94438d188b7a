import Foundation
import OutflowConnectors
import OutflowCore
import OutflowMocks
import Testing

/// The HubSpot connector file against the HubSpot mock: every operation, partial failures,
/// conflicts and batch splitting.
@Suite("HubSpot connector")
struct HubSpotConnectorTests {
    static let users = mockUsers(
        #"""
        {"users":[
          {"id":"101","properties":{"email":"ella.hall@example.org","firstname":"Ella","lastname":"Hall"}},
          {"id":"102","properties":{"email":"jorg.klein@mail.example","firstname":"Jörg","lastname":"Klein"}},
          {"id":"103","properties":{"email":"b@example.org","firstname":"Ella","lastname":"Schulz"}}
        ]}
        """#
    )

    @Test func capabilitiesComeFromTheFile() {
        let capabilities = TestConnectors.connector("hubspot").capabilities
        #expect(capabilities.canLookup)
        #expect(capabilities.upsertProperties == ["email"])
        #expect(capabilities.createBatchSize == 100)
        #expect(capabilities.lookupBatchSize == 100)
        #expect(capabilities.caseInsensitiveProperties == ["email"])
    }

    @Test func lookupByEmailIsBatchReadAndCaseInsensitive() async throws {
        try await withConnector(.hubspot, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(
                property: "email",
                values: [.string("ELLA.HALL@example.org"), .string("nobody@example.org"), .string("jorg.klein@mail.example")]
            )
            #expect(found.map { $0.map(\.id) } == [["101"], [], ["102"]])
            #expect(found[0].first?.matchingValue == .string("ella.hall@example.org"))
            let stats = try await harness.stats()
            #expect(stats["routes"]?["POST /crm/v3/objects/contacts/batch/read"] != nil)
        }
    }

    @Test func lookupByAnyOtherPropertyIsSearchWithIN() async throws {
        try await withConnector(.hubspot, options: Self.users) { (harness) async throws in
            let found = try await harness.client.lookup(property: "firstname", values: [.string("Ella"), .string("Nobody"), .string("Jörg")])
            #expect(found.map { Set($0.map(\.id)) } == [["101", "103"], [], ["102"]])
            #expect(try await harness.stats()["routes"]?["POST /crm/v3/objects/contacts/search"] != nil)
        }
    }

    @Test func createReturnsIdsInOrder() async throws {
        try await withConnector(.hubspot) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("ada@example.org"), "firstname": .string("Ada")]),
                user(["email": .string("alan@example.org"), "firstname": .string("Alan")]),
            ])
            #expect(results.count == 2)
            #expect(results.allSatisfy { $0.isCreated })
            let stored = try await harness.users()
            #expect(stored.count == 2)
            #expect(stored.map { $0["properties"]?["email"] } == ["ada@example.org", "alan@example.org"])
            #expect(results.map(\.id) == stored.map { $0["id"].flatMap { if case .string(let s) = $0 { s } else { nil } } })
        }
    }

    @Test func multiStatusKeepsGoodUsersAndFailsTheBadOne() async throws {
        try await withConnector(.hubspot) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("ok1@example.org")]),
                user(["email": .string("not-an-email")]),
                user(["email": .string("ok2@example.org"), "nosuchproperty": .string("x")]),
                user(["email": .string("ok3@example.org")]),
            ])
            #expect(results[0].isCreated)
            #expect(results[1].failure?.contains("INVALID_EMAIL") == true || results[1].failure?.contains("not valid") == true)
            #expect(results[2].failure?.contains("nosuchproperty") == true)
            #expect(results[3].isCreated)
            #expect(try await harness.users().count == 2)
            #expect(try await harness.count(status: "207") == 1)
        }
    }

    @Test func conflictWithExistingIdBecomesAnUpdate() async throws {
        try await withConnector(.hubspot, options: Self.users) { (harness) async throws in
            let results = await harness.client.create([
                user(["email": .string("new@example.org"), "firstname": .string("New")]),
                user(["email": .string("Ella.Hall@example.org"), "firstname": .string("Eleanor")]),
            ])
            #expect(results[0].isCreated)
            #expect(results[1] == .updated(id: "101"))
            let ella = try await harness.users().first { $0["id"] == "101" }
            #expect(ella?["properties"]?["firstname"] == "Eleanor")
            #expect(try await harness.stats()["routes"]?["POST /crm/v3/objects/contacts/batch/update"] != nil)
        }
    }

    @Test func aWholeBatchFailureIsSplitUntilTheBadUserIsAlone() async throws {
        try await withConnector(.hubspot) { (harness) async throws in
            var users = (0..<8).map { user(["email": .string("u\($0)@example.org")]) }
            // An object value makes HubSpot refuse the whole request (400), whatever the other inputs.
            users[5]["firstname"] = .json(["nested": "object"])
            let results = await harness.client.create(users)
            for (index, result) in results.enumerated() where index != 5 { #expect(result.isCreated, "user \(index): \(result)") }
            #expect(results[5].failure?.contains("HTTP 400") == true)
            #expect(try await harness.users().count == 7)
            // 8 -> 4+4 -> 2+2 (bad half) -> 1+1: four 400s, each on the way down to the bad user.
            #expect(try await harness.count(status: "400") == 4)
        }
    }

    @Test func updateByIdAndUpsertByEmail() async throws {
        try await withConnector(.hubspot, options: Self.users) { (harness) async throws in
            let updated = await harness.client.update([
                AppUserUpdate(id: "102", user: user(["lastname": .string("Klein-Smith")])),
                AppUserUpdate(id: "999", user: user(["lastname": .string("X")])),
            ])
            #expect(updated[0] == .updated(id: "102"))
            #expect(updated[1].failure != nil)
            let upserted = await harness.client.upsert(
                property: "email",
                [
                    user(["email": .string("b@example.org"), "lastname": .string("Schulze")]),
                    user(["email": .string("fresh@example.org"), "lastname": .string("Fresh")]),
                ]
            )
            #expect(upserted[0] == .updated(id: "103"))
            #expect(upserted[1].isCreated)
            let stored = try await harness.users()
            #expect(stored.first { $0["id"] == "103" }?["properties"]?["lastname"] == "Schulze")
            #expect(stored.count == 4)
            let refused = await harness.client.upsert(property: "firstname", [user(["firstname": .string("x")])])
            #expect(refused[0].failure?.contains("cannot upsert") == true)
        }
    }

    @Test func schemaIsDiscoveredAndReadOnlyPropertiesAreLeftOut() async throws {
        try await withConnector(.hubspot) { (harness) async throws in
            let schema = try await harness.client.schema()
            #expect(schema.property(named: "email") != nil)
            #expect(schema.property(named: "firstname")?.type.kind == .string)
            #expect(schema.property(named: "hs_object_id") == nil)
            #expect(schema.property(named: "createdate") == nil)
        }
    }

    @Test func testRequestPassesWithAnyTokenAndFailsWithAWrongOne() async throws {
        try await withConnector(.hubspot) { (harness) async throws in
            try await harness.client.test()
        }
        var options = MockOptions()
        options.token = "right"
        try await withConnector(.hubspot, options: options) { (harness) async throws in
            await #expect(throws: ApplicationError.self) { try await harness.client.test() }
        }
    }
}
