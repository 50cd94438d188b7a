import Hummingbird
import OutflowCore

/// The `/__mock/` endpoints users script against (DESIGN 9b). They need no credential and are
/// exempt from limits, faults and statistics, so inspecting a mock never changes what it does.
///
/// ```sh
/// curl -s http://127.0.0.1:8089/__mock/users            # {"users":[...]} in creation order
/// curl -s -X POST --data @users.json http://127.0.0.1:8089/__mock/load
/// curl -s -X POST http://127.0.0.1:8089/__mock/reset    # back to the --users file
/// curl -s http://127.0.0.1:8089/__mock/stats            # requests by route and status
/// ```
enum MockControlRoutes {
    static func add(to router: Router<MockRequestContext>, api: any MockAPI, runtime: MockRuntime) {
        let group = router.group("__mock")
        group.get("users") { _, _ in
            MockHTTP.json(["users": .array(await api.users())])
        }
        group.post("load") { request, context in
            let users: [JSONValue]
            switch try await MockHTTP.jsonBody(request, context: context) {
            case .failure(let error):
                return MockHTTP.json(["error": .string("the body is not JSON: \(error)")], status: .badRequest)
            case .success(let body):
                guard let list = body["users"]?.arrayValue else {
                    return MockHTTP.json(["error": #"expected {"users":[...]}"#], status: .badRequest)
                }
                users = list
            }
            do throws(MockLoadError) {
                try await api.load(users)
            } catch {
                return MockHTTP.json(["error": .string(error.message)], status: .badRequest)
            }
            return MockHTTP.json(["loaded": .number(String(users.count))])
        }
        group.post("reset") { _, _ in
            await api.reset()
            await runtime.reset()
            return MockHTTP.empty(.noContent)
        }
        group.get("stats") { _, _ in
            MockHTTP.json(await runtime.statsJSON())
        }
    }
}
