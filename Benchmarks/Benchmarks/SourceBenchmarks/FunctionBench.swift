import Foundation
import OutflowCore
import OutflowFunctions

/// A six-field transformation function over 1M profiles, in Python and in JavaScript (issue 4's
/// figure), and the same Python function in a plain Python loop over prebuilt dicts, side by side.
/// Goals: Python at least 2M profiles/s (within 2.5x of the plain loop), JavaScript at least 1M/s.
///
/// The profiles are built in memory once, in batches of 1,000 (the CSV reader's batch size), with
/// the columns and value shapes of BenchData's CSV, so the figure is the function host alone: no
/// decoding. The function reads six properties (int, three strings, boolean, datetime) and returns
/// six: two concatenations, `lower`, a fallback, a condition and a datetime passed through.
enum FunctionBench {
    static let pythonSource = """
        def transform(user):
            first = user["first_name"]
            return {
                "name": first + " " + user["country"],
                "label": user["country"] + "-" + str(user["id"]),
                "email": user["email"].lower(),
                "nickname": first or "friend",
                "tier": "gold" if user["vip"] else "standard",
                "updated": user["updated_at"],
            }
        """

    static let javaScriptSource = """
        function transform(user) {
            const first = user.first_name;
            return {
                name: first + " " + user.country,
                label: user.country + "-" + user.id,
                email: user.email.toLowerCase(),
                nickname: first || "friend",
                tier: user.vip ? "gold" : "standard",
                updated: user.updated_at,
            };
        }
        """

    // Built once per benchmark process; a benchmark cannot go on without them.
    static let profiles: [ProfileBatch] = try! batches(rows: BenchData.rows)
    static let python: CompiledFunction = try! compile(.python)
    static let javaScript: CompiledFunction = try! compile(.javaScript)

    /// The `outflow` binary whose `function-worker` runs the worker-host benchmarks: `OUTFLOW_BIN`
    /// (the report script sets it to the release build), else none and those benchmarks are not
    /// registered, since this package does not build the product's executable.
    static let workerExecutable: String? = ProcessInfo.processInfo.environment["OUTFLOW_BIN"].flatMap {
        FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil
    }
    static let pythonWorker: CompiledFunction = try! compile(.python, host: .worker(FunctionWorker(executable: workerExecutable ?? "outflow")))
    static let javaScriptWorker: CompiledFunction = try! compile(.javaScript, host: .worker(FunctionWorker(executable: workerExecutable ?? "outflow")))

    static let inPaths = ["id", "email", "first_name", "country", "vip", "updated_at"]
    static let outPaths = ["name", "label", "email", "nickname", "tier", "updated"]

    static let outSchemaJSON = """
        {"kind":"object","properties":[
          {"name":"name","type":{"kind":"string","maxLength":200},"nullable":true},
          {"name":"label","type":{"kind":"string"},"nullable":true},
          {"name":"email","type":{"kind":"string","maxLength":254},"nullable":true},
          {"name":"nickname","type":{"kind":"string"},"nullable":true},
          {"name":"tier","type":{"kind":"string"},"nullable":true},
          {"name":"updated","type":{"kind":"datetime"},"nullable":true}]}
        """

    static let names = ["Anna", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Giulia", "Hiro", "Ines", "Jonas", "Karin", "Luca"]
    static let countries = ["DE", "FR", "IT", "ES", "US", "GB", "CA", "JP"]

    static func schemas() throws -> (ObjectType, ObjectType) {
        var issues: [Diagnostic] = []
        guard let schema = ObjectType.decodeSchema(try JSONParser.parse(BenchData.schemaJSON), path: "", issues: &issues),
            let outSchema = ObjectType.decodeSchema(try JSONParser.parse(outSchemaJSON), path: "", issues: &issues)
        else { throw ValidationError(issues) }
        return (schema, outSchema)
    }

    /// `rows` profiles in batches of `batchSize`, from the fixed-seed generator BenchData uses.
    static func batches(rows: Int, batchSize: Int = 1_000) throws -> [ProfileBatch] {
        let (schema, _) = try schemas()
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var result: [ProfileBatch] = []
        var batch = ProfileBatch(schema: schema)
        for id in 1...rows {
            let name = names[Int(next() % UInt64(names.count))]
            let row = batch.appendRow(record: id, line: id + 1)
            batch[row, 0] = .int(Int64(id))
            batch[row, 1] = .string("\(name.lowercased()).\(id)@example-mail.com")
            batch[row, 2] = .string(name)
            batch[row, 3] = .string(countries[Int(next() % UInt64(countries.count))])
            batch[row, 4] = .int(Int64(18 + next() % 70))
            batch[row, 5] = .float(Double(next() % 100_000) / 1000)
            batch[row, 6] = .boolean(next() % 3 == 0)
            batch[row, 7] = .datetime(DateTimeValue(seconds: Int64(1_600_000_000 + next() % 100_000_000)))
            if batch.count == batchSize {
                result.append(batch)
                batch = ProfileBatch(schema: schema)
            }
        }
        if !batch.isEmpty { result.append(batch) }
        return result
    }

    static func compile(_ language: TransformationFunction.Language, host: FunctionHost = .inProcess) throws -> CompiledFunction {
        let (schema, outSchema) = try schemas()
        let function = TransformationFunction(
            source: language == .python ? pythonSource : javaScriptSource, language: language, preserveJSON: false,
            inPaths: inPaths, outPaths: outPaths)
        return try CompiledFunction(function, inSchema: schema, outSchema: outSchema, host: host)
    }

    /// Transforms every profile of `batches`; returns how many users were produced.
    static func run(_ function: CompiledFunction, _ batches: [ProfileBatch]) -> Int {
        var users = 0
        for batch in batches {
            for result in function.transform(batch, rows: 0..<batch.count, action: .create) {
                if case .success = result { users += 1 }
            }
        }
        return users
    }

    /// Seconds the system's Python takes to run the same function over `rows` prebuilt dicts of
    /// the same values (the dicts are built before the clock starts; results are kept in a list).
    static func plainPythonLoop(rows: Int) throws -> Double {
        let script = """
            import datetime, random, time
            \(pythonSource)
            names = \(names)
            countries = \(countries)
            utc = datetime.timezone.utc
            users = [{"id": i, "email": names[i % 12].lower() + "." + str(i) + "@example-mail.com",
                      "first_name": names[i % 12], "country": countries[i % 8], "vip": i % 3 == 0,
                      "updated_at": datetime.datetime.fromtimestamp(1600000000 + i * 97, utc)}
                     for i in range(1, \(rows) + 1)]
            start = time.perf_counter()
            out = [transform(u) for u in users]
            print(time.perf_counter() - start)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3.11")
        process.arguments = ["-I", "-c", script]
        process.environment = [:]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let seconds = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ValidationError([Diagnostic(path: "python3.11", message: "no timing printed")])
        }
        return seconds
    }
}
