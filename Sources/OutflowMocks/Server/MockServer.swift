import Hummingbird
import Logging
import NIOCore
import OutflowCore
import ServiceLifecycle

/// A mock application server running in this process, on a loopback port.
///
/// Tests start one per test; the engine starts one for a connection marked `"mock": true`;
/// `outflow mock` starts one and waits for a signal.
///
/// ```swift
/// let server = try await MockServer.start(.hubspot, options: MockOptions())
/// defer { Task { await server.stop() } }
/// print(server.origin)   // http://127.0.0.1:40517
/// ```
public final class MockServer: Sendable {
    /// `http://HOST:PORT`, with the port actually bound; the `baseURL` a connection points at.
    public let origin: String
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    private init(origin: String, port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.origin = origin
        self.port = port
        self.task = task
        self.group = group
    }

    /// Starts `kind` with `options` and returns once it accepts connections.
    /// Throws `MockOptionError`/`MockLoadError` for bad options or users, or the bind error.
    public static func start(_ kind: MockKind, options: MockOptions = MockOptions()) async throws -> MockServer {
        let api = try await makeAPI(kind, options: options)
        let seed = options.seed ?? UInt64.random(in: .min ... .max)
        let runtime = MockRuntime(rules: api.rateLimits(options.rateLimit), faults: options.faults, seed: seed, clock: options.clock)

        let router = Router(context: MockRequestContext.self)
        MockControlRoutes.add(to: router, api: api, runtime: runtime)
        let gated = router.group().add(
            middleware: MockGateMiddleware(api: api, runtime: runtime, token: options.token, latency: options.faults.latency)
        )
        api.addRoutes(to: gated)

        // Hummingbird logs to stdout by default; `outflow mock` must print exactly one line there.
        var logger = Logger(label: "outflow.mock.\(kind.rawValue)") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning

        let (ready, readyContinuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "outflow-mock"),
            onServerRunning: { channel in
                readyContinuation.yield(channel.localAddress?.port ?? options.port)
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            do {
                try await group.run()
                readyContinuation.finish()
            } catch {
                readyContinuation.finish(throwing: error)
                throw error
            }
        }
        for try await port in ready {
            return MockServer(origin: "http://\(hostForURL(options.host)):\(port)", port: port, task: task, group: group)
        }
        task.cancel()
        throw MockOptionError.invalid("the \(kind.rawValue) mock stopped before it was ready")
    }

    /// Stops accepting connections, lets requests in flight finish, closes idle connections and
    /// waits until the server has stopped; after 2 s, whatever is still open is cut.
    public func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let deadline = Task {
            try await Task.sleep(for: .seconds(2))
            task.cancel()
        }
        _ = await task.result
        deadline.cancel()
    }

    private static func makeAPI(_ kind: MockKind, options: MockOptions) async throws -> any MockAPI {
        switch kind {
        case .hubspot:
            let store = HubSpotStore(searchLag: options.faults.searchLag, clock: options.clock)
            if let bytes = options.users { try await store.loadInitial(try MockUsersFile.parse(bytes)) }
            return HubSpotMock(store: store)
        case .mailchimp:
            let store = MailchimpStore()
            if let bytes = options.users { try await store.loadInitial(try MockUsersFile.parse(bytes)) }
            return MailchimpMock(store: store)
        case .webhook:
            return WebhookMock(path: options.webhookPath, secret: options.webhookSecret)
        case .klaviyo:
            let store = KlaviyoStore()
            if let bytes = options.users { try await store.loadInitial(try MockUsersFile.parse(bytes)) }
            return KlaviyoMock(store: store)
        case .stripe:
            let store = StripeStore(searchLag: options.faults.searchLag, clock: options.clock)
            if let bytes = options.users { try await store.loadInitial(try MockUsersFile.parse(bytes)) }
            return StripeMock(store: store)
        case .intercom:
            let store = IntercomStore(searchLag: options.faults.searchLag, clock: options.clock)
            if let bytes = options.users { try await store.loadInitial(try MockUsersFile.parse(bytes)) }
            return IntercomMock(store: store, clock: options.clock)
        case .brevo:
            let store = BrevoStore()
            if let bytes = options.users { try await store.loadInitial(try MockUsersFile.parse(bytes)) }
            return BrevoMock(store: store)
        case .mailerlite:
            let store = MailerLiteStore()
            if let bytes = options.users { try await store.loadInitial(try MockUsersFile.parse(bytes)) }
            return MailerLiteMock(store: store, clock: options.clock)
        }
    }

    private static func hostForURL(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}

/// The `{"users":[...]}` document of `--users FILE` and `POST /__mock/load`.
enum MockUsersFile {
    static func parse(_ bytes: [UInt8]) throws(MockLoadError) -> [JSONValue] {
        let document: JSONValue
        do throws(JSONSyntaxError) {
            document = try JSONParser.parse(bytes: bytes)
        } catch {
            throw MockLoadError("users file: \(error)")
        }
        guard let users = document["users"]?.arrayValue else {
            throw MockLoadError(#"users file: expected {"users":[...]} at the top"#)
        }
        return users
    }
}
