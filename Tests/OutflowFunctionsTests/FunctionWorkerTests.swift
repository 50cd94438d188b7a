import Foundation
import OutflowCore
import OutflowFunctions
import Testing

/// The worker subprocess host: the `outflow` built beside the tests, run as `outflow function-worker`.
@Suite("Function worker")
struct FunctionWorkerTests {
    typealias H = FunctionHarness

    static var outflow: String {
        let tests = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: tests).deletingLastPathComponent().appendingPathComponent("outflow").path
    }

    static func function(
        _ worker: FunctionWorker, _ language: TransformationFunction.Language, _ source: String, in inPaths: [String], out outPaths: [String],
        timeout: Double = 10, log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(ValidationError) -> CompiledFunction {
        try CompiledFunction(
            TransformationFunction(source: source, language: language, preserveJSON: false, inPaths: inPaths, outPaths: outPaths),
            inSchema: H.everyKind, outSchema: H.everyKind, timeout: timeout, host: .worker(worker), log: log)
    }

    static let profiles: [ValueObject] = [
        ValueObject([
            ("s", .string("héllo 🌍")), ("b", .boolean(true)), ("i", .int(9_007_199_254_740_993)), ("small", .int(-12)),
            ("u", .uint(18_000_000_000_000_000_000)), ("f", .float(1.5)), ("d", H.decimal("12345678901234.500000")),
            ("dt", H.datetime("2023-01-02T03:04:05.123456Z")), ("da", H.date("2023-01-02")), ("t", H.time("03:04:05.5")),
            ("y", .year(1999)), ("id", .uuid(UUID(uuidString: "0f8fad5b-d9cb-469f-a165-70867728950e")!)),
            ("j", .json(.object(JSONObject([("a", .array([.number("1"), .null, .string("x")]))])))), ("ip", .ip("10.0.0.1")),
            ("arr", .array([.string("a"), .string("b")])),
            ("obj", .object(ValueObject([("a", .string("x")), ("n", .int(3))]))), ("m", .map(ValueObject([("k", .int(1))]))),
            ("label", .string("abc")), ("email", .string("a@b.c")),
        ]),
        ValueObject([("s", .null), ("i", .int(7)), ("email", .string("x@y.z"))]),
        ValueObject([("email", .string("only@email"))]),
    ]

    static let every = H.everyKind.properties.map(\.name)

    @Test("results equal the in-process host's on the same input", arguments: bothLanguages)
    func sameResults(_ language: TransformationFunction.Language) throws {
        let worker = FunctionWorker(executable: Self.outflow)
        let source: String
        switch language {
        case .python: source = "def transform(user):\n    out = dict(user)\n    if 'i' in out and out['i'] is not None:\n        out['i'] = out['i'] + 1\n    return out\n"
        case .javaScript: source = "function transform(user) { if (typeof user.i === 'bigint') user.i += 1n; else if (typeof user.i === 'number') user.i += 1; return user; }"
        }
        let isolated = try Self.function(worker, language, source, in: Self.every, out: Self.every)
        let local = try H.function(language, source, in: Self.every, out: Self.every)
        let expected = local.transform(Self.profiles, action: .either)
        #expect(isolated.transform(Self.profiles, action: .either) == expected)
        #expect(expected.allSatisfy { if case .success = $0 { true } else { false } })
        // Errors come back the same way too.
        let failing = language == .python ? "def transform(user):\n    return user['nope']\n" : "function transform(user) { return user.nope.x; }"
        let failingIsolated = try Self.function(worker, language, failing, in: ["s"], out: ["s"])
        let failingLocal = try H.function(language, failing, in: ["s"], out: ["s"])
        #expect(failingIsolated.transform(Self.profiles, action: .either) == failingLocal.transform(Self.profiles, action: .either))
    }

    @Test("a worker that exits fails only its batch and is restarted for the next")
    func crash() throws {
        let worker = FunctionWorker(executable: Self.outflow)
        let source = "import os\ndef transform(user):\n    if user['s'] == 'crash':\n        os._exit(3)\n    return {'s': user['s'] + '!'}\n"
        let function = try Self.function(worker, .python, source, in: ["s"], out: ["s"])
        let first = function.transform(["a", "crash", "b"].map { ValueObject([("s", .string($0))]) }, action: .either)
        #expect(first.count == 3)
        for result in first {
            guard case .failure(let error) = result else {
                Issue.record("a profile of the crashed batch succeeded")
                continue
            }
            #expect(error.message == "the function worker exited with status 3 while running this batch; the next batch starts a new one")
        }
        #expect(H.run(function, ValueObject([("s", .string("c"))])) == #"{"s":"c!"}"#)
        #expect(worker.starts == 2)
    }

    @Test("the worker inherits no descriptor of Outflow's but its pipes and stderr")
    func noInheritedDescriptors() throws {
        // A file this process holds open (as `outflow run` holds the state store) must not be open in the worker.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-fd-\(UUID().uuidString)").path
        let fd = open(path, O_CREAT | O_RDWR, 0o600)
        #expect(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        let worker = FunctionWorker(executable: Self.outflow)
        let source = """
            import os
            def transform(user):
                targets = []
                for name in os.listdir('/proc/self/fd'):
                    try:
                        targets.append(os.readlink('/proc/self/fd/' + name))
                    except OSError:
                        pass
                return {'s': '|'.join(targets)}
            """
        let function = try Self.function(worker, .python, source, in: ["s"], out: ["s"], timeout: 5)
        let answer = H.run(function, ValueObject([("s", .string("x"))]))
        #expect(answer.hasPrefix(#"{"s":""#), "\(answer)")
        #expect(!answer.contains(path), "the worker holds \(path): \(answer)")
    }

    @Test("a worker that does not answer within timeout × batch + margin is killed, and the next batch runs")
    func hang() throws {
        let worker = FunctionWorker(executable: Self.outflow, margin: 0.5)
        // time.sleep blocks in C: the in-process watchdog cannot interrupt it, the worker host can.
        let source = "import time\ndef transform(user):\n    if user['s'] == 'hang':\n        time.sleep(60)\n    return {'s': user['s']}\n"
        // 0.5 s per call: a fresh worker's first call on a loaded machine must fit in it (with 0.2 s the
        // restarted worker once died under the full suite; see the closing note of issue 4).
        let function = try Self.function(worker, .python, source, in: ["s"], out: ["s"], timeout: 0.5)
        let pid = try #require(worker.pid)
        let started = Date()
        let results = function.transform(["a", "hang"].map { ValueObject([("s", .string($0))]) }, action: .either)
        let elapsed = Date().timeIntervalSince(started)
        // Not before the deadline; and far before the 60 s sleep would end, which proves the kill
        // (the bound is loose: tests run in parallel on a loaded 2-core machine).
        #expect(elapsed >= 1.5 && elapsed < 30, "took \(elapsed) s")
        #expect(results.allSatisfy {
            if case .failure(let error) = $0 { error.message == "the function worker did not answer within 1.5 s and was stopped; the next batch starts a new one" } else { false }
        })
        #expect(kill(pid, 0) != 0, "the hung worker still runs")
        #expect(H.run(function, ValueObject([("s", .string("b"))])) == #"{"s":"b"}"#)
        #expect(worker.starts == 2)
    }

    @Test("the worker's process environment is empty, its directory is /, and print goes to the log")
    func environment() throws {
        // Outflow's own environment is never empty (PATH, HOME); no setenv here, which would race
        // with the tests that start processes in parallel.
        #expect(!ProcessInfo.processInfo.environment.isEmpty)
        let worker = FunctionWorker(executable: Self.outflow)
        let lines = LockedLines()
        let source = """
            import os
            def transform(user):
                print("hi")
                with open("/proc/self/environ", "rb") as f:
                    environ = f.read()
                return {"s": repr(environ) + " " + os.getcwd() + " " + str(os.getpid() != int(user["s"]))}
            """
        let function = try Self.function(worker, .python, source, in: ["s"], out: ["s"], log: { lines.append($0) })
        let result = H.run(function, ValueObject([("s", .string(String(getpid())))]))
        #expect(result == #"{"s":"b'' \/ True"}"# || result == #"{"s":"b'' / True"}"#)
        #expect(lines.all == ["hi\n"])
    }

    @Test("compile errors come back from the worker with the interpreter's message", arguments: bothLanguages)
    func compileError(_ language: TransformationFunction.Language) {
        let worker = FunctionWorker(executable: Self.outflow)
        let source = language == .python ? "def transform(user):\n    return {\n" : "function transform(user) { return {; }"
        let local = H.compileError(language, source)
        var isolated: String?
        do {
            _ = try Self.function(worker, language, source, in: ["s"], out: ["s"])
        } catch {
            isolated = error.diagnostics.map(\.message).joined(separator: "; ")
        }
        #expect(isolated != nil)
        #expect(isolated == local)
    }
}
