import Foundation
import OutflowCore
#if canImport(Glibc)
import Glibc
#endif

/// The worker process's side of the function protocol (`outflow function-worker`): compiles the
/// sources it is sent and runs batches of calls, reading frames on standard input and answering
/// on what was standard output.
///
/// Requests: `{"op":"compile","id":1,"language":"Python","source":"…","timeout":10}`, answered
/// `{"ok":true}` or `{"error":"…"}`; a binary call frame (``FunctionWireBinary``), answered by
/// a binary answer frame; `{"op":"drop","id":1}`, unanswered.
public enum FunctionWorkerServer {
    /// Serves until standard input closes; the process's exit status.
    public static func run() -> Int32 {
        // No working directory of the workspace. (Inherited descriptors are closed by the parent's
        // spawn, before exec: closing them here would close this process's own runtime descriptors.)
        _ = chdir("/")
        // The protocol gets its own descriptor; stray writes to fd 1 (a C extension, os.write)
        // go nowhere instead of corrupting it.
        let output = dup(1)
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 {
            dup2(null, 1)
            close(null)
        }
        var functions: [Int: any FunctionEngine] = [:]
        while true {
            let body: [UInt8]
            do {
                body = try FunctionWire.readFrame(from: 0, deadline: nil)
            } catch {
                return 0
            }
            if body.first == FunctionWireBinary.Message.call {
                guard let answer = call(body, functions) else { return 2 }
                guard FunctionWire.write(frame: answer, to: output) else { return 0 }
                continue
            }
            guard let request = try? FunctionWire.json(body) else { return 2 }
            guard case .object(let object) = request, case .string(let op)? = object["op"], case .number(let idText)? = object["id"],
                let id = Int(idText)
            else { return 2 }
            switch op {
            case "compile":
                guard case .string(let source)? = object["source"], case .string(let languageName)? = object["language"],
                    let language = TransformationFunction.Language(rawValue: languageName), case .number(let timeoutText)? = object["timeout"],
                    let timeout = Double(timeoutText)
                else { return 2 }
                do throws(FunctionCompileError) {
                    switch language {
                    case .python: functions[id] = try PythonFunction(source: source, timeout: timeout)
                    case .javaScript: functions[id] = try JavaScriptFunction(source: source, timeout: timeout)
                    }
                    guard FunctionWire.write(.object(JSONObject([("ok", .bool(true))])), to: output) else { return 0 }
                } catch {
                    guard FunctionWire.write(.object(JSONObject([("error", .string(error.message))])), to: output) else { return 0 }
                }
            case "drop":
                functions[id] = nil
            default:
                return 2
            }
        }
    }

    /// Runs a binary call request; the answer frame, or nil when the request is malformed.
    private static func call(_ body: [UInt8], _ functions: [Int: any FunctionEngine]) -> [UInt8]? {
        var reader = FunctionWireBinary.Reader(body)
        do throws(FunctionWire.Malformed) {
            _ = try reader.byte()
            guard let engine = functions[Int(truncatingIfNeeded: try reader.u64())] else { return nil }
            let count = try reader.u32()
            var arguments: [ValueObject] = []
            arguments.reserveCapacity(min(count, 1 << 16))
            for _ in 0..<count {
                guard case .object(let user) = try reader.value() else { return nil }
                arguments.append(user)
            }
            var printed = ""
            let results = engine.call(arguments) { printed += $0 }
            var answer = FunctionWireBinary.Writer(message: FunctionWireBinary.Message.answer)
            answer.u32(results.count)
            for result in results {
                switch result {
                case .success(let value):
                    answer.byte(0)
                    answer.value(value)
                case .failure(let error):
                    answer.byte(1)
                    answer.string(error.message)
                }
            }
            answer.string(printed)
            return answer.bytes
        } catch {
            return nil
        }
    }
}
