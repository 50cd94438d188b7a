#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import OutflowTestSupport
import Testing

/// One case per row of `docs/errors.md`'s command-line tables: writes the row's input to a fresh
/// folder, runs its command, and expects its exit code and its message as one whole line of
/// stdout or stderr.
@Suite struct ErrorCatalogueTests {
    static let rows = ErrorCatalogue.rows { $0["exit"] != nil }

    @Test(arguments: rows)
    func row(_ row: ErrorCatalogue.Row) async throws {
        let input = try #require(CatalogueInput.cases[row.id], "no input for \(row.id) in CatalogueInput.cases")
        let command = try #require(row["command"])
        #expect(command.hasPrefix("outflow"))
        let arguments = command.split(separator: " ").dropFirst().map(String.init)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outflow-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var mock: BackgroundCLI?
        var origin = ""
        switch input.application {
        case .none: break
        case .mock(let token):
            // A process of its own: an in-process mock would share the cooperative pool that
            // the blocking waits of the parallel cases occupy.
            let server = try await BackgroundCLI.start(["mock", "hubspot", "--port", "0", "--token", token])
            mock = server
            origin = server.origin
        case .closedPort:
            origin = "http://127.0.0.1:\(try Self.closedPort())"
        }
        try input.write(to: directory, origin: origin)
        var environment = ProcessInfo.processInfo.environment
        environment["HS_TOKEN_UNSET"] = nil
        let result = try CLIProcess.run(arguments, in: directory, environment: environment)
        mock?.stop()

        let expected = try #require(row["message"])
            .replacingOccurrences(of: "$DIR", with: directory.path)
            .replacingOccurrences(of: "$ORIGIN", with: origin)
        let lines = (result.stdout + "\n" + result.stderr).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect("\(result.status)" == row["exit"], "\(row.id): stdout \(result.stdout) stderr \(result.stderr)")
        #expect(lines.contains { ErrorCatalogue.matches($0, expected) }, "\(row.id): expected \(expected)\nstdout: \(result.stdout)\nstderr: \(result.stderr)")
    }

    @Test func everyInputHasARowAndTheDocumentHasEveryClass() {
        let ids = Set(Self.rows.map(\.id))
        #expect(Set(CatalogueInput.cases.keys).subtracting(ids).isEmpty, "inputs with no row: \(Set(CatalogueInput.cases.keys).subtracting(ids))")
        for prefix in ["csv-", "json-", "ndjson-", "type-", "ws-", "pl-", "ex-", "fn-", "set-", "auth-", "net-"] {
            #expect(ids.contains { $0.hasPrefix(prefix) }, "no row for \(prefix)")
        }
        #expect(ids.count == Self.rows.count, "duplicate ids")
    }

    @Test func matchingWithAWildcard() {
        #expect(ErrorCatalogue.matches("after 12 ms: x", "after … ms: x"))
        #expect(!ErrorCatalogue.matches("after 12 s: x", "after … ms: x"))
        #expect(ErrorCatalogue.matches("abc", "abc"))
        #expect(!ErrorCatalogue.matches("abcd", "abc"))
        #expect(ErrorCatalogue.split(#"| a | b \| c |"#) == ["a", "b | c"])
        #expect(ErrorCatalogue.unquote("`x`") == "x")
        #expect(ErrorCatalogue.unquote("`` a`b ``") == "a`b")
    }

    /// A loopback port where nothing listens: bound, then released.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CatalogueError("could not bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct CatalogueError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
