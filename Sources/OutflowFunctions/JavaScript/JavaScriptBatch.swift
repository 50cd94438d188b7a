import CJavaScriptCore
import Dispatch
import OutflowCore

/// Decides, from the group's watchdog, when the call the driver is running is overdue.
///
/// One entry into JavaScript runs a whole batch, so the group's time limit is a short tick, not
/// the call's limit: at each tick the clock looks at which call runs (the shared `progress`
/// index) and terminates it once the same call has been seen running for the whole limit. A call
/// is therefore never stopped early, and is stopped at most two ticks late.
final class JavaScriptCallClock: @unchecked Sendable {
    private let progress: UnsafeMutablePointer<Int32>
    private let limit: UInt64
    /// Seconds between two looks.
    let tick: Double
    private var seen: Int32 = -1
    private var since: UInt64 = 0
    /// The index of the call terminated, or -1.
    private(set) var terminated: Int32 = -1

    /// The group whose limit is re-armed at each tick (JavaScriptCore does not always start a
    /// new cycle by itself when the callback declines to terminate).
    var group: OpaquePointer?

    init(progress: UnsafeMutablePointer<Int32>, seconds: Double) {
        self.progress = progress
        limit = UInt64(max(seconds, 0.001) * 1e9)
        tick = min(0.05, max(seconds, 0.001) / 4)
    }

    /// Before each entry into the driver.
    func reset() {
        seen = -1
        terminated = -1
        progress.pointee = -1
    }

