import OutflowHTTP
import Synchronization

/// A clock whose time moves only when told to, or when somebody sleeps: a sleep returns at once and
/// moves `now` to its deadline, so a test of a 10-minute pacing runs in microseconds.
final class ManualClock: HTTPClock {
    private let state: Mutex<(now: Double, sleeps: [Double])>
    private let unixOrigin: Double

    init(unixOrigin: Double = 1_700_000_000) {
        self.unixOrigin = unixOrigin
        state = Mutex((now: 0, sleeps: []))
    }

    func now() -> Double { state.withLock { $0.now } }

    func unixTime() -> Double { unixOrigin + now() }

    func sleep(until deadline: Double) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            let wait = deadline - state.now
            if wait > 0 {
                state.sleeps.append(wait)
                state.now = deadline
            }
        }
        await Task.yield()
    }

    func advance(by seconds: Double) {
        state.withLock { $0.now += seconds }
    }

    /// The length of every sleep that actually waited, in order.
    var sleeps: [Double] { state.withLock { $0.sleeps } }
}

/// SplitMix64: a seeded generator so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs `body` with a started server and always stops it.
func withServer<T>(
    script: @escaping TestHTTPServer.Script = { _, _ in .status(200, body: "ok") },
    _ body: (TestHTTPServer) async throws -> T
) async throws -> T {
    let server = try TestHTTPServer(script: script)
    defer { server.stop() }
    return try await body(server)
}
