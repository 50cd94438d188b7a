/// Why a run could not start: nothing was read or sent, and no run was recorded.
///
/// Problems met once a run has started (an unreadable source, a refused credential) do not throw:
/// the run ends `failed` with the message as its error, as ``RunReport`` shows.
public enum EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The pipeline cannot run as written: a filter or transformation that does not compile, an
    /// export mode the connector cannot do, a window without an `updatedAt` property.
    case invalidPipeline(String)
    /// The state store refused the run: another run of the pipeline holds the lock, or the store
    /// cannot be written.
    case cannotStart(String)
    /// Another run of the pipeline holds its lock (HTTP 409 in the API).
    case alreadyRunning(String)

    public var description: String {
        switch self {
        case .invalidPipeline(let message), .cannotStart(let message), .alreadyRunning(let message): message
        }
    }
}
