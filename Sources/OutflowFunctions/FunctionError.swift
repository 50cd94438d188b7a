import OutflowCore

/// Why one profile could not be transformed by a function: an exception, a result of the wrong
/// shape, a value that does not fit its property, or a call over the time limit.
///
/// One failing profile never stops the others: ``CompiledFunction/transform(_:rows:action:)``
/// returns this error for that profile only, and the run goes on.
public struct FunctionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The output path concerned, when the error is about one.
    public var property: String?
    /// The whole message, as the preview and the run's error log show it: `TypeError: ... (line 3)`.
    public var message: String

    public init(property: String? = nil, message: String) {
        self.property = property
        self.message = message
    }

    public var description: String { message }

    static func timeout(_ seconds: Double) -> FunctionError {
        FunctionError(message: "the function ran longer than its \(FunctionError.seconds(seconds)) limit and was interrupted")
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
