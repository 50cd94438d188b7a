import OutflowHTTP

/// Sees what the connector clients send: each response by connector and status, and each request
/// the connection's rate limit held back. `outflow serve` counts them for `/metrics`; `outflow run`
/// passes none.
///
/// ```swift
/// let clients = ConnectorClients(registry: registry, transport: HTTPClient(), observer: metrics)
/// ```
public protocol TrafficObserver: Sendable {
    /// An attempt (retries count each) got a response with `status`, or none (`nil`: a transport
    /// failure, or a host not allowed).
    func observeResponse(connector: String, status: Int?)
    /// A request waited `seconds` for the rate limit of its connection before it could go.
    func observeRateLimitWait(connector: String, seconds: Double)
}

/// A transport that tells an observer the outcome of each request it passes on.
struct ObservedTransport: HTTPTransport {
    let base: any HTTPTransport
    let connector: String
    let observer: any TrafficObserver

    var preferredTaskExecutor: (any TaskExecutor)? { base.preferredTaskExecutor }

    /// Runs where its caller runs, as the protocol's requirement does (see `HTTPTransport.send`).
    nonisolated(nonsending) func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        do throws(HTTPError) {
            let response = try await base.send(request)
            observer.observeResponse(connector: connector, status: response.status)
            return response
        } catch {
            observer.observeResponse(connector: connector, status: nil)
            throw error
        }
    }
}

/// The clock of an observed connection's rate limiter. The limiter sleeps until each request's
/// grant time; a grant time still ahead is a request the limit held back, and is reported.
struct RateLimitWaitClock: HTTPClock {
    let base: any HTTPClock
    let connector: String
    let observer: any TrafficObserver

    func now() -> Double { base.now() }

    func unixTime() -> Double { base.unixTime() }

    func sleep(until deadline: Double) async throws {
        let wait = deadline - base.now()
        if wait > 0 { observer.observeRateLimitWait(connector: connector, seconds: wait) }
        try await base.sleep(until: deadline)
    }
}
