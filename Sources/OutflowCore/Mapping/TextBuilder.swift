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

    /// Lower- or upper-cases the ASCII bytes from `start` on in place; false (and nothing changed)
    /// when a byte is not ASCII, since other scripts need the Unicode case mappings of `String`.
    mutating func changeASCIICase(from start: Int, upper: Bool) -> Bool {
        var index = start
        while index < count {
            if base[index] >= 0x80 { return false }
            index &+= 1
        }
        let (low, high): (UInt8, UInt8) = upper ? (UInt8(ascii: "a"), UInt8(ascii: "z")) : (UInt8(ascii: "A"), UInt8(ascii: "Z"))
        index = start
        while index < count {
            let byte = base[index]
            if byte >= low, byte <= high { base[index] = byte ^ 0x20 }
            index &+= 1
        }
        return true
    }
}
