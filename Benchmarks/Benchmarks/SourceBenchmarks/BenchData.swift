import Foundation

/// Writes the benchmark CSV once: `rows` profiles of 8 columns, about 100 bytes a row,
/// deterministic (a fixed linear congruential generator), so every run measures the same bytes.
enum BenchData {
    static let header = "id,email,first_name,country,age,score,vip,updated_at\n"

    static let schemaJSON = """
        {"kind":"object","properties":[
          {"name":"id","type":{"kind":"int","bitSize":64}},
          {"name":"email","type":{"kind":"string","maxLength":254},"nullable":true},
          {"name":"first_name","type":{"kind":"string","maxLength":100},"nullable":true},
          {"name":"country","type":{"kind":"string","maxLength":2},"nullable":true},
          {"name":"age","type":{"kind":"int","bitSize":16},"nullable":true},
          {"name":"score","type":{"kind":"float","bitSize":64}},
          {"name":"vip","type":{"kind":"boolean"}},
          {"name":"updated_at","type":{"kind":"datetime"}}]}
        """

    static let filterJSON = """
        {"logical":"and","conditions":[
          {"property":"country","operator":"is one of","values":["DE","FR","IT","ES"]},
          {"property":"age","operator":"is greater than or equal to","values":["30"]},
          {"property":"vip","operator":"is true"}]}
        """

    /// Rows of the throughput benchmarks: 1M, or `OUTFLOW_BENCH_ROWS` (the report's `--quick` run
    /// sets a small count to check the harness end to end; its figures are not the report's).
    static let rows = size("OUTFLOW_BENCH_ROWS", default: 1_000_000)
    /// Rows of the peak-memory benchmark: 10M, or `OUTFLOW_BENCH_MEMORY_ROWS`.
    static let memoryRows = size("OUTFLOW_BENCH_MEMORY_ROWS", default: 10_000_000)

    private static func size(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? value
    }

    /// "1M", "10M", "20k", or the count itself: the size in a benchmark's name.
    static func label(_ rows: Int) -> String {
        if rows % 1_000_000 == 0 { return "\(rows / 1_000_000)M" }
        if rows % 1_000 == 0 { return "\(rows / 1_000)k" }
        return "\(rows)"
    }

    static func path(rows: Int) -> String {
        let directory = ProcessInfo.processInfo.environment["OUTFLOW_BENCH_DIR"] ?? "/tmp/outflow-bench-data"
        return "\(directory)/profiles-\(rows).csv"
    }

    /// The path of the file of `rows` profiles, written first if missing.
    static func ensure(rows: Int) throws -> String {
        let path = path(rows: rows)
        if FileManager.default.fileExists(atPath: path) { return path }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Written beside and renamed when whole, so an interrupted run never leaves a short file
        // that the next run would take for the real one.
        let partial = path + ".partial"
        _ = FileManager.default.createFile(atPath: partial, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
        let names = ["Anna", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Giulia", "Hiro", "Ines", "Jonas", "Karin", "Luca"]
        let countries = ["DE", "FR", "IT", "ES", "US", "GB", "CA", "JP"]
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        // Made once for the file rather than once per row.
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var chunk = header
        for id in 1...rows {
            let name = names[Int(next() % UInt64(names.count))]
            let country = countries[Int(next() % UInt64(countries.count))]
            let age = 18 + next() % 70
            let score = Double(next() % 100_000) / 1000
            let vip = next() % 3 == 0 ? "true" : "false"
            let second = 1_600_000_000 + next() % 100_000_000
            let date = Date(timeIntervalSince1970: TimeInterval(second))
            chunk += "\(id),\(name.lowercased()).\(id)@example-mail.com,\(name),\(country),\(age),\(score),\(vip),\(formatter.string(from: date))\n"
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
        try handle.close()
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        return path
    }
}
