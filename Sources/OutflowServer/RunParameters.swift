import Foundation
import OutflowCore
import OutflowEngine

/// The `parameters` of the run API (`["--begin_time=2026-01-01T00:00:00Z", "--rebase_incremental"]`):
/// the seed's four, as the CLI's `--begin-time`, `--end-time`, `--full` and a pipeline choice.
public struct RunParameters: Hashable, Sendable {
    public var window: TimeWindow?
    /// `--rebase_incremental`: ignore the export state (the CLI's `--full`).
    public var full = false
    /// `--model_refs=a,b`: pipelines by id or name (workspace runs only).
    public var modelRefs: [String]?

    public init(window: TimeWindow? = nil, full: Bool = false, modelRefs: [String]? = nil) {
        self.window = window
        self.full = full
        self.modelRefs = modelRefs
    }

    /// Parses a request body `{"parameters":[...]}` (the body is optional, but when there is one it
    /// is an object: a JSON `null` body is refused like any other non-object). 422 names the bad one.
    public static func parse(_ body: JSONValue?, allowModelRefs: Bool) throws -> RunParameters {
        guard let body else { return RunParameters() }
        guard case .object(let object) = body else { throw APIError.unprocessable("the request body must be a JSON object") }
        for key in object.keys where key != "parameters" {
            throw APIError.unprocessable("\(key): unknown member; the body has only \"parameters\"")
        }
        guard let list = object["parameters"], list != .null else { return RunParameters() }
        guard case .array(let items) = list else { throw APIError.unprocessable("parameters: expected an array of strings") }
        var result = RunParameters()
        var begin: DateTimeValue?
        var end: DateTimeValue?
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else { throw APIError.unprocessable("parameters[\(index)]: expected a string") }
            let (name, value) = split(text)
            switch name {
            case "--begin_time", "--end_time":
                guard let value, let time = DateTimeValue(parsing: value) else {
                    throw APIError.unprocessable("parameters[\(index)]: \(name) needs an RFC 3339 time, as \(name)=2026-01-01T00:00:00Z")
                }
                if name == "--begin_time" { begin = time } else { end = time }
            case "--rebase_incremental":
                guard value == nil || value == "true" else { throw APIError.unprocessable("parameters[\(index)]: --rebase_incremental takes no value") }
                result.full = true
            case "--model_refs":
                guard allowModelRefs else { throw APIError.unprocessable("parameter is not supported: --model_refs runs a workspace, not a pipeline") }
                let refs = (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !refs.isEmpty else { throw APIError.unprocessable("parameters[\(index)]: --model_refs needs pipeline ids or names, as --model_refs=12,Newsletter") }
                result.modelRefs = refs
            default:
                throw APIError.unprocessable(
                    "parameters[\(index)]: parameter is not supported: \(name); the run API takes --begin_time, --end_time, --rebase_incremental and --model_refs")
            }
        }
        if let begin, let end, !(begin < end) { throw APIError.unprocessable("parameters: --begin_time must be before --end_time") }
        if begin != nil || end != nil { result.window = TimeWindow(begin: begin, end: end) }
        return result
    }

    private static func split(_ text: String) -> (String, String?) {
        guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}
