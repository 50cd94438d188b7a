import Foundation
import OutflowCore
import OutflowFunctions
import Testing

/// Compiles small functions over a schema with one property per kind, and reports outcomes as
/// values or messages so table rows can state them.
enum FunctionHarness {
    static let everyKind = ObjectType(properties: [
        Property(name: "s", type: .string(StringType()), nullable: true),
        Property(name: "b", type: .boolean, nullable: true),
        Property(name: "i", type: .int(IntType()), nullable: true),
        Property(name: "small", type: .int(IntType(bitSize: 16)), nullable: true),
        Property(name: "u", type: .int(IntType(bitSize: 64, unsigned: true)), nullable: true),
        Property(name: "f", type: .float(FloatType()), nullable: true),
        Property(name: "d", type: .decimal(DecimalType(precision: 30, scale: 6)), nullable: true),
        Property(name: "dt", type: .datetime, nullable: true),
        Property(name: "da", type: .date, nullable: true),
        Property(name: "t", type: .time, nullable: true),
        Property(name: "y", type: .year, nullable: true),
        Property(name: "id", type: .uuid, nullable: true),
        Property(name: "j", type: .json, nullable: true),
        Property(name: "ip", type: .ip, nullable: true),
        Property(name: "arr", type: .array(ArrayType(elementType: .string(StringType()))), nullable: true),
        Property(
            name: "obj",
            type: .object(ObjectType(properties: [
                Property(name: "a", type: .string(StringType()), nullable: true),
                Property(name: "n", type: .int(IntType()), nullable: true),
            ])), nullable: true),
        Property(name: "m", type: .map(.int(IntType())), nullable: true),
        Property(name: "label", type: .string(StringType(maxLength: 5)), nullable: true),
        Property(name: "email", type: .string(StringType()), createRequired: true),
    ])

    static func function(
        _ language: TransformationFunction.Language, _ source: String, in inPaths: [String], out outPaths: [String],
        preserveJSON: Bool = false, timeout: Double = 10, log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(ValidationError) -> CompiledFunction {
        try CompiledFunction(
            TransformationFunction(source: source, language: language, preserveJSON: preserveJSON, inPaths: inPaths, outPaths: outPaths),
            inSchema: everyKind, outSchema: everyKind, timeout: timeout, log: log)
    }

    /// The compile error's message, or nil when the source compiles.
    static func compileError(_ language: TransformationFunction.Language, _ source: String) -> String? {
        do {
            _ = try function(language, source, in: ["s"], out: ["s"])
            return nil
        } catch {
            return error.diagnostics.map(\.message).joined(separator: "; ")
        }
    }

    static func run(_ function: CompiledFunction, _ profile: ValueObject, action: MappingAction = .either) -> String {
        switch function.transform(profile, action: action) {
        case .success(let user): return JSONWriter.string(Value.object(user).json)
        case .failure(let error): return "error: " + error.message
        }
    }

    static func datetime(_ text: String) -> Value { .datetime(DateTimeValue(parsing: text)!) }
    static func date(_ text: String) -> Value { .date(DateValue(parsing: text)!) }
    static func time(_ text: String) -> Value { .time(TimeValue(parsing: text)!) }
    static func decimal(_ text: String) -> Value { .decimal(DecimalValue(text)!) }
}

/// Python, then JavaScript: most tables run in both.
let bothLanguages: [TransformationFunction.Language] = [.python, .javaScript]

/// An identity function in each language.
func identity(_ language: TransformationFunction.Language) -> String {
    switch language {
    case .python: return "def transform(user):\n    return dict(user)\n"
    case .javaScript: return "function transform(user) { return user; }"
    }
}
