import Foundation
import OutflowCore
import OutflowHTTP
import OutflowMocks
import Testing

/// What every application mock does alike (DESIGN 9b): fixture users, control endpoints, the
/// API's own 401 and 5xx bodies, and the faults of the fault SPEC, reproducible with a seed.
@Suite("Mocks: behaviour shared by the application mocks")
struct AppMockTests {
    @Test(arguments: AppMockCase.all)
    func fixtureUsersLoadInCreationOrderAndResetRestoresThem(_ app: AppMockCase) async throws {
        try await withMock(app.kind, options: appOptions(app.fixture)) { mock in
            let users = try await mock.users()
            #expect(users.count >= 50)
            #expect(Set(users.compactMap(app.email)).count == 50)
            let read = try await app.send(mock, .get, app.readPath(users[0]))
            #expect(read.status == 200, "\(read.text)")

            let created = try await app.sendCreate(mock)
            #expect((200..<300).contains(created.status), "\(created.text)")
            let after = try await mock.users()
            #expect(after.count == users.count + 1)
            #expect(app.email(after[after.count - 1]) == "ghost@example.org")

            let reset = try await mock.send(.post, "/__mock/reset", authorization: .some(nil))
            #expect(reset.status == 204)
            #expect(try await mock.users() == users)
        }
    }

    @Test(arguments: AppMockCase.all)
    func loadTakesTheGetOneShapeAndRefusesARepeatedUser(_ app: AppMockCase) async throws {
        try await withMock(app.kind, options: appOptions(app.fixture)) { mock in
            let users = try await mock.users()
            let again = JSONWriter.string(["users": [users[0]]])
            let refused = try await mock.send(.post, "/__mock/load", again, authorization: .some(nil))
            #expect(refused.status == 400)
            #expect(refused.json["error"]?.string?.contains("users[0]") == true)
        }
        try await withMock(app.kind) { mock in
            let file = try #require(FileManager.default.contents(atPath: fixturePath("apps/\(app.fixture)-users.json")))
            let loaded = try await mock.send(.post, "/__mock/load", String(decoding: file, as: UTF8.self), authorization: .some(nil))
            #expect(loaded.status == 200)
            #expect((loaded.json["loaded"]?.int ?? 0) >= 50)
        }
    }

    @Test(arguments: AppMockCase.all)
    func missingCredentialIsTheAPIs401AndIsCounted(_ app: AppMockCase) async throws {
        try await withMock(app.kind, options: appOptions(app.fixture)) { mock in
            let users = try await mock.users()
            let answer = try await mock.request(.get, app.readPath(users[0]), headers: app.headers.filter { $0.0 != "Authorization" && $0.0 != "api-key" })
            #expect(answer.status == 401)
            #expect(app.isError(answer.json), "\(answer.text)")
            let stats = try await mock.stats()
            #expect(stats["total"] == 1)
        }
    }

    @Test(arguments: AppMockCase.all, ["500", "502", "503", "429"])
    func injectedStatusesUseTheAPIsErrorBody(_ app: AppMockCase, _ status: String) async throws {
        let options = try appOptions(app.fixture) { $0.faults = try FaultSpec.parse("\(status)=1") }
        try await withMock(app.kind, options: options) { mock in
            let users = try await mock.users()
            let answer = try await app.send(mock, .get, app.readPath(users[0]))
            #expect(answer.status == Int(status))
            #expect(app.isError(answer.json), "\(answer.text)")
        }
    }

    @Test(arguments: AppMockCase.all)
    func sameSeedSameFaults(_ app: AppMockCase) async throws {
        func statuses(_ seed: UInt64) async throws -> [Int] {
            let options = try appOptions(app.fixture) {
                $0.faults = try FaultSpec.parse("429=0.2,500=0.2")
                $0.seed = seed
                $0.rateLimit = .off
            }
            return try await withMock(app.kind, options: options) { mock in
                let path = app.readPath(try await mock.users()[0])
                var result: [Int] = []
                for _ in 0..<20 { result.append(try await app.send(mock, .get, path).status) }
                return result
            }
        }
        let first = try await statuses(7)
        #expect(try await statuses(7) == first)
        #expect(Set(first).isSuperset(of: [200, 429, 500]))
    }

    @Test(arguments: AppMockCase.all)
    func dropAfterApplyWritesWithoutAnswering(_ app: AppMockCase) async throws {
        let options = try appOptions(app.fixture) { $0.faults = try FaultSpec.parse("drop-after-apply=1") }
        try await withMock(app.kind, options: options) { mock in
            let before = try await mock.users().count
            await #expect(throws: HTTPError.self) { _ = try await app.sendCreate(mock) }
            let after = try await mock.users()
            #expect(after.count == before + 1)
            #expect(app.email(after[after.count - 1]) == "ghost@example.org")
            let stats = try await mock.stats()
            #expect(stats["routes"]?["\(app.create.method.rawValue) \(app.create.path)"]?["dropped"] == 1, "\(stats)")
        }
    }

    @Test(arguments: AppMockCase.all)
    func dropNeverApplies(_ app: AppMockCase) async throws {
        let options = try appOptions(app.fixture) { $0.faults = try FaultSpec.parse("drop=1") }
        try await withMock(app.kind, options: options) { mock in
            let before = try await mock.users().count
            await #expect(throws: HTTPError.self) { _ = try await app.sendCreate(mock) }
            #expect(try await mock.users().count == before)
        }
    }

    @Test(arguments: AppMockCase.all)
    func latencyDelaysEveryRequest(_ app: AppMockCase) async throws {
        let options = try appOptions(app.fixture) { $0.faults = try FaultSpec.parse("latency=120ms") }
        try await withMock(app.kind, options: options) { mock in
            let path = app.readPath(try await mock.users()[0])
            let start = ContinuousClock.now
            _ = try await app.send(mock, .get, path)
            #expect(ContinuousClock.now - start >= .milliseconds(120))
        }
    }
}
