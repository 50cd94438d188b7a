import CJavaScriptCore
import Foundation
import OutflowCore

/// Results read through the C API, for the few values the batch driver's columns cannot carry
/// (``JavaScriptDriver/Row/slow``: a Date, a function, a Symbol, a class instance, deep nesting);
/// values are read as the columns read them (``JavaScriptColumnReader``). Everything here runs
/// under the function's lock.
extension JavaScriptFunction {
    private static let maximumExact = Int64(1) << 53 - 1

    /// The value a JavaScript value returned by transform stands for; `path` names where it was
    /// found, for messages. `undefined` members are left out, as JSON.stringify does.
    func value(_ value: OpaquePointer, at path: String) throws(FunctionError) -> Value {
        let context = self.context
        switch JSValueGetType(context, value) {
        case kJSTypeUndefined, kJSTypeNull:
            return .null
        case kJSTypeBoolean:
            return .boolean(JSValueToBoolean(context, value))
        case kJSTypeNumber:
            let number = JSValueToNumber(context, value, nil)
            if number == number.rounded(), abs(number) <= Double(Self.maximumExact) { return .int(Int64(number)) }
            return .float(number)
        case kJSTypeString:
            return .string(Self.string(context, value) ?? "")
        case kJSTypeBigInt:
            let text = Self.string(context, value) ?? "0"
            if let number = Int64(text) { return .int(number) }
            if let number = UInt64(text) { return .uint(number) }
            return .decimal(DecimalValue(text) ?? DecimalValue(0))
        case kJSTypeSymbol:
            throw unsupported("a Symbol", path)
        default:
            break
        }
        if JSValueIsArray(context, value) {
            let object = JSValueToObject(context, value, nil)
            let lengthName = Self.jsString("length")
            let length = Int(JSValueToNumber(context, JSObjectGetProperty(context, object, lengthName, nil), nil))
            JSStringRelease(lengthName)
            var items: [Value] = []
            items.reserveCapacity(max(length, 0))
            for index in 0..<max(length, 0) {
                guard let item = JSObjectGetPropertyAtIndex(context, object, UInt32(index), nil) else { continue }
                items.append(try self.value(item, at: path + "[\(index)]"))
            }
            return .array(items)
        }
        if JSValueIsDate(context, value) {
            let milliseconds = JSValueToNumber(context, value, nil)
            guard milliseconds.isFinite else { throw unsupported("an invalid Date", path) }
            let whole = (milliseconds / 1000).rounded(.down)
            return .datetime(DateTimeValue(seconds: Int64(whole), nanoseconds: Int32((milliseconds - whole * 1000) * 1_000_000)))
        }
        let object = JSValueToObject(context, value, nil)
        if JSObjectIsFunction(context, object) { throw unsupported("a function", path) }
        let names = JSObjectCopyPropertyNames(context, object)
        defer { JSPropertyNameArrayRelease(names) }
        let count = JSPropertyNameArrayGetCount(names)
        var members: [(key: String, value: Value)] = []
        members.reserveCapacity(count)
        for index in 0..<count {
            guard let name = JSPropertyNameArrayGetNameAtIndex(names, index) else { continue }
            guard let item = JSObjectGetProperty(context, object, name, nil) else { continue }
            if JSValueIsUndefined(context, item) { continue }
            let key = Self.swiftString(name)
            members.append((key, try self.value(item, at: path.isEmpty ? key : path + "." + key)))
        }
        return .object(ValueObject(members))
    }

    private func unsupported(_ what: String, _ path: String) -> FunctionError {
        FunctionError(property: path.isEmpty ? nil : path, message: "transform returned \(what)\(path.isEmpty ? "" : " for «\(path)»"), which has no Outflow kind")
    }
}
