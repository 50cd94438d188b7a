import Logging

extension ServerConfiguration {
    /// Sends the server's logs (Hummingbird's, the scheduler's, the runs') to stderr at `level`
    /// (`trace` ... `critical`; unknown: `info`), so that stdout carries only the origin line
    /// `outflow serve` prints when ready. Nothing is bootstrapped globally.
    public mutating func logToStandardError(level: String) {
        var logger = Logger(label: "outflow.server") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        self.logger = logger
    }
}
