/// How to start a mock: the flags of `outflow mock` (DESIGN 11) as a value.
///
/// ```swift
/// var options = MockOptions()
/// options.token = "secret"
/// options.faults = try FaultSpec.parse("500=0.1")
/// options.seed = 42
/// let server = try await MockServer.start(.hubspot, options: options)
/// ```
public struct MockOptions: Sendable {
    /// Address to listen on; loopback by default so a mock is never reachable from outside.
    public var host: String = "127.0.0.1"
    /// 0 picks a free port; `MockServer.origin` tells which.
    public var port: Int = 0
    /// Initial users, as the bytes of a `{"users":[...]}` file (the shape of `GET /__mock/users`).
    public var users: [UInt8]? = nil
    /// When set, the only credential accepted (for Basic auth: the password, any username).
    public var token: String? = nil
    public var faults = FaultSpec()
    /// Seed of the generator that draws faults; nil seeds it from the system's generator.
    public var seed: UInt64? = nil
    public var rateLimit: RateLimitSetting = .default
    /// What rate-limit windows, search lag and reset headers go by; tests freeze it with
    /// `.manual(MockClock.Manual())` and move it with `advance(by:)`.
    public var clock: MockClock = .system
    /// Webhook mock: the path deliveries are POSTed to.
    public var webhookPath: String = "/webhook"
    /// Webhook mock: the Standard Webhooks secret (`whsec_...`); when set, signatures are verified.
    public var webhookSecret: String? = nil

    public init() {}
}
