import Hummingbird
import NIOCore

/// Runs before every API route (never `/__mock/*`): latency, the credential check, rate limits,
/// injected faults, the API's common headers, and the count of `/__mock/stats`.
///
/// The order follows what a real API does to a request: a missing credential is refused before it
/// costs any rate limit, and a request refused by the limit never reaches a fault or a handler.
struct MockGateMiddleware: RouterMiddleware {
    typealias Context = MockRequestContext

    let api: any MockAPI
    let runtime: MockRuntime
    let token: String?
    let latency: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if latency > .zero { try await Task.sleep(for: latency) }
        let route = "\(request.method) \(context.endpointPath ?? request.uri.path)"

        if let failure = api.authenticationFailure(request, token: token) {
            await runtime.record(route: route, outcome: String(failure.status.code))
            return failure
        }
        if let failure = api.headerFailure(request) {
            await runtime.record(route: route, outcome: String(failure.status.code))
            return failure
        }
        var limitStatus: RateLimitStatus?
        switch await runtime.admit(method: request.method, path: request.uri.path) {
        case .refused(let rule, let retryAfter, let status):
            var response = api.tooManyRequests(rule: rule, retryAfter: retryAfter, injected: false)
            api.decorate(&response, limit: status)
            await runtime.record(route: route, outcome: "429")
            return response
        case .granted(let status):
            limitStatus = status
        }

        var response: Response
        switch await runtime.drawFault() {
        case nil:
            response = try await next(request, context)
        case .tooManyRequests:
            let rule = await runtime.mainRule ?? RateLimitRule(policy: "INJECTED", limit: 1, window: .seconds(1)) { _, _ in true }
            response = api.tooManyRequests(rule: rule, retryAfter: rule.window, injected: true)
        case .internalError:
            response = api.serverError(.internalServerError)
        case .badGateway:
            response = api.serverError(.badGateway)
        case .unavailable:
            response = api.serverError(.serviceUnavailable)
        case .drop:
            return await drop(route: route, context: context)
        case .dropAfterApply:
            _ = try await next(request, context)
            return await drop(route: route, context: context)
        }
        api.decorate(&response, limit: limitStatus)
        await runtime.record(route: route, outcome: String(response.status.code))
        return response
    }

    /// Closes the connection so the client gets no answer at all; the response returned is never
    /// written (Hummingbird's write fails on the closed channel and it moves on).
    private func drop(route: String, context: Context) async -> Response {
        await runtime.record(route: route, outcome: "dropped")
        try? await context.channel.close()
        return MockHTTP.empty(.internalServerError)
    }
}
