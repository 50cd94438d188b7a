import Dispatch
import Foundation
import OutflowEngine

/// Turns SIGINT (Ctrl-C) into a ``StopSignal``: the run in progress commits the batches in flight
/// and ends `failed` with error `interrupted`, and `outflow run` exits with status 130.
///
/// ```swift
/// let interrupt = InterruptSignal.watch()
/// let report = try await engine.run(stop: interrupt.stop)
/// ```
/// The dispatch source is touched only here and by `cancel()`, from the command's task.
final class InterruptSignal: @unchecked Sendable {
    let stop = StopSignal()
    private let source: any DispatchSourceSignal

    private init(source: any DispatchSourceSignal) {
        self.source = source
    }

    static func watch() -> InterruptSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "outflow.run.sigint"))
        let watcher = InterruptSignal(source: source)
        let stop = watcher.stop
        source.setEventHandler {
            if !stop.isRequested { printError("interrupted: finishing the batches in flight, then stopping") }
            stop.request()
        }
        source.resume()
        return watcher
    }

    /// Gives SIGINT back its default action.
    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
