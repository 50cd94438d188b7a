import Foundation

/// The faults a mock injects, parsed from `--fault SPEC` (DESIGN 9b).
///
/// `429=0.1,500=0.05,drop=0.01,latency=20ms` means: before each API request (never `/__mock/*`),
/// wait 20 ms, then answer 10% of requests with the API's own 429, 5% with a 500, and close the
/// connection without an answer on 1%. Probabilities are per request and exclusive: one draw decides
/// which fault, if any, a request gets, so their sum must not exceed 1.
///
/// ```swift
/// let faults = try FaultSpec.parse("429=0.1,drop-after-apply=0.02,search-lag=2s")
/// ```
public struct FaultSpec: Sendable, Equatable {
    /// A fault that replaces (or, for `dropAfterApply`, follows) the normal handling of a request.
    public enum Fault: String, Sendable, CaseIterable {
        case tooManyRequests = "429"
        case internalError = "500"
        case badGateway = "502"
        case unavailable = "503"
        /// Close the connection before the request is handled: nothing happened.
        case drop = "drop"
        /// Handle the request (the write is applied), then close the connection without an answer.
        case dropAfterApply = "drop-after-apply"
    }

    /// Probability of each fault, in the order faults are drawn.
    public var probabilities: [Fault: Double] = [:]
    /// Added before every API request.
    public var latency: Duration = .zero
    /// How long a write takes to become visible to search (HubSpot's search index lags its store).
    public var searchLag: Duration = .zero

    public init() {}

    public var isEmpty: Bool { probabilities.values.allSatisfy { $0 == 0 } && latency == .zero && searchLag == .zero }

    public static func parse(_ spec: String) throws(MockOptionError) -> FaultSpec {
        var result = FaultSpec()
        for item in spec.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw .invalid("fault «\(item)» is not NAME=VALUE (e.g. 429=0.1, latency=20ms)")
            }
            let (name, value) = (parts[0], parts[1])
            switch name {
            case "latency", "search-lag":
                guard let duration = MockDuration.parse(value) else {
                    throw .invalid("«\(value)» is not a duration for \(name) (e.g. 20ms, 2s)")
                }
                if name == "latency" { result.latency = duration } else { result.searchLag = duration }
            default:
                guard let fault = Fault(rawValue: name) else {
                    let known = (Fault.allCases.map(\.rawValue) + ["latency", "search-lag"]).joined(separator: ", ")
                    throw .invalid("unknown fault «\(name)»; known: \(known)")
                }
                guard let probability = Double(value), probability >= 0, probability <= 1 else {
                    throw .invalid("«\(value)» is not a probability between 0 and 1 for \(name)")
                }
                result.probabilities[fault] = probability
            }
        }
        let total = result.probabilities.values.reduce(0, +)
        guard total <= 1.000_000_1 else {
            throw .invalid("fault probabilities add up to \(total); one request gets at most one fault, so the sum must be at most 1")
        }
        return result
    }

    /// The fault for a uniform draw `u` in [0, 1): faults take consecutive slices of [0, 1) in
    /// declaration order, so one seeded draw per request makes a whole run reproducible.
    func fault(forDraw u: Double) -> Fault? {
        var upper = 0.0
        for fault in Fault.allCases {
            upper += probabilities[fault] ?? 0
            if u < upper { return fault }
        }
        return nil
    }
}

/// A flag value a mock cannot use; the message names the value and what was expected.
public enum MockOptionError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        }
    }
}
