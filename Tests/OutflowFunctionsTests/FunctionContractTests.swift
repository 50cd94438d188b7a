import Foundation
import OutflowCore
import OutflowFunctions
import Testing

/// The `transform(user)` contract of DESIGN section 8, in both languages.
@Suite("Function contract")
struct FunctionContractTests {
    typealias H = FunctionHarness

    /// Language, source, expected outcome for a profile `{"s": "abc"}` with outPaths s, i, obj.a.
    static let outcomes: [(TransformationFunction.Language, String, String)] = [
        (.python, "def transform(user):\n    return {\"s\": user[\"s\"].upper()}", #"{"s":"ABC"}"#),
        (.python, "def transform(user):\n    return {\"obj\": {\"a\": \"x\"}, \"i\": \"12\"}", #"{"i":12,"obj":{"a":"x"}}"#),
        (.python, "def transform(user):\n    return {}", "{}"),
        (.python, "def transform(user):\n    return {\"s\": 1, \"other\": 2}", "error: transform returned «other», which is not one of the outPaths (s, i, obj.a)"),
        (.python, "def transform(user):\n    return {\"obj\": {\"b\": 1}}", "error: transform returned «obj.b», which is not one of the outPaths (s, i, obj.a)"),
        (.python, "def transform(user):\n    return {\"obj\": 5}", "error: transform returned the number 5 for «obj», which must be an object holding outPaths"),
        (.python, "def transform(user):\n    return [1]", "error: transform must return an object holding the outPaths, but it returned an array"),
        (.python, "def transform(user):\n    return None", "error: transform must return an object holding the outPaths, but it returned null"),
        (.python, "def transform(user):\n    return \"x\"", "error: transform must return an object holding the outPaths, but it returned the string «x»"),
        (.python, "def transform(user):\n    return user[\"s\"] + 1", #"error: TypeError: can only concatenate str (not "int") to str (line 2)"#),
        (.python, "def transform(user):\n    raise ValueError(\"no good\")", "error: ValueError: no good (line 2)"),
        (.python, "def transform(user):\n    return {\"s\": {1, 2}}", "error: transform returned a value of Python type set for «s», which has no Outflow kind"),
        (.python, "def transform(user):\n    return {\"i\": \"abc\"}", "error: «abc» is not an int(64) value while mapping to «i»"),
        (.python, "def transform(user):\n    return {\"s\": user[\"missing\"]}", "error: KeyError: 'missing' (line 2)"),
        (.javaScript, "function transform(user) { return { s: user.s.toUpperCase() }; }", #"{"s":"ABC"}"#),
        (.javaScript, "function transform(user) { return { obj: { a: \"x\" }, i: \"12\" }; }", #"{"i":12,"obj":{"a":"x"}}"#),
        (.javaScript, "function transform(user) { return { s: undefined }; }", "{}"),
        (.javaScript, "function transform(user) { return { s: 1, other: 2 }; }", "error: transform returned «other», which is not one of the outPaths (s, i, obj.a)"),
        (.javaScript, "function transform(user) { return [1]; }", "error: transform must return an object holding the outPaths, but it returned an array"),
        (.javaScript, "function transform(user) { return 7; }", "error: transform must return an object holding the outPaths, but it returned the number 7"),
        (.javaScript, "function transform(user) {}", "error: transform must return an object holding the outPaths, but it returned null"),
        (.javaScript, "function transform(user) {\n  return user.nope.x;\n}", "error: TypeError: undefined is not an object (evaluating 'user.nope.x') (line 2)"),
        (.javaScript, "function transform(user) { throw new RangeError(\"too far\"); }", "error: RangeError: too far (line 1)"),
        (.javaScript, "function transform(user) { throw \"plain\"; }", "error: transform threw plain"),
        (.javaScript, "function transform(user) { return { s: Symbol(\"q\") }; }", "error: transform returned a Symbol for «s», which has no Outflow kind"),
        (.javaScript, "const transform = (user) => ({ s: `${user.s}!` });", #"{"s":"abc!"}"#),
    ]

    @Test("outcomes of transform", arguments: outcomes)
    func outcome(_ row: (TransformationFunction.Language, String, String)) throws {
        let (language, source, expected) = row
        let function = try H.function(language, source, in: ["s"], out: ["s", "i", "obj.a"])
        #expect(H.run(function, ValueObject([("s", .string("abc"))])) == expected)
    }

    @Test("transform receives only the inPaths", arguments: bothLanguages)
    func onlyInPaths(_ language: TransformationFunction.Language) throws {
        let source = language == .python
            ? "def transform(user):\n    return {\"s\": \",\".join(sorted(user.keys())) + \"|\" + \",\".join(sorted(user[\"obj\"].keys()))}"
            : "function transform(user) { return { s: Object.keys(user).sort().join(\",\") + \"|\" + Object.keys(user.obj).sort().join(\",\") }; }"
        let function = try H.function(language, source, in: ["i", "obj.a"], out: ["s"])
        let profile = ValueObject([("s", .string("x")), ("i", .int(1)), ("obj", .object(ValueObject([("a", .string("y")), ("n", .int(2))])))])
        #expect(H.run(function, profile) == #"{"s":"i,obj|a"}"#)
    }

    @Test("constraints of outSchema fail the profile naming the property", arguments: bothLanguages)
    func constraints(_ language: TransformationFunction.Language) throws {
        let source = language == .python ? "def transform(user):\n    return {\"label\": \"toolong\"}" : "function transform(user) { return { label: \"toolong\" }; }"
        let function = try H.function(language, source, in: ["s"], out: ["label", "email"])
        #expect(H.run(function, ValueObject()) == "error: «toolong» exceeds the 5-char limit while mapping to «label»")
        let required = try H.function(language, language == .python ? "def transform(user):\n    return {}" : "function transform(user) { return {}; }", in: ["s"], out: ["email"])
        #expect(H.run(required, ValueObject(), action: .create) == "error: «email» is required to create a user, but the function gives it no value")
        #expect(H.run(required, ValueObject(), action: .update) == "{}")
    }

    /// Language, source, expected compile error.
    static let compileErrors: [(TransformationFunction.Language, String, String)] = [
        (.python, "def transform(user):\n    return {\n", "SyntaxError: '{' was never closed (line 2)"),
        (.python, "def transform(user):\nreturn user", "IndentationError: expected an indented block after function definition on line 1 (line 2)"),
        (.python, "def other(user):\n    return user", "the source does not define transform(user)"),
        (.python, "transform = 3", "transform is not a function; define it with def transform(user):"),
        (.python, "import nosuchmodule\ndef transform(user):\n    return user", "ModuleNotFoundError: No module named 'nosuchmodule' (line 1)"),
        (.javaScript, "function transform(user) {\n  return {;\n}", "SyntaxError: Unexpected token ';'. Expected a property name. (line 2)"),
        (.javaScript, "function other(user) { return user; }", "the source does not define transform(user)"),
        (.javaScript, "var transform = 3;", "the source does not define transform(user)"),
        (.javaScript, "\n\nnotDefined();\nfunction transform(u) { return u; }", "ReferenceError: Can't find variable: notDefined (line 3)"),
    ]

    @Test("syntax errors and a missing transform fail compilation with the interpreter's message and line", arguments: compileErrors)
    func compileError(_ row: (TransformationFunction.Language, String, String)) {
        let (language, source, expected) = row
        #expect(H.compileError(language, source) == expected)
    }

    @Test("the compile error is reported at the pipeline's source path")
    func compileErrorPath() {
        let pipeline = Pipeline(
            name: "p", connection: 1, matching: Matching(in: "email", out: "email"), exportMode: .createOrUpdate,
            transformation: Transformation(function: TransformationFunction(source: "def transform(:", language: .python, inPaths: ["s"], outPaths: ["s"])),
            inSchema: H.everyKind, outSchema: H.everyKind)
        #expect(throws: ValidationError.self) { try CompiledFunction(pipeline, path: "pipelines[2]") }
        do {
            _ = try CompiledFunction(pipeline, path: "pipelines[2]")
        } catch {
            #expect(error.diagnostics.first?.path == "pipelines[2].transformation.function.source")
            #expect(error.diagnostics.first?.message.hasPrefix("SyntaxError: ") == true)
        }
    }
}
