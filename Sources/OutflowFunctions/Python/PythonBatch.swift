import CPython
import OutflowCore

/// The hot path of a Python function: arguments built straight from a batch's slots, results read
/// straight into the outPaths' values, one GIL acquisition per batch.
///
/// Each argument dict is presized and keyed by str objects made once per function; strings are
/// decoded from the batch's arena, datetimes made through the datetime C API. A returned dict
/// whose keys are top-level outPaths is read key by key, its keys recognised by identity (a
/// function returns the same interned literals every call). Anything else (nested inPaths, json,
/// objects, nested outPaths, unknown keys) takes the ``Value`` path, with the same results.
extension PythonFunction {
    func transform(
        _ batch: ProfileBatch, rows: [Int], input: FunctionInput, output: FunctionOutput, action: MappingAction, log: (String) -> Void
    ) -> [Result<ValueObject, FunctionError>] {
        guard let entries = input.entries else {
            return transformByValues(batch, rows: rows, input: input, output: output, action: action, log: log)
        }
        return withCall(log: log) { clock in
            var results: [Result<ValueObject, FunctionError>] = []
            results.reserveCapacity(rows.count)
            guard let keys = argumentKeys(entries) else {
                let error = FunctionError(message: "the profile could not be passed to Python: " + runtime.takeErrorText())
                return rows.map { _ in .failure(error) }
            }
            var leaves = [Value?](repeating: nil, count: output.leafCount)
            for row in rows {
                guard let user = argument(batch, row: row, entries, keys, input) else {
                    results.append(.failure(FunctionError(message: "the profile could not be passed to Python: " + runtime.takeErrorText())))
                    continue
                }
                switch invoke(user, clock) {
                case .success(let returned):
                    results.append(self.user(returned, output, action, &leaves))
                    outflow_py_decref(returned)
                case .failure(let error):
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    private func argumentKeys(_ entries: [FunctionInput.Entry]) -> [PyObjectPointer]? {
        if let entryKeys { return entryKeys }
        var made: [PyObjectPointer] = []
        for entry in entries {
            var object = Self.str(entry.name)
            guard object != nil else {
                for key in made { outflow_py_decref(key) }
                return nil
            }
            PyUnicode_InternInPlace(&object)
            made.append(object!)
        }
        entryKeys = made
        return made
    }

    /// A new dict for row `row`, or nil with a Python error pending.
    private func argument(
        _ batch: ProfileBatch, row: Int, _ entries: [FunctionInput.Entry], _ keys: [PyObjectPointer], _ input: FunctionInput
    ) -> PyObjectPointer? {
        guard let dict = _PyDict_NewPresized(entries.count) else { return nil }
        for index in entries.indices {
            let entry = entries[index]
            let item: PyObjectPointer?
            let slot = batch.slot(row, entry.slot)
            switch entry.whole ? slot.tag : .boxed {
            case .absent: continue
            case .null: item = outflow_py_none()
            case .boolean: item = slot.boolValue ? outflow_py_true() : outflow_py_false()
            case .int: item = PyLong_FromLongLong(slot.intValue)
            case .uint: item = PyLong_FromUnsignedLongLong(slot.payload)
            case .float: item = PyFloat_FromDouble(slot.floatValue)
            case .text, .ip:
                item = batch.withText(slot) { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { PyUnicode_DecodeUTF8($0.baseAddress, $0.count, nil) }
                }
            case .datetime: item = datetime(slot.datetimeValue)
            default:
                guard let value = input.value(batch, row: row, entry) else { continue }
                item = python(value)
            }
            guard let item else {
                outflow_py_decref(dict)
                return nil
            }
            let status = PyDict_SetItem(dict, keys[index], item)
            outflow_py_decref(item)
            if status != 0 {
                outflow_py_decref(dict)
                return nil
            }
        }
        return dict
    }

    /// A new aware datetime in UTC, or nil with a Python error pending.
    func datetime(_ instant: DateTimeValue) -> PyObjectPointer? {
        // Python datetimes hold microseconds: finer fractions are truncated.
        let micros = instant.nanoseconds / 1000
        var days = instant.seconds / 86_400
        var seconds = instant.seconds % 86_400
        if seconds < 0 {
            seconds += 86_400
            days -= 1
        }
        let (year, month, day) = CivilDays.civil(days: days)
        guard (1...9999).contains(year), (0..<1_000_000).contains(micros) else {
            // Out of Python's range: the Python helper raises the error the profile fails with.
            guard let secondsObject = PyLong_FromLongLong(instant.seconds), let microsObject = PyLong_FromLongLong(Int64(micros)) else { return nil }
            guard let arguments = PyTuple_New(2) else {
                outflow_py_decref(secondsObject)
                outflow_py_decref(microsObject)
                return nil
            }
            // PyTuple_SetItem steals the references.
            PyTuple_SetItem(arguments, 0, secondsObject)
            PyTuple_SetItem(arguments, 1, microsObject)
            defer { outflow_py_decref(arguments) }
            return PyObject_Call(runtime.makeDatetime, arguments, nil)
        }
        return outflow_py_utc_datetime(
            runtime.datetimeAPI, Int32(year), Int32(month), Int32(day), Int32(seconds / 3600), Int32(seconds / 60 % 60), Int32(seconds % 60),
            Int32(micros))
    }

    /// The user from what transform returned (borrowed), reading a dict of top-level outPaths
    /// key by key; `leaves` is scratch space of `output.leafCount` values.
    private func user(
        _ returned: PyObjectPointer, _ output: FunctionOutput, _ action: MappingAction, _ leaves: inout [Value?]
    ) -> Result<ValueObject, FunctionError> {
        if outflow_py_is_dict(returned) != 0 {
            for index in leaves.indices { leaves[index] = nil }
            var position = 0
            var key: PyObjectPointer?
            var item: PyObjectPointer?
            var direct = true
            while PyDict_Next(returned, &position, &key, &item) != 0 {
                guard let key, let item, let (leaf, name) = outPath(key, output) else {
                    direct = false
                    break
                }
                do throws(FunctionError) {
                    leaves[leaf] = try value(item, at: name)
                } catch {
                    return .failure(error)
                }
            }
            if direct { return output.user(leaves: leaves, action: action) }
        }
        do throws(FunctionError) {
            return output.user(from: try value(returned, at: ""), action: action)
        } catch {
            return .failure(error)
        }
    }

    /// The top-level outPath a returned key names, or nil (not a str, a group of nested
    /// outPaths, or not an outPath: the ``Value`` path then reports it).
    private func outPath(_ key: PyObjectPointer, _ output: FunctionOutput) -> (Int, String)? {
        // Pointers first: comparing tuples would retain and release their names.
        if let index = returnedKeyPointers.firstIndex(of: key) { return (returnedKeys[index].leaf, returnedKeys[index].name) }
        guard outflow_py_is_str(key) != 0, let name = PythonRuntime.string(key), let leaf = output.topLevelLeaf(name) else { return nil }
        if returnedKeys.count < 64 {
            outflow_py_incref(key)
            returnedKeys.append((key, leaf, name))
            returnedKeyPointers.append(key)
        }
        return (leaf, name)
    }
}
