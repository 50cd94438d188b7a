/// The answer of the server: status, header fields (case-insensitive lookup) and the whole body.
///
/// Bodies are read into memory because connector responses are JSON documents the interpreter parses
/// whole (a batch of at most a few hundred users); there is no streaming use yet.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// How many times the request was sent to get this answer (1 without retries).
    public var attempts: Int

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// The body decoded as UTF-8, invalid sequences repaired.
    public var text: String { String(decoding: body, as: UTF8.self) }

    public var isSuccess: Bool { (200..<300).contains(status) }
}
