import CPython
import Foundation
import OutflowCore

/// Values to Python objects and back, per kind (DESIGN section 8): decimal as `decimal.Decimal`,
/// datetime as an aware `datetime.datetime` in UTC, date and time as `datetime.date` and
/// `datetime.time`, uuid as `uuid.UUID`, year as int, json as plain Python values.
/// Everything here runs holding the GIL.
extension PythonFunction {
    /// A new dict for a `user` argument, or nil with a Python error pending.
    func dictionary(_ object: ValueObject) -> PyObjectPointer? {
        guard let dict = PyDict_New() else { return nil }
        for member in object.members {
            guard let item = python(member.value) else {
                outflow_py_decref(dict)
                return nil
            }
            guard let name = key(member.key) else {
                outflow_py_decref(item)
                outflow_py_decref(dict)
                return nil
            }
            let status = PyDict_SetItem(dict, name, item)
            outflow_py_decref(item)
            outflow_py_decref(name)
            if status != 0 {
                outflow_py_decref(dict)
                return nil
            }
        }
        return dict
    }

    /// The interned str for a key, created once per function; a new reference.
    private func key(_ name: String) -> PyObjectPointer? {
        if let cached = keys[name] {
            outflow_py_incref(cached)
            return cached
        }
        var object = Self.str(name)
        guard object != nil else { return nil }
        PyUnicode_InternInPlace(&object)
        // Keys of maps may be ever new: the cache keeps only the first few thousand names.
        if let object, keys.count < 4096 {
            outflow_py_incref(object)
            keys[name] = object
        }
        return object
    }

    /// A new reference to the Python form of `value`, or nil with a Python error pending.
    func python(_ value: Value) -> PyObjectPointer? {
        switch value {
        case .null: return outflow_py_none()
        case .boolean(let flag): return PyBool_FromLong(flag ? 1 : 0)
        case .int(let number): return PyLong_FromLongLong(number)
        case .uint(let number): return PyLong_FromUnsignedLongLong(number)
        case .float(let number): return PyFloat_FromDouble(number)
        case .year(let year): return PyLong_FromLongLong(Int64(year))
        case .string(let text), .ip(let text): return Self.str(text)
        case .decimal(let decimal): return callOne(runtime.decimalType, Self.str(decimal.description))
        case .uuid(let uuid): return callOne(runtime.uuidType, Self.str(uuid.uuidString.lowercased()))
        case .datetime(let instant): return datetime(instant)
        case .date(let date): return callOne(runtime.makeDate, PyLong_FromLongLong(Int64(date.days)))
        case .time(let time): return callOne(runtime.makeTime, PyLong_FromLongLong(time.nanoseconds))
        case .json(let json): return python(json)
        case .array(let items):
            guard let list = PyList_New(items.count) else { return nil }
            for (index, item) in items.enumerated() {
                guard let element = python(item) else {
                    outflow_py_decref(list)
                    return nil
                }
                PyList_SetItem(list, index, element)
            }
            return list
        case .object(let object), .map(let object):
            return dictionary(object)
        }
    }

