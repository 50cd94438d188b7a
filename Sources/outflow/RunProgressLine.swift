import Foundation
import OutflowEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The progress line of `outflow run` on a terminal's stderr: profiles done, rate and ETA, redrawn
/// at most ten times a second. Nothing is drawn when stderr is not a terminal (logs, CI, tests).
///
/// ```swift
/// let line = RunProgressLine(label: "pipeline 101")
/// let report = try await engine.run(progress: line.update)
/// line.finish()
/// ```
final class RunProgressLine: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw: TimeInterval = -1
    private var drawn = false

    init(label: String) {
        self.label = label
        enabled = isatty(2) == 1
    }

    func update(_ progress: RunProgress) {
        guard enabled else { return }
        lock.withLock {
            guard progress.elapsed - lastDraw >= 0.1 || progress.done >= progress.total else { return }
            lastDraw = progress.elapsed
            drawn = true
            let rate = progress.elapsed > 0 ? Double(progress.done) / progress.elapsed : 0
            let percent = progress.total > 0 ? progress.done * 100 / progress.total : 100
            var text = "\r\u{1B}[K\(label): \(progress.done)/\(progress.total) profiles \(percent)%  \(Int(rate))/s"
            if rate > 0, progress.done < progress.total {
                text += "  ETA \(Self.duration(Double(progress.total - progress.done) / rate))"
            }
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// Clears the line, so the summary starts on a clean one.
    func finish() {
        guard enabled else { return }
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m"
    }
}
