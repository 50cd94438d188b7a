#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import OutflowCore

/// A file read in large chunks into one growable buffer, for the readers that parse records out of it.
///
/// The unconsumed bytes `start ..< end` stay in the buffer across ``fill()``, which moves them to the
/// front and reads more after them, so a record that straddles two reads is parsed again from its
/// start once it is whole. The buffer grows only when one record is larger than what it holds.
///
/// ```swift
/// let input = try FileInput(url: url, displayPath: "customers.csv", chunkSize: 1 << 20)
/// try input.fill()
/// // parse input.bytes[input.start ..< input.end], then advance input.start
/// ```
/// All POSIX and buffer management of the readers lives here; `bytes` is valid until the next fill.
final class FileInput {
    let displayPath: String
    let chunkSize: Int
    private let descriptor: Int32
    private var storage: UnsafeMutableBufferPointer<UInt8>
    /// The first byte not yet consumed by the reader.
    var start = 0
    /// One past the last byte read.
    private(set) var end = 0
    /// True once a read returned nothing: `start ..< end` is the rest of the file.
    private(set) var atEndOfFile = false

    init(url: URL, displayPath: String, chunkSize: Int) throws(SourceError) {
        self.displayPath = displayPath
        self.chunkSize = max(1, chunkSize)
        let fd = url.withUnsafeFileSystemRepresentation { path -> Int32 in
            guard let path else { return -1 }
            return open(path, O_RDONLY | O_CLOEXEC)
        }
        guard fd >= 0 else {
            throw SourceError(file: displayPath, message: "cannot open the file: \(FileInput.lastError())")
        }
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw SourceError(file: displayPath, message: "cannot read the file: it is a directory")
        }
        descriptor = fd
        storage = .allocate(capacity: self.chunkSize)
    }

    deinit {
        close(descriptor)
        storage.deallocate()
    }

    /// The buffer; the unconsumed bytes are `start ..< end`. Invalidated by ``fill()``.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: storage[0 ..< end]) }

    /// Number of unconsumed bytes in the buffer.
    var available: Int { end - start }

    /// Moves the unconsumed bytes to the front and reads at least one chunk (or as much again as is
    /// buffered, so that a record larger than a chunk costs linear time); returns the count read, 0 at
    /// the end of the file.
    @discardableResult
    func fill() throws(SourceError) -> Int {
        if atEndOfFile { return 0 }
        let kept = end - start
        if start > 0 {
            if kept > 0 { storage.baseAddress!.update(from: storage.baseAddress! + start, count: kept) }
            start = 0
            end = kept
        }
        let wanted = max(chunkSize, kept)
        if storage.count - end < wanted {
            let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(end + wanted, storage.count * 2))
            if end > 0 { grown.baseAddress!.update(from: storage.baseAddress!, count: end) }
            storage.deallocate()
            storage = grown
        }
        while true {
            let count = read(descriptor, storage.baseAddress! + end, wanted)
            if count > 0 {
                end += count
                return count
            }
            if count == 0 {
                atEndOfFile = true
                return 0
            }
            if errno == EINTR { continue }
            throw SourceError(file: displayPath, message: "cannot read the file: \(FileInput.lastError())")
        }
    }

    /// Reads until at least `count` bytes are unconsumed or the file ends.
    func ensure(_ count: Int) throws(SourceError) {
        while available < count, !atEndOfFile { try fill() }
    }

    /// Skips a UTF-8 byte order mark at the current position.
    func skipByteOrderMark() throws(SourceError) {
        try ensure(3)
        if available >= 3, storage[start] == 0xEF, storage[start + 1] == 0xBB, storage[start + 2] == 0xBF { start += 3 }
    }

    /// Rewrites each `""` in `range` as one `"`, in place, and returns the shortened range; for the
    /// inside of a closed quoted CSV field, where every quote is the first of a pair.
    func collapseQuotePairs(_ range: Range<Int>) -> Range<Int> {
        var write = range.lowerBound
        var read = range.lowerBound
        while read < range.upperBound {
            let byte = storage[read]
            storage[write] = byte
            write += 1
            read += byte == UInt8(ascii: "\"") ? 2 : 1
        }
        return range.lowerBound ..< write
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