    /// Makes the group's limit a tick of this clock.
    func arm() {
        guard let group else { return }
        JSContextGroupSetExecutionTimeLimit(group, tick, { _, context in
            let clock = Unmanaged<JavaScriptCallClock>.fromOpaque(context!).takeUnretainedValue()
            let terminate = clock.shouldTerminate()
            if !terminate { clock.arm() }
            return terminate
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called by JavaScriptCore on the calling thread, holding the VM.
    func shouldTerminate() -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        let current = progress.pointee
        guard current >= 0 else {
            seen = -1
            return false
        }
        if current != seen {
            seen = current
            since = now
            return false
        }
        guard now &- since >= limit else { return false }
        terminated = current
        return true
    }
}

/// The hot path of a JavaScript function: one entry into JavaScript per batch.
///
/// The batch's arguments go in as one JSON text (``JavaScriptArguments``), a driver written in
/// JavaScript parses it, applies the fixups for BigInts and non-finite numbers, calls
/// `transform` for each user, and returns the results as one JSON text. A result JSON cannot
/// carry exactly (a BigInt, a Date, a function, an object with a prototype of its own, a
/// non-finite number) is left in JavaScript and read through the C API, as before.
extension JavaScriptFunction {
    static let driver = """
        (function (transform, describe, progress) {
            const plain = Object.prototype;
            const exact = (value, depth) => {
                switch (typeof value) {
                case "string": case "boolean": case "undefined": return true;
                case "number": return value - value === 0;
                case "object": {
                    if (value === null) return true;
                    if (depth > 32) return false;
                    if (Array.isArray(value)) {
                        for (let i = 0; i < value.length; i++) if (!exact(value[i], depth + 1)) return false;
                        return true;
                    }
                    const proto = Object.getPrototypeOf(value);
                    if (proto !== plain && proto !== null) return false;
                    for (const key in value) if (!exact(value[key], depth + 1)) return false;
                    return true;
                }
                default: return false;
                }
            };
            const message = (error) => {
                try { return String(describe(error)); } catch (e) {}
                try { return String(error); } catch (e) { return "JavaScript error"; }
            };
            let users = [], kinds = [], values = [];
            const run = (text, start) => {
                if (start === 0) {
                    const [parsed, fixups] = JSON.parse(text);
                    for (const [user, path, code] of fixups) {
                        let owner = parsed[user];
                        for (let k = 0; k < path.length - 1; k++) owner = owner[path[k]];
                        const last = path[path.length - 1];
                        owner[last] = code === 0 ? BigInt(owner[last]) : code === 1 ? NaN : code === 2 ? Infinity : -Infinity;
                    }
                    users = parsed;
                    kinds = new Array(users.length).fill(-1);
                    values = new Array(users.length).fill(null);
                }
                const global = globalThis;
                for (let i = start; i < users.length; i++) {
                    progress[0] = i;
                    let result;
                    try {
                        result = transform.call(global, users[i]);
                    } catch (error) {
                        kinds[i] = 2;
                        values[i] = message(error);
                        continue;
                    }
                    kinds[i] = exact(result, 0) ? 0 : 1;
                    values[i] = result;
                }
                progress[0] = -1;
                users = [];
                return JSON.stringify([kinds, values.map((value, i) => kinds[i] === 1 ? null : value)]);
            };
            const entry = (i) => [kinds[i], values[i]];
            return [run, entry];
        })
        """

    func transform(
        _ batch: ProfileBatch, rows: [Int], input: FunctionInput, output: FunctionOutput, action: MappingAction, log: (String) -> Void
    ) -> [Result<ValueObject, FunctionError>] {
        lock.lock()
        defer { lock.unlock() }
        var leaves = [Value?](repeating: nil, count: output.leafCount)
        return drive(
            arguments(batch, rows: rows, input: input), count: rows.count,
            exact: { Self.user($0, output, action, &leaves) }, read: { output.user(from: $0, action: action) }, log: log)
    }

    /// Calls transform once per argument through the driver; the returned values as they are.
    func call(_ arguments: [ValueObject], log: (String) -> Void) -> [Result<Value, FunctionError>] {
        lock.lock()
        defer { lock.unlock() }
        var writer = JavaScriptArguments(reusing: argumentBytes)
        argumentBytes = []
        for (index, argument) in arguments.enumerated() {
            writer.beginUser(index)
            for (position, member) in argument.members.enumerated() {
                writer.key(JavaScriptArguments.quoted(member.key), first: position == 0)
                writer.value(member.value, topKey: member.key)
            }
            writer.endUser()
        }
        return drive(writer.finish(), count: arguments.count, exact: { .success(Self.value($0)) }, read: { .success($0) }, log: log)
    }

    /// Runs the driver over the arguments' text; `exact` makes a result from what JSON carried,
    /// `read` from a value read through the C API. Needs `lock`.
    private func drive<T>(
        _ arguments: [UInt8], count: Int, exact: (JSONValue) -> Result<T, FunctionError>, read: (Value) -> Result<T, FunctionError>,
        log: (String) -> Void
    ) -> [Result<T, FunctionError>] {
        var text = arguments
        let string = JSStringCreateWithUTF8CString(&text)
        argumentBytes = text
        let argument = JSValueMakeString(context, string)
        JSStringRelease(string)
        // The text must outlive every entry below; keep it from the collector.
        JSValueProtect(context, argument)
        defer { JSValueUnprotect(context, argument) }

        var returned: [Result<T, FunctionError>]?
        var timedOut: Set<Int> = []
        var start = 0
        var produced: OpaquePointer?
        while produced == nil {
            clock.reset()
            var exception: OpaquePointer?
            let call: [OpaquePointer?] = [argument, JSValueMakeNumber(context, Double(start))]
            produced = call.withUnsafeBufferPointer { JSObjectCallAsFunction(context, run, nil, 2, $0.baseAddress, &exception) }
            if produced != nil { break }
            let index = Int(clock.terminated)
            if index >= 0 {
                timedOut.insert(index)
                start = index + 1
                continue
            }
            // The driver itself failed (not a call of transform): every profile of the batch fails.
            let message = exception.map { Self.text(of: $0, context, describe) } ?? "JavaScript error"
            returned = (0..<count).map { _ in .failure(FunctionError(message: message)) }
            break
        }
        if returned == nil, let produced {
            returned = results(produced, count: count, timedOut: timedOut, exact: exact, read: read)
        }
        if let printed = JSObjectCallAsFunction(context, drain, nil, 0, nil, nil), let text = Self.string(context, printed), !text.isEmpty {
            log(text)
        }
        return returned ?? []
    }

    /// The batch's arguments as the driver's JSON text.
    private func arguments(_ batch: ProfileBatch, rows: [Int], input: FunctionInput) -> [UInt8] {
        var writer = JavaScriptArguments(reusing: argumentBytes)
        argumentBytes = []
        guard let entries = input.entries else {
            for (index, row) in rows.enumerated() {
                writer.beginUser(index)
                for (position, member) in input.argument(batch, row: row).members.enumerated() {
                    writer.key(JavaScriptArguments.quoted(member.key), first: position == 0)
                    writer.value(member.value, topKey: member.key)
                }
                writer.endUser()
            }
            return writer.finish()
        }
        let keys = entryKeys ?? entries.map { JavaScriptArguments.quoted($0.name) }
        entryKeys = keys
        for (index, row) in rows.enumerated() {
            writer.beginUser(index)
            var first = true
            for position in entries.indices {
                let entry = entries[position]
                let slot = batch.slot(row, entry.slot)
                var tag = entry.whole ? slot.tag : .boxed
                var boxed: Value?
                switch tag {
                case .absent: continue
                case .null, .boolean, .int, .uint, .float, .text, .ip, .datetime: break
                default:
                    guard let value = input.value(batch, row: row, entry) else { continue }
                    boxed = value
                    tag = .boxed
                }
                writer.key(keys[position], first: first)
                first = false
                switch tag {
                case .null: writer.null()
                case .boolean: writer.boolean(slot.boolValue)
                case .int: writer.integer(slot.intValue, topKey: entry.name)
                case .uint: writer.unsigned(slot.payload, topKey: entry.name)
                case .float: writer.float(slot.floatValue, topKey: entry.name)
                case .text, .ip: batch.withText(slot) { writer.string($0) }
                case .datetime: writer.datetime(slot.datetimeValue)
                default: writer.value(boxed ?? .null, topKey: entry.name)
                }
            }
            writer.endUser()
        }
        return writer.finish()
    }

    /// Reads the driver's `[kinds, values]` text; a result kept in JavaScript (kind 1), or a text
    /// Swift's parser refuses (an unpaired surrogate), is read through the C API.
    private func results<T>(
        _ produced: OpaquePointer, count: Int, timedOut: Set<Int>, exact: (JSONValue) -> Result<T, FunctionError>,
        read: (Value) -> Result<T, FunctionError>
    ) -> [Result<T, FunctionError>] {
        var kinds: [JSONValue] = []
        var values: [JSONValue] = []
        if let string = JSValueToStringCopy(context, produced, nil) {
            let size = JSStringGetMaximumUTF8CStringSize(string)
            var bytes = resultBytes
            resultBytes = []
            if bytes.count < size { bytes = [UInt8](repeating: 0, count: size) }
            defer { resultBytes = bytes }
            let written = bytes.withUnsafeMutableBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { JSStringGetUTF8CString(string, $0.baseAddress, size) }
            }
            JSStringRelease(string)
            let document = bytes.withUnsafeBufferPointer { try? JSONParser.parseDocument(UnsafeBufferPointer(rebasing: $0[0..<max(written - 1, 0)])) }
            if case .array(let pair)? = document, pair.count == 2, case .array(let k) = pair[0], case .array(let v) = pair[1], k.count == count,
                v.count == count
            {
                kinds = k
                values = v
            }
        }
        var results: [Result<T, FunctionError>] = []
        results.reserveCapacity(count)
        for index in 0..<count {
            if timedOut.contains(index) {
                results.append(.failure(.timeout(timeout)))
                continue
            }
            var kind = -1
            var json: JSONValue?
            if index < kinds.count, case .number(let text) = kinds[index] {
                kind = Int(text) ?? -1
                json = values[index]
            }
            if kind == 0, let json {
                results.append(exact(json))
                continue
            }
            if kind == 2, case .string(let message)? = json {
                results.append(.failure(FunctionError(message: message)))
                continue
            }
            switch slowResult(index) {
            case .success(let value): results.append(read(value))
            case .failure(let error): results.append(.failure(error))
            }
        }
        return results
    }

    /// One result read from JavaScript through the C API.
    private func slowResult(_ index: Int) -> Result<Value, FunctionError> {
        let argument: OpaquePointer? = JSValueMakeNumber(context, Double(index))
        guard let pair = withUnsafePointer(to: argument, { JSObjectCallAsFunction(context, entry, nil, 1, $0, nil) }),
            let kindValue = JSObjectGetPropertyAtIndex(context, pair, 0, nil), let item = JSObjectGetPropertyAtIndex(context, pair, 1, nil)
        else { return .failure(FunctionError(message: "JavaScript error")) }
        switch Int(JSValueToNumber(context, kindValue, nil)) {
        case 2:
            return .failure(FunctionError(message: Self.string(context, item) ?? "JavaScript error"))
        case 0, 1:
            do throws(FunctionError) {
                return .success(try value(item, at: ""))
            } catch {
                return .failure(error)
            }
        default:
            return .failure(.timeout(timeout))
        }
    }

    /// The user from a result JSON carried exactly: an object of top-level outPaths is read key
    /// by key, anything else goes through ``FunctionOutput/user(from:action:)``.
    private static func user(
        _ json: JSONValue, _ output: FunctionOutput, _ action: MappingAction, _ leaves: inout [Value?]
    ) -> Result<ValueObject, FunctionError> {
        if case .object(let object) = json {
            for index in leaves.indices { leaves[index] = nil }
            var direct = true
            for member in object.members {
                guard let leaf = output.topLevelLeaf(member.key) else {
                    direct = false
                    break
                }
                leaves[leaf] = value(member.value)
            }
            if direct { return output.user(leaves: leaves, action: action) }
        }
        return output.user(from: value(json), action: action)
    }

    /// The value of a result that JSON carried exactly, as ``value(_:at:)`` reads it.
    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .null
        case .bool(let flag): return .boolean(flag)
        case .string(let text): return .string(text)
        case .number(let text):
            let number = Double(text) ?? .nan
            if number == number.rounded(), abs(number) <= Double(JavaScriptArguments.maximumExact) { return .int(Int64(number)) }
            return .float(number)
        case .array(let items): return .array(items.map(value))
        case .object(let object): return .object(ValueObject(object.members.map { (key: $0.key, value: value($0.value)) }))
        }
    }
}
