#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file the readers can open, rewritten with each input.
///
/// The profile readers and the workspace loader read files only (there is no in-memory entry point),
/// so each input is written to a file in a per-process directory on tmpfs (`/dev/shm` when present):
/// a write there is a memory copy, and parallel fuzzers (`-jobs`) do not share a file.
public enum ScratchFile {
    static let directory: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = base + "/outflow-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Writes `bytes` to `name` in the scratch directory and returns its URL; a failed write stops the
    /// fuzzer, since every later input would then test nothing.
    public static func save(_ bytes: [UInt8], name: String) -> URL {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fatalError("cannot write the scratch file \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { fatalError("cannot write the scratch file \(path): \(String(cString: strerror(errno)))") }
            written += count
        }
        return URL(fileURLWithPath: path)
    }
}
