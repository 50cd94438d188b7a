import ArgumentParser
import Dispatch
import Foundation
import OutflowMocks

/// `outflow mock NAME`: runs a mock application server until Ctrl-C or SIGTERM.
struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Run a mock application server (\(MockKind.allCases.map(\.rawValue).joined(separator: ", "))) to test pipelines against.",
        discussion: """
            The mock speaks the application's real paths, bodies, status codes, headers and error \
            shapes, keeps its users in memory, enforces credentials, batch sizes and rate limits, and \
            injects faults on request. Point a connection's baseURL at the origin it prints: that is \
            the only line it writes on stdout, once it accepts connections. Logs go to stderr.

            Control endpoints, no credential needed: GET /__mock/users, POST /__mock/load, \
            POST /__mock/reset, GET /__mock/stats. See docs/mocks.md.

            Fault SPEC: comma-separated 429=P, 500=P, 502=P, 503=P, drop=P, drop-after-apply=P \
            (probabilities per request), latency=DURATION, search-lag=DURATION (HubSpot, Intercom and \
            Stripe searches); for example \
            --fault 429=0.1,500=0.05,drop=0.01,latency=20ms. --seed N makes the faults reproducible.

            Exit codes: 0 stopped by SIGINT or SIGTERM; 1 could not start; 64 usage error.
            """
    )

    @Argument(help: "The application to imitate: \(MockKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (the printed origin tells which).")
    var port = 0

    @Option(help: "A JSON file {\"users\":[...]} of initial users, each in the shape the API's get-one returns.")
    var users: String?

    @Option(help: "Accept only this credential (for Basic auth: the password). Default: any non-empty one.")
    var token: String?

    @Option(help: "Faults to inject, e.g. 429=0.1,500=0.05,drop=0.01,latency=20ms.")
    var fault: String?

    @Option(help: "Seed for the fault generator, so a run's faults can be reproduced.")
    var seed: UInt64?

    @Option(name: .customLong("rate-limit"), help: "default (the API's documented limit), off, or N/DURATION such as 190/10s.")
    var rateLimit = "default"

    @Option(help: "Webhook mock: the path deliveries are POSTed to.")
    var path = "/webhook"

    @Option(help: "Webhook mock: the Standard Webhooks secret (whsec_...); deliveries must then be signed.")
    var secret: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard MockKind(name: name) != nil else {
            throw ValidationError("unknown mock «\(name)»; known: \(MockKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not between 0 and 65535") }
        _ = try options(users: nil)
    }

    /// The options the flags describe; `ValidationError` names the flag at fault.
    private func options(users: [UInt8]?) throws -> MockOptions {
        var options = MockOptions()
        options.host = host
        options.port = port
        options.users = users
        options.token = token
        options.seed = seed
        options.webhookPath = path.hasPrefix("/") ? path : "/" + path
        options.webhookSecret = secret
        do {
            if let fault { options.faults = try FaultSpec.parse(fault) }
        } catch {
            throw ValidationError("--fault: \(error)")
        }
        do {
            options.rateLimit = try RateLimitSetting.parse(rateLimit)
        } catch {
            throw ValidationError("--rate-limit: \(error)")
        }
        return options
    }

    func run() async throws {
        var bytes: [UInt8]?
        if let users {
            guard let data = FileManager.default.contents(atPath: users) else {
                printError("\(users): cannot read the users file")
                throw ExitCode(1)
            }
            bytes = Array(data)
        }
        let server: MockServer
        do {
            server = try await MockServer.start(MockKind(name: name)!, options: try options(users: bytes))
        } catch {
            printError("\(users.map { "\($0): " } ?? "")\(error)")
            throw ExitCode(1)
        }
        var out = StandardStream.standardOutput()
        out.line(server.origin)
        out.flush()
        printError("outflow mock \(name): listening on \(server.origin); Ctrl-C to stop")
        await TerminationSignal.wait()
        await server.stop()
    }
}

/// Waits for SIGINT or SIGTERM, whichever comes first.
///
/// Both are ignored at the process level and watched with dispatch sources instead, so the signal
/// ends the wait (and the server stops cleanly, exit 0) rather than killing the process.
enum TerminationSignal {
    static func wait() async {
        let queue = DispatchQueue(label: "outflow.mock.signals")
        let watcher = Watcher()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.sync {
                watcher.continuation = continuation
                for number in [SIGINT, SIGTERM] {
                    signal(number, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                    source.setEventHandler { watcher.fire() }
                    source.resume()
                    watcher.sources.append(source)
                }
            }
        }
    }

    /// Touched only on the signal queue.
    private final class Watcher: @unchecked Sendable {
        var continuation: CheckedContinuation<Void, Never>?
        var sources: [any DispatchSourceSignal] = []

        func fire() {
            continuation?.resume()
            continuation = nil
            for source in sources { source.cancel() }
        }
    }
}
