import CJavaScriptCore
import Dispatch
import Foundation
import OutflowCore

/// A JavaScript source compiled in its own JavaScriptCore context group, and its `transform`.
///
/// Each function gets a context group of its own, so pipelines never see each other's globals, and
/// the group's execution time limit interrupts a call that runs too long. Calls into one function
/// are serialized; different functions run in parallel.
final class JavaScriptFunction: FunctionEngine, @unchecked Sendable {
    private let group: OpaquePointer
    let context: OpaquePointer
    let function: OpaquePointer
    let describe: OpaquePointer
    let drain: OpaquePointer
    let timeout: Double
    let lock = NSLock()
    /// The index of the call the driver is running, -1 between calls; shared with JavaScript as
    /// an Int32Array (`progressArray`) and read by the clock.
    let progress: UnsafeMutablePointer<Int32>
    let progressArray: OpaquePointer
    let clock: JavaScriptCallClock
    /// Drivers generated per pipeline shape (under `lock`; see JavaScriptBatch.swift).
    var drivers: [JavaScriptDriver.Spec: Driver] = [:]
    /// The driver's input arrays and the argument writer's storage, kept from one batch to the
    /// next (under `lock`).
    var inputTags = InputArray()
    var inputNumbers = InputArray()
    var writerStorage: JavaScriptColumnWriter?

    private static let prelude = """
        (function () {
            const lines = [];
            const text = (value) => {
                if (typeof value === "string") return value;
                try { const json = JSON.stringify(value); return json === undefined ? String(value) : json; } catch (e) { return String(value); }
            };
            const write = (...values) => { lines.push(values.map(text).join(" ")); };
            globalThis.console = { log: write, info: write, warn: write, error: write, debug: write };
            const describe = (error) => {
                if (error instanceof Error || (error && typeof error.message === "string" && typeof error.name === "string")) {
                    const head = error.message ? `${error.name}: ${error.message}` : String(error.name);
                    return typeof error.line === "number" ? `${head} (line ${error.line})` : head;
                }
                return "transform threw " + text(error);
            };
            return [describe, () => lines.splice(0).join("\\n")];
        })()
        """

    init(source: String, timeout: Double) throws(FunctionCompileError) {
        self.timeout = timeout
        group = JSContextGroupCreate()
        context = JSGlobalContextCreateInGroup(group, nil)
        JSContextGroupSetExecutionTimeLimit(group, timeout, { _, _ in true }, nil)
        var exception: OpaquePointer?
        guard let helpers = Self.evaluate(context, Self.prelude, url: "outflow-prelude", &exception),
            let describe = JSObjectGetPropertyAtIndex(context, helpers, 0, nil),
            let drain = JSObjectGetPropertyAtIndex(context, helpers, 1, nil)
        else {
            JSGlobalContextRelease(context)
            JSContextGroupRelease(group)
            throw FunctionCompileError(message: "the JavaScript context could not be prepared")
        }
        JSValueProtect(context, describe)
        JSValueProtect(context, drain)
        self.describe = describe
        self.drain = drain
        let started = DispatchTime.now().uptimeNanoseconds
        var found: OpaquePointer?
        if Self.evaluate(context, source, url: "transform.js", &exception) != nil {
            found = Self.evaluate(context, "typeof transform === \"function\" ? transform : undefined", url: "outflow-lookup", &exception)
        }
        let failure: String?
        if let exception {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            failure = elapsed >= timeout ? "the source's top level ran longer than the \(FunctionError.seconds(timeout)) limit" : Self.text(of: exception, context, describe)
        } else if let found, JSValueIsObject(context, found), JSObjectIsFunction(context, found) {
            failure = nil
        } else {
            failure = "the source does not define transform(user)"
        }
        if let failure {
            JSValueUnprotect(context, describe)
            JSValueUnprotect(context, drain)
            JSGlobalContextRelease(context)
            JSContextGroupRelease(group)
            throw FunctionCompileError(message: failure)
        }
        JSValueProtect(context, found)
        function = found!
        progress = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        progress.initialize(to: -1)
        clock = JavaScriptCallClock(progress: progress, seconds: timeout)
        guard let shared = JSObjectMakeTypedArrayWithBytesNoCopy(context, kJSTypedArrayTypeInt32Array, progress, 4, nil, nil, nil) else {
            // Not expected with a working JavaScriptCore.
            throw FunctionCompileError(message: "the JavaScript batch driver could not be prepared")
        }
        JSValueProtect(context, shared)
        progressArray = shared
        // From now on the group's limit is a tick: the clock decides when a call is overdue.
        clock.group = group
        clock.arm()
    }

    deinit {
        for driver in drivers.values {
            JSValueUnprotect(context, driver.run)
            JSValueUnprotect(context, driver.entry)
        }
        for array in [inputTags.array, inputNumbers.array, progressArray] { if let array { JSValueUnprotect(context, array) } }
        JSValueUnprotect(context, function)
        JSValueUnprotect(context, describe)
        JSValueUnprotect(context, drain)
        JSGlobalContextRelease(context)
        JSContextGroupRelease(group)
        progress.deallocate()
    }

    /// Evaluates `script`; nil with `exception` set when it threw.
    static func evaluate(_ context: OpaquePointer, _ script: String, url: String, _ exception: inout OpaquePointer?) -> OpaquePointer? {
        let text = jsString(script)
        let name = jsString(url)
        defer {
            JSStringRelease(text)
            JSStringRelease(name)
        }
        return JSEvaluateScript(context, text, nil, name, 1, &exception)
    }

    /// `Type: message (line N)` for a thrown value.
    static func text(of exception: OpaquePointer, _ context: OpaquePointer, _ describe: OpaquePointer) -> String {
        var inner: OpaquePointer?
        let described = withUnsafePointer(to: Optional(exception)) { pointer in
            JSObjectCallAsFunction(context, describe, nil, 1, pointer, &inner)
        }
        if let described, let text = string(context, described) { return text }
        return string(context, exception) ?? "JavaScript error"
    }

    static func jsString(_ text: String) -> OpaquePointer {
        let units = Array(text.utf16)
        return units.withUnsafeBufferPointer { JSStringCreateWithCharacters($0.baseAddress, $0.count) }
    }

    /// The string value of any JavaScript value (its `String(value)`), or nil when that throws.
    static func string(_ context: OpaquePointer, _ value: OpaquePointer) -> String? {
        guard let string = JSValueToStringCopy(context, value, nil) else { return nil }
        defer { JSStringRelease(string) }
        return swiftString(string)
    }

    static func swiftString(_ string: OpaquePointer) -> String {
        let count = JSStringGetLength(string)
        guard count > 0, let characters = JSStringGetCharactersPtr(string) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: characters, count: count), as: UTF16.self)
    }
}
