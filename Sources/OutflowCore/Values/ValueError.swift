/// A value that does not fit its type: what was found and the rule it broke.
///
/// The message names the value and the rule (`«abc» is not a valid int(16)`); callers add the
/// property and the place (`line 12, «age»`), because only they know them.
public struct ValueError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// Quotes a value for a message, shortened so one bad cell cannot flood a log.
    public static func quote(_ text: some StringProtocol) -> String {
        let limit = 60
        if text.count <= limit { return "«\(text)»" }
        return "«\(text.prefix(limit))…»"
    }
}
