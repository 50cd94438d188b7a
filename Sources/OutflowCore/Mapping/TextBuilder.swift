/// The bytes of the strings one mapping evaluation is building, so that a concatenation or a
/// string function creates a single `String` for its result instead of one per part.
///
/// It starts on a buffer the caller provides (on the stack, see ``with(_:)``) and moves to the heap
/// only when a profile's text outgrows it. Nested builders share it: a function records
/// ``count``, appends its argument's text, rewrites the bytes from there and ends with
/// ``take(from:)``.
///
/// ```swift
/// TextBuilder.with { text in
///     let start = text.count
///     text.append("a"); text.append(" b")
///     return text.take(from: start)   // "a b"
/// }
/// ```
struct TextBuilder {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var ownsBase = false
    /// Number of bytes written.
    private(set) var count = 0

    private init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress!
        capacity = buffer.count
    }

    /// Runs `body` with a builder on 1 KiB of stack, freeing any heap buffer it moved to.
    static func with<R, E: Error>(_ body: (inout TextBuilder) throws(E) -> R) throws(E) -> R {
        let outcome: Result<R, E> = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
            var builder = TextBuilder(buffer)
            defer { if builder.ownsBase { builder.base.deallocate() } }
            do throws(E) {
                return .success(try body(&builder))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private mutating func reserve(_ extra: Int) {
        guard count &+ extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        if ownsBase { base.deallocate() }
        base = grown
        capacity = newCapacity
        ownsBase = true
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Writes the decimal digits of `n`, as `String(n)` would.
    mutating func append(decimal n: Int64) {
        var magnitude = n.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest != 0 {
            digits &+= 1
            rest /= 10
        }
        reserve(digits + 1)
        if n < 0 { append(UInt8(ascii: "-")) }
        var index = count &+ digits
        count = index
        repeat {
            index &-= 1
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude != 0
    }

    /// The bytes from `start` on, as a string; they are then dropped.
    mutating func take(from start: Int) -> String {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: count - start), as: UTF8.self)
        count = start
        return text
    }

    /// Lower- or upper-cases the ASCII bytes from `start` on in place; false when a byte is not
    /// ASCII, since other scripts need the Unicode case mappings of `String`. Changing the ASCII
    /// bytes before that one first is harmless: `String`'s mapping leaves them as they now are.
    mutating func changeASCIICase(from start: Int, upper: Bool) -> Bool {
        // Eight bytes at a time: adding (0x80 - first) sets the top bit of the bytes at or above
        // `first`, adding (0x80 - last - 1) that of the bytes above `last`; the bytes in between
        // differ, and their case bit (0x20) is flipped. No byte carries, as all are below 0x80.
        let (first, last): (UInt64, UInt64) = upper ? (0x61, 0x7A) : (0x41, 0x5A)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let atOrAboveFirst = ones &* (0x80 &- first)
        let aboveLast = ones &* (0x80 &- last &- 1)
        let high = ones &* 0x80
        var index = start
        while index &+ 8 <= count {
            let raw = UnsafeRawPointer(base + index)
            let word = raw.loadUnaligned(as: UInt64.self)
            if word & high != 0 { return false }
            let inRange = ((word &+ atOrAboveFirst) ^ (word &+ aboveLast)) & high
            UnsafeMutableRawPointer(base + index).storeBytes(of: word ^ (inRange >> 2), as: UInt64.self)
            index &+= 8
        }
        while index < count {
            let byte = base[index]
            if byte >= 0x80 { return false }
            if UInt64(byte) >= first, UInt64(byte) <= last { base[index] = byte ^ 0x20 }
            index &+= 1
        }
        return true
    }
}
