#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Buffered writing to stdout and stderr, so that NDJSON output of many lines costs few syscalls.
struct StandardStream {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    static func standardOutput() -> StandardStream { StandardStream(descriptor: 1) }
    static func standardError() -> StandardStream { StandardStream(descriptor: 2) }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends `text` and a newline; flushes when the buffer is large.
    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result <= 0 {
                if result < 0 && errno == EINTR { continue }
                break
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes one line to stderr at once (errors and diagnostics).
func printError(_ text: String) {
    var stream = StandardStream.standardError()
    stream.line(text)
    stream.flush()
}
