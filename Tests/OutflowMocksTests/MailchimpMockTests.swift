import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// The Mailchimp mock's list-member endpoints, with bodies as Mailchimp's reference shows them.
@Suite("Mailchimp mock: list members")
struct MailchimpMockTests {
    static let list = "a1b2c3d4e5"  // the default list of a fresh mock
    /// `anystring:key-us1`: Basic auth with any username and the API key as password.
    static let basic: String?? = .some("Basic YW55c3RyaW5nOmtleS11czE=")

    func send(_ mock: MockHarness, _ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> MockHarness.Answer {
        try await mock.send(method, path, body, authorization: Self.basic)
    }

    /// Options with two members of list `L2` loaded from a temporary users file.
    func optionsWithUsers() throws -> MockOptions {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mailchimp-users-\(UUID().uuidString).json")
        try Data(#"""
            {"users":[
              {"list_id":"L2","email_address":"ella.hall@example.org","status":"subscribed","merge_fields":{"FNAME":"Ella","PLAN":"pro"},"tags":[{"id":1,"name":"vip"}]},
              {"list_id":"L2","email_address":"zed@example.org","status":"unsubscribed"}
            ]}
            """#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var options = MockOptions()
        options.users = Array(try Data(contentsOf: file))
        return options
    }

    @Test func missingOrMalformedKeyIsMailchimps401() async throws {
        try await withMock(.mailchimp) { mock in
            let path = "/3.0/lists/\(Self.list)/merge-fields"
            for authorization in [nil, "Bearer abc", "Basic !!!", "Basic YW55c3RyaW5nOg=="] as [String?] {  // last: "anystring:" (no key)
                let answer = try await mock.send(.get, path, authorization: .some(authorization))
                #expect(answer.status == 401, "\(authorization ?? "none")")
                #expect(answer.json["title"] == "API Key Missing")
                #expect(answer.json["status"] == 401)
                #expect(answer.json["type"]?.string?.hasPrefix("https://mailchimp.com/developer/") == true)
                #expect(answer.json["detail"]?.string?.isEmpty == false)
                #expect(answer.json["instance"]?.string != nil)
                #expect(answer.headers["Content-Type"]?.hasPrefix("application/problem+json") == true)
            }
            #expect(try await send(mock, .get, path).status == 200)
        }
        var options = MockOptions()
        options.token = "the-key"
        try await withMock(.mailchimp, options: options) { mock in
            let wrong = try await send(mock, .get, "/3.0/lists/\(Self.list)/merge-fields")
            #expect(wrong.status == 401)
            #expect(wrong.json["title"] == "API Key Invalid")
            let right = try await mock.send(.get, "/3.0/lists/\(Self.list)/merge-fields", authorization: .some("Basic " + Data("u:the-key".utf8).base64EncodedString()))
            #expect(right.status == 200)
        }
    }

    @Test func putCreatesThenGetByMd5OfLowerCasedEmail() async throws {
        try await withMock(.mailchimp) { mock in
            let hash = "5bfcf2d8e394674550332640d72db509"  // md5("ada@example.org")
            let put = try await send(mock, .put, "/3.0/lists/\(Self.list)/members/\(hash)", #"""
                {"email_address":"Ada@Example.ORG","status_if_new":"subscribed","merge_fields":{"FNAME":"Ada","NOPE":"x"},"tags":["vip"]}
                """#)
            #expect(put.status == 200)
            #expect(put.json["id"] == .string(hash))
            #expect(put.json["email_address"] == "Ada@Example.ORG")
            #expect(put.json["status"] == "subscribed")
            #expect(put.json["merge_fields"]?["FNAME"] == "Ada")
            #expect(put.json["merge_fields"]?["LNAME"] == "")
            #expect(put.json["merge_fields"]?["NOPE"] == nil)  // unknown merge tags are ignored
            #expect(put.json["tags"]?[0]?["name"] == "vip")
            #expect(put.json["timestamp_signup"]?.string?.hasSuffix("+00:00") == true)
            #expect(put.json["last_changed"]?.string != nil)

            let got = try await send(mock, .get, "/3.0/lists/\(Self.list)/members/\(hash)")
            #expect(got.status == 200)
            #expect(got.json == put.json)

            // PUT again updates; status_if_new is then ignored and status is kept.
            let again = try await send(mock, .put, "/3.0/lists/\(Self.list)/members/\(hash)", #"""
                {"email_address":"ada@example.org","status_if_new":"pending","merge_fields":{"LNAME":"Lovelace"}}
                """#)
            #expect(again.json["status"] == "subscribed")
            #expect(again.json["merge_fields"]?["FNAME"] == "Ada")
            #expect(again.json["merge_fields"]?["LNAME"] == "Lovelace")

            // A new member needs status_if_new (or status).
            let noStatus = try await send(mock, .put, "/3.0/lists/\(Self.list)/members/ca6ab7886819c705d97346b113bed39c", #"{"email_address":"zed@example.org"}"#)
            #expect(noStatus.status == 400)
            #expect(noStatus.json["title"] == "Invalid Resource")
            #expect(noStatus.json["errors"]?[0]?["field"] == "status_if_new")

            let missing = try await send(mock, .get, "/3.0/lists/\(Self.list)/members/ca6ab7886819c705d97346b113bed39c")
            #expect(missing.status == 404)
            #expect(missing.json["title"] == "Resource Not Found")
            #expect(try await mock.users().count == 1)
        }
    }

    @Test func patchOfAMissingMemberIs404() async throws {
        try await withMock(.mailchimp) { mock in
            let answer = try await send(mock, .patch, "/3.0/lists/\(Self.list)/members/ca6ab7886819c705d97346b113bed39c", #"{"status":"unsubscribed"}"#)
            #expect(answer.status == 404)
            #expect(answer.json["title"] == "Resource Not Found")
            #expect(answer.json["status"] == 404)
            #expect(try await mock.users().isEmpty)
        }
        try await withMock(.mailchimp, options: try optionsWithUsers()) { mock in
            let answer = try await send(mock, .patch, "/3.0/lists/L2/members/945a52e268c6e32941eb838c104581d4", #"{"status":"unsubscribed","merge_fields":{"LNAME":"Hall"}}"#)
            #expect(answer.status == 200)
            #expect(answer.json["status"] == "unsubscribed")
            #expect(answer.json["merge_fields"]?["FNAME"] == "Ella")
            #expect(answer.json["merge_fields"]?["LNAME"] == "Hall")
        }
    }

    @Test func batchSubscribeWithNewExistingAndInvalidMembers() async throws {
        try await withMock(.mailchimp, options: try optionsWithUsers()) { mock in
            let members = #"""
                [{"email_address":"new.one@example.org","status":"subscribed","merge_fields":{"FNAME":"New"}},
                 {"email_address":"ELLA.HALL@example.org","status":"unsubscribed"},
                 {"email_address":"not-an-email","status":"subscribed"}]
                """#
            let first = try await send(mock, .post, "/3.0/lists/L2", #"{"members":\#(members),"update_existing":false}"#)
            #expect(first.status == 200)
            #expect(first.json["total_created"] == 1)
            #expect(first.json["total_updated"] == 0)
            #expect(first.json["error_count"] == 2)
            #expect(first.json["new_members"]?[0]?["email_address"] == "new.one@example.org")
            #expect(first.json["new_members"]?[0]?["list_id"] == "L2")
            #expect(first.json["updated_members"]?.array.isEmpty == true)
            let errors = first.json["errors"]!.array
            #expect(errors.count == 2)
            #expect(errors[0]["email_address"] == "ELLA.HALL@example.org")
            #expect(errors[0]["error"]?.string?.contains("is already a list member") == true)
            #expect(errors[0]["error_code"] == "ERROR_CONTACT_EXISTS")
            #expect(errors[1]["email_address"] == "not-an-email")
            #expect(errors[1]["error_code"] == "ERROR_GENERIC")
            #expect(errors[1]["error"]?.string?.isEmpty == false)

            // Ella was not changed.
            let ella = try await send(mock, .get, "/3.0/lists/L2/members/945a52e268c6e32941eb838c104581d4")
            #expect(ella.json["status"] == "subscribed")

            let second = try await send(mock, .post, "/3.0/lists/L2", #"""
                {"members":[{"email_address":"ELLA.HALL@example.org","status":"unsubscribed"},
                            {"email_address":"new.one@example.org","merge_fields":{"LNAME":"One"}},
                            {"email_address":"another@example.org","status":"pending"},
                            {"email_address":"bad@","status":"subscribed"}],
                 "update_existing":true}
                """#)
            #expect(second.status == 200)
            #expect(second.json["total_created"] == 1)
            #expect(second.json["total_updated"] == 2)
            #expect(second.json["error_count"] == 1)
            #expect(second.json["errors"]?[0]?["email_address"] == "bad@")
            #expect(second.json["updated_members"]?[0]?["status"] == "unsubscribed")
            #expect(second.json["updated_members"]?[1]?["merge_fields"]?["FNAME"] == "New")
            #expect(second.json["updated_members"]?[1]?["merge_fields"]?["LNAME"] == "One")
            #expect(second.json["new_members"]?[0]?["status"] == "pending")
            #expect(try await mock.users().count == 4)
        }
    }

    @Test func batchOf501MembersIs400() async throws {
        try await withMock(.mailchimp) { mock in
            let members = (0..<501).map { #"{"email_address":"u\#($0)@example.org","status":"subscribed"}"# }.joined(separator: ",")
            let answer = try await send(mock, .post, "/3.0/lists/\(Self.list)", #"{"members":[\#(members)]}"#)
            #expect(answer.status == 400)
            #expect(answer.json["title"] == "Invalid Resource")
            #expect(answer.json["errors"]?[0]?["field"] == "members")
            #expect(try await mock.users().isEmpty)

            let five00 = (0..<500).map { #"{"email_address":"u\#($0)@example.org","status":"subscribed"}"# }.joined(separator: ",")
            let ok = try await send(mock, .post, "/3.0/lists/\(Self.list)", #"{"members":[\#(five00)]}"#)
            #expect(ok.status == 200)
            #expect(ok.json["total_created"] == 500)
        }
    }

    @Test func unknownListIs404() async throws {
        try await withMock(.mailchimp) { mock in
            let hash = "5bfcf2d8e394674550332640d72db509"
            let answers = [
                try await send(mock, .get, "/3.0/lists/nope/members/\(hash)"),
                try await send(mock, .put, "/3.0/lists/nope/members/\(hash)", #"{"email_address":"ada@example.org","status_if_new":"subscribed"}"#),
                try await send(mock, .patch, "/3.0/lists/nope/members/\(hash)", #"{"status":"subscribed"}"#),
                try await send(mock, .post, "/3.0/lists/nope", #"{"members":[]}"#),
                try await send(mock, .get, "/3.0/lists/nope/merge-fields"),
            ]
            for answer in answers {
                #expect(answer.status == 404)
                #expect(answer.json["title"] == "Resource Not Found")
            }
            #expect(try await mock.users().isEmpty)
        }
    }

    @Test func mergeFieldsListFnameAndLname() async throws {
        try await withMock(.mailchimp, options: try optionsWithUsers()) { mock in
            let answer = try await send(mock, .get, "/3.0/lists/L2/merge-fields?count=100")
            #expect(answer.status == 200)
            let tags = answer.json["merge_fields"]!.array.compactMap { $0["tag"]?.string }
            #expect(tags == ["FNAME", "LNAME", "ADDRESS", "PHONE", "BIRTHDAY", "PLAN"])
            #expect(answer.json["total_items"] == 6)
            #expect(answer.json["merge_fields"]?[0]?["type"] == "text")
        }
    }

    @Test func mockUsersAreMembersOfEveryListWithTheirListId() async throws {
        try await withMock(.mailchimp, options: try optionsWithUsers()) { mock in
            _ = try await send(mock, .put, "/3.0/lists/\(Self.list)/members/945a52e268c6e32941eb838c104581d4",
                #"{"email_address":"ella.hall@example.org","status_if_new":"subscribed"}"#)
            let users = try await mock.users()
            #expect(users.count == 3)
            #expect(users.map { $0["list_id"] } == ["L2", "L2", .string(Self.list)])
            #expect(users[0]["id"] == "945a52e268c6e32941eb838c104581d4")
            #expect(users[0]["merge_fields"]?["PLAN"] == "pro")
            #expect(users[0]["tags"]?[0]?["name"] == "vip")
            #expect(users[1]["status"] == "unsubscribed")

            // The same shape loads back; a duplicate on the same list is refused.
            let load = try await mock.send(.post, "/__mock/load", #"{"users":[{"list_id":"L3","email_address":"x@example.org","status":"subscribed"}]}"#, authorization: .some(nil))
            #expect(load.status == 200)
            let duplicate = try await mock.send(.post, "/__mock/load", #"{"users":[{"list_id":"L2","email_address":"Zed@example.org"}]}"#, authorization: .some(nil))
            #expect(duplicate.status == 400)
            #expect(try await mock.users().count == 4)

            let reset = try await mock.send(.post, "/__mock/reset", authorization: .some(nil))
            #expect(reset.status == 204)
            #expect(try await mock.users().count == 2)
        }
    }
}
