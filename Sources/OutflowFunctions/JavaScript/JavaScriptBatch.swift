import CJavaScriptCore
import OutflowCore

/// The hot path of a JavaScript function: one entry into JavaScript per batch.
///
/// The batch's arguments go in as columns (``JavaScriptColumnWriter``), a driver generated for
/// the pipeline (``JavaScriptDriver``) builds each `user`, calls `transform`, and writes the
/// results back as columns (``JavaScriptColumnReader``). A result the columns cannot carry is
/// left in JavaScript and read through the C API.
extension JavaScriptFunction {
    /// A generated driver's two functions, protected from the collector while the function lives.
    struct Driver {
        let run: OpaquePointer
        let entry: OpaquePointer
    }

    /// A typed array of the driver's input, reused from batch to batch while it is large enough.
    struct InputArray {
        var array: OpaquePointer?
        var capacity = 0
    }

    func transform(
        _ batch: ProfileBatch, rows: [Int], input: FunctionInput, output: FunctionOutput, action: MappingAction, log: (String) -> Void
    ) -> [Result<ValueObject, FunctionError>] {
        lock.lock()
        defer { lock.unlock() }
        let spec = JavaScriptDriver.Spec(inputKeys: input.entries?.map(\.name), outputLeaves: output.leafNames)
        var writer = JavaScriptColumnWriter(reusing: &writerStorage)
        arguments(batch, rows: rows, input: input, into: &writer)
        var leaves = [Value?](repeating: nil, count: output.leafCount)
        return drive(
            spec, &writer, count: rows.count,
            leaves: { (reader: inout JavaScriptColumnReader) throws(JavaScriptColumnReader.Malformed) in
                for index in leaves.indices { leaves[index] = try reader.value() }
                return output.user(leaves: leaves, action: action)
            },
            whole: { output.user(from: $0, action: action) }, log: log)
    }

    /// Calls transform once per argument through the driver; the returned values as they are.
    func call(_ arguments: [ValueObject], log: (String) -> Void) -> [Result<Value, FunctionError>] {
        lock.lock()
        defer { lock.unlock() }
        var writer = JavaScriptColumnWriter(reusing: &writerStorage)
        for argument in arguments { writer.object(argument) }
        return drive(
            JavaScriptDriver.Spec(inputKeys: nil, outputLeaves: nil), &writer, count: arguments.count,
            leaves: { (_: inout JavaScriptColumnReader) throws(JavaScriptColumnReader.Malformed) in throw JavaScriptColumnReader.Malformed() },
            whole: { .success($0) }, log: log)
    }

    /// The batch's arguments: per row, one value per top-level key of the argument.
    private func arguments(_ batch: ProfileBatch, rows: [Int], input: FunctionInput, into writer: inout JavaScriptColumnWriter) {
        guard let entries = input.entries else {
            for row in rows { writer.object(input.argument(batch, row: row)) }
            return
        }
        for row in rows {
            for entry in entries {
                let slot = batch.slot(row, entry.slot)
                switch entry.whole ? slot.tag : .boxed {
                case .absent: writer.absent()
                case .null: writer.null()
                case .boolean: writer.boolean(slot.boolValue)
                case .int: writer.integer(slot.intValue)
                case .uint: writer.unsigned(slot.payload)
                case .float: writer.number(slot.floatValue)
                case .text, .ip: batch.withText(slot) { writer.string($0) }
                case .datetime: writer.datetime(slot.datetimeValue)
                default:
                    if let value = input.value(batch, row: row, entry) { writer.value(value) } else { writer.absent() }
                }
            }
        }
    }

