/// Response header lines as libcurl delivered them: the bytes, and where each name and value lies.
///
/// Most answers have their headers looked up by a handful of names (the rate-limit readers) or not at
/// all, so turning every line into two Strings as it arrives cost more than the lookups ever did
/// (docs/performance.md, issue 5). `HTTPHeaders` holds this block and compares names on the bytes;
/// Strings are made for a value that is asked for, or for every field once the headers are iterated,
/// compared or changed.
struct ReceivedHeaderLines: Sendable {
    /// Byte ranges into `bytes`; `Int32` keeps a line's entry at 16 bytes.
    struct Line: Sendable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32
    }

    private(set) var bytes: [UInt8] = []
    private(set) var lines: [Line] = []

    var isEmpty: Bool { lines.isEmpty }

    /// Takes one raw line as libcurl hands it to `CURLOPT_HEADERFUNCTION` (CRLF included). A status line
    /// (after a 100 Continue or a redirect) starts a new header block; a line without a colon is dropped.
    mutating func append(rawLine line: UnsafeRawBufferPointer) {
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        var end = line.count
        while end > 0, line[end - 1] == cr || line[end - 1] == lf { end -= 1 }
        guard end > 0 else { return }
        if end >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
            line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/")
        {
            bytes.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            return
        }
        var colon = 0
        while colon < end, line[colon] != UInt8(ascii: ":") { colon += 1 }
        guard colon < end, bytes.count + end <= Int(Int32.max) else { return }
        var valueStart = colon + 1
        while valueStart < end, line[valueStart] == space || line[valueStart] == tab { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart, line[valueEnd - 1] == space || line[valueEnd - 1] == tab { valueEnd -= 1 }
        if lines.isEmpty {
            // Room for a typical answer's header block, so the arrays are not regrown line by line.
            bytes.reserveCapacity(512)
            lines.reserveCapacity(16)
        }
        let base = bytes.count
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[..<end]))
        lines.append(
            Line(nameStart: Int32(base), nameEnd: Int32(base + colon), valueStart: Int32(base + valueStart), valueEnd: Int32(base + valueEnd))
        )
    }

    func name(at index: Int) -> String {
        let line = lines[index]
        return String(decoding: bytes[Int(line.nameStart)..<Int(line.nameEnd)], as: UTF8.self)
    }

    func value(at index: Int) -> String {
        let line = lines[index]
        return String(decoding: bytes[Int(line.valueStart)..<Int(line.valueEnd)], as: UTF8.self)
    }

    /// The indices of the lines whose name is `name`, ignoring case (as `HTTPHeaders.sameName` does).
    func indices(named name: String) -> some Sequence<Int> {
        lines.indices.lazy.filter { index in
            let line = lines[index]
            return HTTPHeaders.sameName(bytes[Int(line.nameStart)..<Int(line.nameEnd)], name)
        }
    }
}
