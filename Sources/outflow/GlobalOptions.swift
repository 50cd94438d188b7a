import ArgumentParser

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "How much to log on stderr: trace, debug, info, notice, warning, error or critical.")
    var logLevel: LogLevel = .info
}

/// The log levels of `--log-level`.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
