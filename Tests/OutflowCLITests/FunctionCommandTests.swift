import Foundation
import Testing

/// `preview` runs transformation functions; `validate` compile-checks them.
@Suite struct FunctionCommandTests {
    /// demo.json with pipeline 101's mapping replaced by `function`, written to a scratch directory.
    func workspace(function: [String: Any]) throws -> (URL, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-functions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = try Data(contentsOf: URL(fileURLWithPath: CLIProcess.fixture("workspaces/demo.json")))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var warehouse = try #require(object["warehouse"] as? [String: Any])
        var profiles = try #require(warehouse["profiles"] as? [String: Any])
        profiles["path"] = CLIProcess.fixture("profiles/customers.csv")
        warehouse["profiles"] = profiles
        object["warehouse"] = warehouse
        var pipelines = try #require(object["pipelines"] as? [[String: Any]])
        pipelines[0]["transformation"] = ["function": function]
        // No schedules: served (ServeFunctionTests), the demo's pipeline 101 would also run at minute
        // 15 of every hour, and a scheduled run finishing first leaves the API run nothing but
        // `unchanged` profiles.
        for index in pipelines.indices {
            pipelines[index]["schedulePeriod"] = nil
            pipelines[index]["scheduleStart"] = nil
        }
        object["pipelines"] = pipelines
        var connections = try #require(object["connections"] as? [[String: Any]])
        connections[0]["mock"] = ["users": CLIProcess.fixture("apps/hubspot-users.json")]
        object["connections"] = connections
        let file = directory.appendingPathComponent("outflow.json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        return (directory, file)
    }

    static let sources: [(String, String)] = [
        ("Python", """
            def transform(user):
                print("seen", user["email"])
                if user["first_name"] == "Ana":
                    raise TypeError("no Anas")
                return {"firstname": user["first_name"].upper(), "city": user["address"]["city"]}
            """),
        ("JavaScript", """
            function transform(user) {
                console.log("seen", user.email);
                if (user.first_name === "Ana") throw new TypeError("no Anas");
                return { firstname: user.first_name.toUpperCase(), city: user.address.city };
            }
            """),
    ]

    @Test("preview runs the function: users, per-profile transform errors, prints on stderr", arguments: sources)
    func preview(_ row: (String, String)) throws {
        let (language, source) = row
        let (directory, file) = try workspace(function: [
            "source": source, "language": language, "preserveJSON": false,
            "inPaths": ["email", "first_name", "address.city"], "outPaths": ["firstname", "city"],
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIProcess.run(["preview", file.path, "--pipeline", "101", "--limit", "5"])
        #expect(result.status == 2, "\(result.stderr)")
        let lines = result.stdoutLines
        #expect(lines.count == 5)
        // Row 1 of customers.csv is Ana López.
        #expect(lines.first?.hasPrefix(#"{"profile":1,"error":{"stage":"transform","message":"TypeError: no Anas (line "#) == true)
        #expect(lines.dropFirst().allSatisfy { $0.contains(#""user":{"firstname":""#) })
        #expect(!result.stdout.contains("seen"))
        #expect(result.stderr.contains("function: seen"))
    }

    @Test("preview --isolate-functions runs the function in a worker, with the same output", arguments: sources)
    func previewIsolated(_ row: (String, String)) throws {
        let (language, source) = row
        let (directory, file) = try workspace(function: [
            "source": source, "language": language, "preserveJSON": false,
            "inPaths": ["email", "first_name", "address.city"], "outPaths": ["firstname", "city"],
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let local = try CLIProcess.run(["preview", file.path, "--pipeline", "101", "--limit", "5"])
        let isolated = try CLIProcess.run(["preview", file.path, "--pipeline", "101", "--limit", "5", "--isolate-functions"])
        #expect(isolated.status == 2, "\(isolated.stderr)")
        #expect(isolated.stdout == local.stdout)
        #expect(isolated.stderr.contains("function: seen"))
    }

    @Test("validate reports a syntax error with the interpreter's message and line", arguments: [
        ("Python", "def transform(user):\n    return {\"firstname\": user[\"first_name\"]\n", "pipelines[0].transformation.function.source: SyntaxError: '{' was never closed (line 2)"),
        ("JavaScript", "function transform(user) {\n  return { firstname: user.first_name;\n}", "pipelines[0].transformation.function.source: SyntaxError: "),
        ("Python", "def transfrom(user):\n    return {}\n", "pipelines[0].transformation.function.source: the source does not define transform(user)"),
    ])
    func validate(_ language: String, _ source: String, _ expected: String) throws {
        let (directory, file) = try workspace(function: [
            "source": source, "language": language, "inPaths": ["first_name"], "outPaths": ["firstname"],
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIProcess.run(["validate", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(file.path + ": " + expected), "\(result.stderr)")
        let preview = try CLIProcess.run(["preview", file.path, "--pipeline", "101"])
        #expect(preview.status == 1)
        #expect(preview.stdout.isEmpty)
    }

    @Test("validate accepts a function that compiles")
    func validateGood() throws {
        let (directory, file) = try workspace(function: [
            "source": "def transform(user):\n    return {}\n", "language": "Python", "inPaths": ["first_name"], "outPaths": ["firstname"],
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIProcess.run(["validate", file.path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("run sends what the function returns, in-process and with --isolate-functions alike", arguments: sources)
    func run(_ row: (String, String)) throws {
        let (language, source) = row
        let (directory, file) = try workspace(function: [
            "source": source, "language": language, "preserveJSON": false,
            "inPaths": ["email", "first_name", "address.city"], "outPaths": ["firstname", "city"],
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        var outcomes: [[String: Any]] = []
        for extra in [[], ["--isolate-functions"]] {
            let result = try CLIProcess.run(["run", file.path, "--pipeline", "101", "--json"] + extra, background: true)
            #expect(result.status == 2, "\(result.stderr)")
            let line = try #require(result.stdoutLines.first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["status"] as? String == "finished")
            let errors = try #require(object["errors"] as? [[String: Any]])
            // Profile 1 is Ana López: the function refuses her, and the run goes on.
            let ana = try #require(errors.first { $0["profile"] as? Int == 1 })
            #expect(ana["stage"] as? String == "transform")
            #expect((ana["message"] as? String)?.hasPrefix("TypeError: no Anas") == true)
            #expect(!result.stdout.contains("seen"))
            outcomes.append(try #require(object["counts"] as? [String: Any]))
        }
        let counts = outcomes.map { $0.mapValues { $0 as? Int ?? -1 } }
        #expect(counts[0] == counts[1])
        #expect((counts[0]["created"] ?? 0) + (counts[0]["updated"] ?? 0) > 1000)
        #expect((counts[0]["failed"] ?? 0) > 20)
    }
}
