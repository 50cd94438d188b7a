import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The HubSpot mock's contacts endpoints, with bodies as HubSpot's reference shows them.
@Suite("HubSpot mock: contacts")
struct HubSpotContactsTests {
    let create = "/crm/v3/objects/contacts/batch/create"

    @Test func batchCreateThenReadByEmail() async throws {
        try await withMock(.hubspot) { mock in
            let created = try await mock.post(create, #"""
                {"inputs":[{"properties":{"email":"Ada@Example.ORG","firstname":"Ada"}},
                           {"properties":{"email":"bob@example.org","lastname":"Stone"}}]}
                """#)
            #expect(created.status == 201)
            #expect(created.json["status"] == "COMPLETE")
            let results = created.json["results"]!.array
            #expect(results.count == 2)
            #expect(results[0]["properties"]?["email"] == "ada@example.org")  // stored lower-case
            #expect(results[0]["properties"]?["hs_object_id"] == results[0]["id"])

            let read = try await mock.post("/crm/v3/objects/contacts/batch/read", #"""
                {"idProperty":"email","properties":["email","firstname"],"inputs":[{"id":"ADA@example.org"},{"id":"bob@example.org"}]}
                """#)
            #expect(read.status == 200)
            let found = read.json["results"]!.array
            #expect(found.map { $0["properties"]?["firstname"] } == [.string("Ada"), .null])
            #expect(found[0]["properties"]?["createdate"]?.string != nil)  // always sent
        }
    }

    @Test func batchReadReportsMissingIdsWith207() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let read = try await mock.post("/crm/v3/objects/contacts/batch/read", #"{"inputs":[{"id":"101"},{"id":"999999"}]}"#)
            #expect(read.status == 207)
            #expect(read.json["results"]!.array.count == 1)
            #expect(read.json["numErrors"] == 1)
            let error = read.json["errors"]![0]!
            #expect(error["category"] == "OBJECT_NOT_FOUND")
            #expect(error["context"]?["ids"] == ["999999"])
        }
    }

    @Test func duplicateEmailIsA409WithTheExistingId() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let answer = try await mock.post(create, #"""
                {"inputs":[{"properties":{"email":"new.person@example.org"}},{"properties":{"email":"ELLA.HALL@example.org"}}]}
                """#)
            #expect(answer.status == 409)
            #expect(answer.json["status"] == "error")
            #expect(answer.json["category"] == "CONFLICT")
            #expect(answer.json["message"] == "Contact already exists. Existing ID: 101")
            #expect(answer.json["correlationId"]?.string?.isEmpty == false)
            // All or nothing: the good input was not written either.
            #expect(try await mock.users().count == 50)
        }
    }

    @Test func traceIdsTurnPartialFailureInto207() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let answer = try await mock.post(create, #"""
                {"inputs":[
                  {"objectWriteTraceId":"p1","properties":{"email":"fresh@example.org"}},
                  {"objectWriteTraceId":"p2","properties":{"email":"ella.hall@example.org"}},
                  {"objectWriteTraceId":"p3","properties":{"email":"not-an-email"}},
                  {"objectWriteTraceId":"p4","properties":{"email":"x@example.org","shoe_size":"44"}}]}
                """#)
            #expect(answer.status == 207)
            let results = answer.json["results"]!.array
            #expect(results.count == 1)
            #expect(results[0]["objectWriteTraceId"] == "p1")
            let errors = answer.json["errors"]!.array
            #expect(answer.json["numErrors"] == 3)
            #expect(errors.map { $0["context"]?["objectWriteTraceId"] } == [["p2"], ["p3"], ["p4"]])
            #expect(errors[0]["message"] == "Contact already exists. Existing ID: 101")
            #expect(errors[1]["message"]?.string?.contains("INVALID_EMAIL") == true)
            #expect(errors[2]["message"]?.string?.contains("PROPERTY_DOESNT_EXIST") == true)
            #expect(try await mock.users().count == 51)
        }
    }

    @Test func upsertByEmailCreatesOrUpdates() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let answer = try await mock.post("/crm/v3/objects/contacts/batch/upsert", #"""
                {"inputs":[{"id":"Ella.Hall@example.org","idProperty":"email","properties":{"firstname":"Ella"}},
                           {"id":"brand.new@example.org","idProperty":"email","properties":{"firstname":"Bran"}}]}
                """#)
            #expect(answer.status == 200)
            let results = answer.json["results"]!.array
            #expect(results.map { $0["new"] } == [false, true])
            #expect(results[0]["id"] == "101")
            #expect(results[1]["properties"]?["email"] == "brand.new@example.org")
            let one = try await mock.get("/crm/v3/objects/contacts/101")
            #expect(one.json["properties"]?["firstname"] == "Ella")
        }
    }

    @Test func aFailedBatchUpdateUndoesEveryChangeItMade() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            // The first input moves contact 101 to a new email; the second names no contact, so
            // HubSpot refuses the whole batch and neither the email nor the name may change.
            let answer = try await mock.post("/crm/v3/objects/contacts/batch/update", #"""
                {"inputs":[{"id":"101","properties":{"email":"moved@example.org","lastname":"Moved"}},
                           {"id":"424242","properties":{"lastname":"X"}}]}
                """#)
            #expect(answer.status == 404)
            let read = try await mock.post("/crm/v3/objects/contacts/batch/read", #"""
                {"idProperty":"email","inputs":[{"id":"ella.hall@example.org"},{"id":"moved@example.org"}],"properties":["email","lastname"]}
                """#)
            let results = read.json["results"]?.array ?? []
            #expect(results.count == 1)
            #expect(results.first?["id"] == "101")
            #expect(results.first?["properties"]?["email"] == "ella.hall@example.org")
            #expect(results.first?["properties"]?["lastname"] != "Moved")
            #expect(read.json["errors"]?.array.count == 1)
            // The old email still belongs to 101, and the new one to nobody.
            let again = try await mock.post(create, #"{"inputs":[{"properties":{"email":"ella.hall@example.org"}}]}"#)
            #expect(again.json["message"] == "Contact already exists. Existing ID: 101")
            #expect(try await mock.users().count == 50)
        }
    }

    @Test func batchUpdateByIdAndByEmail() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let answer = try await mock.post("/crm/v3/objects/contacts/batch/update", #"""
                {"inputs":[{"id":"101","properties":{"lastname":"Hall-Smith"}},
                           {"id":"jorg.klein@mail.example","idProperty":"email","properties":{"lifecyclestage":"customer"}}]}
                """#)
            #expect(answer.status == 200)
            #expect(answer.json["results"]![1]!["properties"]?["lifecyclestage"] == "customer")
            let missing = try await mock.post("/crm/v3/objects/contacts/batch/update", #"{"inputs":[{"id":"424242","properties":{"lastname":"X"}}]}"#)
            #expect(missing.status == 404)
            #expect(missing.json["category"] == "OBJECT_NOT_FOUND")
            let readOnly = try await mock.post("/crm/v3/objects/contacts/batch/update", #"{"inputs":[{"id":"101","properties":{"hs_object_id":"7"}}]}"#)
            #expect(readOnly.status == 400)
            #expect(readOnly.json["message"]?.string?.contains("READ_ONLY_VALUE") == true)
        }
    }

    @Test func moreThan100InputsIsRefused() async throws {
        try await withMock(.hubspot) { mock in
            let inputs = (0..<101).map { #"{"properties":{"email":"u\#($0)@example.org"}}"# }.joined(separator: ",")
            let answer = try await mock.post(create, #"{"inputs":[\#(inputs)]}"#)
            #expect(answer.status == 400)
            #expect(answer.json["category"] == "VALIDATION_ERROR")
            #expect(try await mock.users().isEmpty)
        }
    }

    @Test func searchWithIn() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let answer = try await mock.post("/crm/v3/objects/contacts/search", #"""
                {"filterGroups":[{"filters":[{"propertyName":"email","operator":"IN",
                  "values":["ella.hall@example.org","BSCHULZ@example.org","nobody@example.org"]}]}],
                 "properties":["email"],"limit":100}
                """#)
            #expect(answer.status == 200)
            #expect(answer.json["total"] == 2)
            #expect(answer.json["results"]!.array.map { $0["id"] } == ["101", "103"])
        }
    }

    @Test func searchInWithMoreThan100ValuesIsRefused() async throws {
        try await withMock(.hubspot) { mock in
            let values = (0..<101).map { #""u\#($0)@example.org""# }.joined(separator: ",")
            let answer = try await mock.post("/crm/v3/objects/contacts/search", #"""
                {"filterGroups":[{"filters":[{"propertyName":"email","operator":"IN","values":[\#(values)]}]}]}
                """#)
            #expect(answer.status == 400)
            #expect(answer.json["category"] == "VALIDATION_ERROR")
        }
    }

    @Test func searchPagesWithAfter() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let first = try await mock.post("/crm/v3/objects/contacts/search", #"{"filterGroups":[],"limit":20}"#)
            #expect(first.json["total"] == 50)
            #expect(first.json["paging"]?["next"]?["after"] == "20")
            let last = try await mock.post("/crm/v3/objects/contacts/search", #"{"limit":20,"after":"40"}"#)
            #expect(last.json["results"]!.array.count == 10)
            #expect(last.json["paging"] == nil)
        }
    }

    @Test func searchLagHidesFreshWrites() async throws {
        let time = MockClock.Manual()
        var options = MockOptions()
        options.faults = try FaultSpec.parse("search-lag=300ms")
        options.clock = .manual(time)
        try await withMock(.hubspot, options: options) { mock in
            _ = try await mock.post(create, #"{"inputs":[{"properties":{"email":"late@example.org"}}]}"#)
            let search = #"{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"late@example.org"}]}]}"#
            #expect(try await mock.post("/crm/v3/objects/contacts/search", search).json["total"] == 0)
            time.advance(by: .milliseconds(299))
            #expect(try await mock.post("/crm/v3/objects/contacts/search", search).json["total"] == 0)
            time.advance(by: .milliseconds(1))
            #expect(try await mock.post("/crm/v3/objects/contacts/search", search).json["total"] == 1)
        }
    }

    @Test func getOneByIdAndByEmail() async throws {
        try await withMock(.hubspot, options: hubspotOptions()) { mock in
            let byId = try await mock.get("/crm/v3/objects/contacts/102")
            #expect(byId.status == 200)
            #expect(byId.json["properties"]?["firstname"] == "Jörg")
            #expect(byId.json["archived"] == false)
            let byEmail = try await mock.get("/crm/v3/objects/contacts/JORG.KLEIN@mail.example?idProperty=email&properties=lastname")
            #expect(byEmail.json["id"] == "102")
            #expect(byEmail.json["properties"]?["lastname"] == "Klein")
            #expect(byEmail.json["properties"]?["firstname"] == nil)
            #expect(try await mock.get("/crm/v3/objects/contacts/9999").status == 404)
        }
    }

    @Test func propertiesList() async throws {
        try await withMock(.hubspot) { mock in
            let answer = try await mock.get("/crm/v3/properties/contacts")
            #expect(answer.status == 200)
            let properties = answer.json["results"]!.array
            let email = try #require(properties.first { $0["name"] == "email" })
            #expect(email["type"] == "string")
            #expect(email["fieldType"] == "text")
            #expect(email["hasUniqueValue"] == false)
            let id = try #require(properties.first { $0["name"] == "hs_object_id" })
            #expect(id["hasUniqueValue"] == true)
            #expect(id["modificationMetadata"]?["readOnlyValue"] == true)
        }
    }
}