    /// Runs the driver of `spec` over the arguments in `writer`; `leaves` makes a result from a
    /// row of outPath values, `whole` from a returned value. Needs `lock`.
    private func drive<T>(
        _ spec: JavaScriptDriver.Spec, _ writer: inout JavaScriptColumnWriter, count: Int,
        leaves: (inout JavaScriptColumnReader) throws(JavaScriptColumnReader.Malformed) -> Result<T, FunctionError>,
        whole: (Value) -> Result<T, FunctionError>, log: (String) -> Void
    ) -> [Result<T, FunctionError>] {
        defer { writerStorage = writer }
        guard let driver = driver(spec),
            let tags = writer.tags.withUnsafeBytes({ fill(&inputTags, kJSTypedArrayTypeUint8Array, $0, elementSize: 1) }),
            let numbers = writer.numbers.withUnsafeBytes({ fill(&inputNumbers, kJSTypedArrayTypeFloat64Array, $0, elementSize: 8) })
        else {
            return (0..<count).map { _ in .failure(FunctionError(message: "the JavaScript batch driver could not be prepared")) }
        }
        let string = writer.text.withUnsafeBufferPointer { JSStringCreateWithCharacters($0.baseAddress, $0.count) }
        let text = JSValueMakeString(context, string)
        JSStringRelease(string)
        // The text must outlive every entry below; keep it from the collector.
        JSValueProtect(context, text)
        defer { JSValueUnprotect(context, text) }

        var returned: [Result<T, FunctionError>]?
        var start = 0
        var produced: OpaquePointer?
        while produced == nil {
            clock.reset()
            var exception: OpaquePointer?
            let call: [OpaquePointer?] = [tags, numbers, text, JSValueMakeNumber(context, Double(count)), JSValueMakeNumber(context, Double(start))]
            produced = call.withUnsafeBufferPointer { JSObjectCallAsFunction(context, driver.run, nil, 5, $0.baseAddress, &exception) }
            if produced != nil { break }
            let index = Int(clock.terminated)
            if index >= 0 {
                start = index + 1
                continue
            }
            // The driver itself failed (not a call of transform): every profile of the batch fails.
            let message = exception.map { Self.text(of: $0, context, describe) } ?? "JavaScript error"
            returned = (0..<count).map { _ in .failure(FunctionError(message: message)) }
            break
        }
        if returned == nil, let produced {
            JSValueProtect(context, produced)
            returned = results(produced, driver, count: count, leaves: leaves, whole: whole)
            JSValueUnprotect(context, produced)
        }
        if let printed = JSObjectCallAsFunction(context, drain, nil, 0, nil, nil), let text = Self.string(context, printed), !text.isEmpty {
            log(text)
        }
        return returned ?? []
    }

    /// The driver generated for `spec`, made on first use. Needs `lock`.
    private func driver(_ spec: JavaScriptDriver.Spec) -> Driver? {
        if let made = drivers[spec] { return made }
        var exception: OpaquePointer?
        let arguments: [OpaquePointer?] = [function, describe, progressArray]
        guard let make = Self.evaluate(context, JavaScriptDriver.source(spec), url: "outflow-driver", &exception),
            let pair = arguments.withUnsafeBufferPointer({ JSObjectCallAsFunction(context, make, nil, 3, $0.baseAddress, nil) }),
            let run = JSObjectGetPropertyAtIndex(context, pair, 0, nil), let entry = JSObjectGetPropertyAtIndex(context, pair, 1, nil),
            JSValueIsObject(context, run), JSValueIsObject(context, entry)
        else { return nil }
        JSValueProtect(context, run)
        JSValueProtect(context, entry)
        let made = Driver(run: run, entry: entry)
        drivers[spec] = made
        return made
    }

    /// `stored`'s typed array holding `bytes`, made anew when it is too small; nil when
    /// JavaScriptCore could not make one.
    private func fill(_ stored: inout InputArray, _ type: JSTypedArrayType, _ bytes: UnsafeRawBufferPointer, elementSize: Int) -> OpaquePointer? {
        let count = bytes.count / elementSize
        if stored.array == nil || stored.capacity < count {
            if let old = stored.array { JSValueUnprotect(context, old) }
            stored = InputArray()
            let capacity = max(4096, count + count / 2)
            guard let made = JSObjectMakeTypedArray(context, type, capacity, nil) else { return nil }
            JSValueProtect(context, made)
            stored = InputArray(array: made, capacity: capacity)
        }
        guard let array = stored.array else { return nil }
        if let source = bytes.baseAddress, !bytes.isEmpty {
            guard let target = JSObjectGetTypedArrayBytesPtr(context, array, nil) else { return nil }
            target.copyMemory(from: source, byteCount: bytes.count)
        }
        return array
    }