    private func python(_ json: JSONValue) -> PyObjectPointer? {
        switch json {
        case .null: return outflow_py_none()
        case .bool(let flag): return PyBool_FromLong(flag ? 1 : 0)
        case .string(let text): return Self.str(text)
        case .number(let text):
            if let integer = Int64(text) { return PyLong_FromLongLong(integer) }
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                return PyLong_FromString(text, nil, 10)
            }
            return PyFloat_FromDouble(Double(text) ?? .nan)
        case .array(let items):
            guard let list = PyList_New(items.count) else { return nil }
            for (index, item) in items.enumerated() {
                guard let element = python(item) else {
                    outflow_py_decref(list)
                    return nil
                }
                PyList_SetItem(list, index, element)
            }
            return list
        case .object(let object):
            guard let dict = PyDict_New() else { return nil }
            for member in object.members {
                guard let item = python(member.value), let name = Self.str(member.key) else {
                    outflow_py_decref(dict)
                    return nil
                }
                let status = PyDict_SetItem(dict, name, item)
                outflow_py_decref(item)
                outflow_py_decref(name)
                if status != 0 {
                    outflow_py_decref(dict)
                    return nil
                }
            }
            return dict
        }
    }

    /// `callable(argument)`, consuming the argument reference.
    private func callOne(_ callable: PyObjectPointer, _ argument: PyObjectPointer?) -> PyObjectPointer? {
        guard let argument else { return nil }
        defer { outflow_py_decref(argument) }
        return PyObject_CallOneArg(callable, argument)
    }

    static func str(_ text: String) -> PyObjectPointer? {
        var copy = text
        return copy.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PyUnicode_FromStringAndSize($0.baseAddress, bytes.count) }
        }
    }

    /// The value a Python object returned by transform stands for; `path` names where it was
    /// found, for messages.
    func value(_ object: PyObjectPointer, at path: String) throws(FunctionError) -> Value {
        if outflow_py_is_none(object) != 0 { return .null }
        if outflow_py_is_bool(object) != 0 { return .boolean(PyObject_IsTrue(object) == 1) }
        if outflow_py_is_int(object) != 0 {
            var overflow: Int32 = 0
            let number = PyLong_AsLongLongAndOverflow(object, &overflow)
            if overflow == 0 { return .int(number) }
            if overflow > 0 {
                let unsigned = PyLong_AsUnsignedLongLong(object)
                if PyErr_Occurred() == nil { return .uint(unsigned) }
                PyErr_Clear()
            }
            // Beyond 64 bits: a decimal, so the conversion reports it out of range for the property.
            guard let text = PyObject_Str(object) else { throw pythonError(path) }
            defer { outflow_py_decref(text) }
            return .decimal(DecimalValue(PythonRuntime.string(text) ?? "0") ?? DecimalValue(0))
        }
        if outflow_py_is_float(object) != 0 { return .float(PyFloat_AsDouble(object)) }
        if outflow_py_is_str(object) != 0 {
            guard let text = PythonRuntime.string(object) else {
                throw FunctionError(property: path.isEmpty ? nil : path, message: "transform returned a str that is not valid Unicode\(where_(path))")
            }
            return .string(text)
        }
        if outflow_py_is_dict(object) != 0 {
            var members: [(key: String, value: Value)] = []
            members.reserveCapacity(PyDict_Size(object))
            var position = 0
            var key: PyObjectPointer?
            var item: PyObjectPointer?
            while PyDict_Next(object, &position, &key, &item) != 0 {
                guard let key, let item else { continue }
                guard outflow_py_is_str(key) != 0, let name = PythonRuntime.string(key) else {
                    throw FunctionError(property: path.isEmpty ? nil : path, message: "transform returned a dict with a key that is not a str\(where_(path))")
                }
                let here = path.isEmpty ? name : path + "." + name
                members.append((name, try value(item, at: here)))
            }
            return .object(ValueObject(members))
        }
        if outflow_py_is_list(object) != 0 || outflow_py_is_tuple(object) != 0 {
            let isList = outflow_py_is_list(object) != 0
            let count = isList ? PyList_Size(object) : PyTuple_Size(object)
            var items: [Value] = []
            items.reserveCapacity(count)
            for index in 0..<count {
                let item = isList ? outflow_py_list_item(object, index)! : outflow_py_tuple_item(object, index)!
                items.append(try value(item, at: path + "[\(index)]"))
            }
            return .array(items)
        }
        var fields: (Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0)
        let naiveOrUTC = withUnsafeMutableBytes(of: &fields) { outflow_py_utc_fields(runtime.datetimeAPI, object, $0.baseAddress!.assumingMemoryBound(to: Int32.self)) }
        if naiveOrUTC != 0 {
            let days = CivilDays.days(year: Int64(fields.0), month: Int64(fields.1), day: Int64(fields.2))
            let seconds = days * 86_400 + Int64(fields.3) * 3600 + Int64(fields.4) * 60 + Int64(fields.5)
            return .datetime(DateTimeValue(seconds: seconds, nanoseconds: fields.6 * 1000))
        }
        if PyObject_IsInstance(object, runtime.datetimeType) == 1 {
            guard let pair = PyObject_CallOneArg(runtime.readDatetime, object) else { throw pythonError(path) }
            defer { outflow_py_decref(pair) }
            let seconds = PyLong_AsLongLong(outflow_py_tuple_item(pair, 0))
            let micros = PyLong_AsLongLong(outflow_py_tuple_item(pair, 1))
            return .datetime(DateTimeValue(seconds: seconds, nanoseconds: Int32(micros * 1000)))
        }
        if PyObject_IsInstance(object, runtime.dateType) == 1 {
            guard let days = PyObject_CallOneArg(runtime.readDate, object) else { throw pythonError(path) }
            defer { outflow_py_decref(days) }
            return .date(DateValue(days: Int32(truncatingIfNeeded: PyLong_AsLongLong(days))))
        }
        if PyObject_IsInstance(object, runtime.timeType) == 1 {
            guard let nanos = PyObject_CallOneArg(runtime.readTime, object) else { throw pythonError(path) }
            defer { outflow_py_decref(nanos) }
            return .time(TimeValue(nanoseconds: PyLong_AsLongLong(nanos)))
        }
        if PyObject_IsInstance(object, runtime.decimalType) == 1 {
            guard let text = PyObject_Str(object) else { throw pythonError(path) }
            defer { outflow_py_decref(text) }
            let string = PythonRuntime.string(text) ?? ""
            guard let decimal = DecimalValue(string) else {
                throw FunctionError(property: path.isEmpty ? nil : path, message: "transform returned Decimal(\"\(string)\"), which is not a finite number\(where_(path))")
            }
            return .decimal(decimal)
        }
        if PyObject_IsInstance(object, runtime.uuidType) == 1 {
            guard let text = PyObject_Str(object) else { throw pythonError(path) }
            defer { outflow_py_decref(text) }
            guard let uuid = UUID(uuidString: PythonRuntime.string(text) ?? "") else { throw pythonError(path) }
            return .uuid(uuid)
        }
        PyErr_Clear()
        let name = String(cString: outflow_py_type(object).pointee.tp_name)
        throw FunctionError(property: path.isEmpty ? nil : path, message: "transform returned a value of Python type \(name)\(where_(path)), which has no Outflow kind")
    }

    private func where_(_ path: String) -> String {
        path.isEmpty ? "" : " for «\(path)»"
    }

    private func pythonError(_ path: String) -> FunctionError {
        FunctionError(property: path.isEmpty ? nil : path, message: runtime.takeErrorText() + where_(path))
    }
}
