import CJavaScriptCore
import Foundation
import OutflowCore

/// Values to JavaScript and back, per kind (DESIGN section 8): integers as numbers while they are
/// exact (|n| < 2^53) and as BigInt beyond, decimal as a string (a double would round it),
/// datetime, date and time as ISO strings, uuid as a lower-case string, json as plain values.
/// Everything here runs under the function's lock.
extension JavaScriptFunction {
    private static let maximumExact = Int64(1) << 53 - 1

    /// A new object for a `user` argument.
    func object(_ members: ValueObject) -> OpaquePointer? {
        let object = JSObjectMake(context, nil, nil)
        for member in members.members {
            let item = javaScript(member.value)
            if let cached = keys[member.key] {
                JSObjectSetProperty(context, object, cached, item, 0, nil)
                continue
            }
            let name = Self.jsString(member.key)
            JSObjectSetProperty(context, object, name, item, 0, nil)
            // Keys of maps may be ever new: the cache keeps only the first few thousand names.
            if keys.count < 4096 { keys[member.key] = name } else { JSStringRelease(name) }
        }
        return object
    }

    private func makeString(_ text: String) -> OpaquePointer? {
        let string = Self.jsString(text)
        defer { JSStringRelease(string) }
        return JSValueMakeString(context, string)
    }

    func javaScript(_ value: Value) -> OpaquePointer? {
        switch value {
        case .null: return JSValueMakeNull(context)
        case .boolean(let flag): return JSValueMakeBoolean(context, flag)
        case .int(let number):
            if number >= -Self.maximumExact, number <= Self.maximumExact { return JSValueMakeNumber(context, Double(number)) }
            return JSBigIntCreateWithInt64(context, number, nil)
        case .uint(let number): return JSBigIntCreateWithUInt64(context, number, nil)
        case .float(let number): return JSValueMakeNumber(context, number)
        case .year(let year): return JSValueMakeNumber(context, Double(year))
        case .decimal(let decimal): return makeString(decimal.description)
        case .string(let text), .ip(let text): return makeString(text)
        case .datetime(let instant): return makeString(instant.description)
        case .date(let date): return makeString(date.description)
        case .time(let time): return makeString(time.description)
        case .uuid(let uuid): return makeString(uuid.uuidString.lowercased())
        case .json(let json): return javaScript(json)
        case .array(let items):
            // Elements are attached as they are made, so the collector always sees them from the array.
            let array = JSObjectMakeArray(context, 0, nil, nil)
            for (index, item) in items.enumerated() {
                JSObjectSetPropertyAtIndex(context, array, UInt32(index), javaScript(item), nil)
            }
            return array
        case .object(let members), .map(let members):
            return object(members)
        }
    }

    private func javaScript(_ json: JSONValue) -> OpaquePointer? {
        switch json {
        case .null: return JSValueMakeNull(context)
        case .bool(let flag): return JSValueMakeBoolean(context, flag)
        case .string(let text): return makeString(text)
        case .number(let text): return JSValueMakeNumber(context, Double(text) ?? .nan)
        case .array(let items):
            let array = JSObjectMakeArray(context, 0, nil, nil)
            for (index, item) in items.enumerated() {
                JSObjectSetPropertyAtIndex(context, array, UInt32(index), javaScript(item), nil)
            }
            return array
        case .object(let object):
            let result = JSObjectMake(context, nil, nil)
            for member in object.members {
                let name = Self.jsString(member.key)
                JSObjectSetProperty(context, result, name, javaScript(member.value), 0, nil)
                JSStringRelease(name)
            }
            return result
        }
    }

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