    /// Reads the driver's `[tags, numbers, text, tagCount, numberCount]`.
    private func results<T>(
        _ produced: OpaquePointer, _ driver: Driver, count: Int,
        leaves: (inout JavaScriptColumnReader) throws(JavaScriptColumnReader.Malformed) -> Result<T, FunctionError>,
        whole: (Value) -> Result<T, FunctionError>
    ) -> [Result<T, FunctionError>] {
        let unreadable = FunctionError(message: "the results of the JavaScript batch could not be read")
        guard let list = JSValueToObject(context, produced, nil),
            let tagArray = JSObjectGetPropertyAtIndex(context, list, 0, nil).flatMap({ JSValueToObject(context, $0, nil) }),
            let numberArray = JSObjectGetPropertyAtIndex(context, list, 1, nil).flatMap({ JSValueToObject(context, $0, nil) }),
            let textValue = JSObjectGetPropertyAtIndex(context, list, 2, nil),
            let tagCount = JSObjectGetPropertyAtIndex(context, list, 3, nil).map({ JSValueToNumber(context, $0, nil) }),
            let numberCount = JSObjectGetPropertyAtIndex(context, list, 4, nil).map({ JSValueToNumber(context, $0, nil) }),
            JSValueGetTypedArrayType(context, tagArray, nil) == kJSTypedArrayTypeUint8Array,
            JSValueGetTypedArrayType(context, numberArray, nil) == kJSTypedArrayTypeFloat64Array,
            let tagBytes = JSObjectGetTypedArrayBytesPtr(context, tagArray, nil),
            let numberBytes = JSObjectGetTypedArrayBytesPtr(context, numberArray, nil),
            let string = JSValueToStringCopy(context, textValue, nil)
        else { return (0..<count).map { _ in .failure(unreadable) } }
        defer { JSStringRelease(string) }
        let tagLength = min(JSObjectGetTypedArrayLength(context, tagArray, nil), Int(max(0, min(tagCount, 1e15))))
        let numberLength = min(JSObjectGetTypedArrayLength(context, numberArray, nil), Int(max(0, min(numberCount, 1e15))))
        let length = JSStringGetLength(string)
        let characters = length > 0 ? JSStringGetCharactersPtr(string) : nil
        var reader = JavaScriptColumnReader(
            tags: UnsafeBufferPointer(start: tagBytes.assumingMemoryBound(to: UInt8.self), count: tagLength),
            numbers: UnsafeBufferPointer(start: numberBytes.assumingMemoryBound(to: Double.self), count: numberLength),
            text: UnsafeBufferPointer(start: characters, count: characters == nil ? 0 : length))

        var results: [Result<T, FunctionError>] = []
        results.reserveCapacity(count)
        do throws(JavaScriptColumnReader.Malformed) {
            for index in 0..<count {
                switch try reader.nextTag() {
                case JavaScriptDriver.Row.leaves:
                    results.append(try leaves(&reader))
                case JavaScriptDriver.Row.value:
                    results.append(whole(try reader.value() ?? .null))
                case JavaScriptDriver.Row.slow:
                    switch slowResult(index, driver) {
                    case .success(let value): results.append(whole(value))
                    case .failure(let error): results.append(.failure(error))
                    }
                case JavaScriptDriver.Row.error:
                    results.append(.failure(FunctionError(message: try reader.string())))
                case JavaScriptDriver.Row.timedOut:
                    results.append(.failure(.timeout(timeout)))
                default:
                    throw JavaScriptColumnReader.Malformed()
                }
            }
        } catch {
            while results.count < count { results.append(.failure(unreadable)) }
        }
        return results
    }

    /// One result read from JavaScript through the C API.
    private func slowResult(_ index: Int, _ driver: Driver) -> Result<Value, FunctionError> {
        let argument: OpaquePointer? = JSValueMakeNumber(context, Double(index))
        guard let item = withUnsafePointer(to: argument, { JSObjectCallAsFunction(context, driver.entry, nil, 1, $0, nil) }) else {
            return .failure(FunctionError(message: "JavaScript error"))
        }
        do throws(FunctionError) {
            return .success(try value(item, at: ""))
        } catch {
            return .failure(error)
        }
    }
}
