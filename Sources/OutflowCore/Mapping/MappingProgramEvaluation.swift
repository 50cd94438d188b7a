/// Runs the instructions of a ``MappingProgram`` against one row of a batch.
///
/// Two ways in: ``value(_:_:_:)`` gives an instruction's value, and ``appendText(_:_:_:)`` writes
/// its text to the evaluation's ``TextBuilder`` when it has one without building a `Value`
/// (string literals, text slots, ints, concatenations, string functions). Concatenations and
/// string functions use the second, so `lower(email)` or `first_name " " country` read the bytes
/// in the batch's arena and create one string, for the result.
extension MappingProgram {
    /// What ``appendText(_:_:_:)`` did: wrote the text, or left it to the caller as a value
    /// (nil: missing), because its text depends on where it is used.
    enum TextOutcome {
        case appended
        case value(Value?)
    }

    func value(_ index: Int32, _ row: BatchRow, _ text: inout TextBuilder) throws(ValueError) -> Value? {
        switch ops[Int(index)] {
        case .constant(let constant):
            return constants[Int(constant)]
        case .slot(let slot):
            return row.batch.value(of: row.batch.slot(row.row, Int(slot)))
        case .concatenation, .stringFunction:
            let start = text.count
            switch try appendText(index, row, &text) {
            case .appended: return .string(text.take(from: start))
            case .value(let value): return value
            }
        case .coalesce(let first, let count):
            for operand in operands[Int(first)..<Int(first + count)] {
                if let value = try self.value(operand, row, &text), !value.isNull, value != .json(.null) { return value }
            }
            return .null
        case .choice(let condition, let then, let otherwise):
            if try truth(condition, .if, row, &text) == true { return try value(then, row, &text) }
            return otherwise >= 0 ? try value(otherwise, row, &text) : .null
        case .logical(let function, let first, let count):
            // Three-valued: a deciding value (false for and, true for or) wins over null.
            let decisive = function == .or
            var sawNull = false
            for operand in operands[Int(first)..<Int(first + count)] {
                switch try truth(operand, function, row, &text) {
                case nil: sawNull = true
                case decisive?: return .boolean(decisive)
                default: break
                }
            }
            return sawNull ? .null : .boolean(!decisive)
        case .not(let argument):
            guard let flag = try truth(argument, .not, row, &text) else { return .null }
            return .boolean(!flag)
        case .toJSON(let inner):
            guard let value = try value(inner, row, &text) else { return nil }
            if value.isNull { return value }
            return .json(value.json)
        case .tree(let node):
            return try Evaluator.evaluate(nodes[Int(node)], row)
        }
    }

    /// The truth of a condition; a boolean slot is read without building a value.
    private func truth(_ index: Int32, _ function: MappingFunction, _ row: BatchRow, _ text: inout TextBuilder) throws(ValueError) -> Bool? {
        if case .slot(let slot) = ops[Int(index)] {
            let cell = row.batch.slot(row.row, Int(slot))
            switch cell.tag {
            case .boolean: return cell.boolValue
            case .absent, .null: return nil
            default: break
            }
        }
        return try Evaluator.truth(try value(index, row, &text), function)
    }

    /// Writes the text of instruction `index` when it has one of its own; see ``TextOutcome``.
    func appendText(_ index: Int32, _ row: BatchRow, _ text: inout TextBuilder) throws(ValueError) -> TextOutcome {
        switch ops[Int(index)] {
        case .constant(let constant):
            if case .string(let string) = constants[Int(constant)] {
                text.append(string)
                return .appended
            }
            return .value(constants[Int(constant)])
        case .slot(let slot):
            let cell = row.batch.slot(row.row, Int(slot))
            switch cell.tag {
            case .text:
                row.batch.withText(cell) { text.append($0) }
                return .appended
            case .int:
                text.append(decimal: cell.intValue)
                return .appended
            default:
                return .value(row.batch.value(of: cell))
            }
        case .concatenation(let first, let count):
            for operand in operands[Int(first)..<Int(first + count)] {
                guard case .value(let value) = try appendText(operand, row, &text) else { continue }
                switch value {
                case nil, .null?: continue
                case .json(.null)?: text.append("null")
                case .json(.string(let s))?: text.append(s)
                case .json(let json)?: text.append(JSONWriter.string(json))
                case .string(let s)?: text.append(s)
                case let value?: text.append(value.text)
                }
            }
            return .appended
        case .stringFunction(let function, let argument):
            let start = text.count
            if case .value(let value) = try appendText(argument, row, &text) {
                guard let value, !value.isNull, value != .json(.null) else { return .value(.null) }
                text.append(try Conversion.string(value))
            }
            switch function {
            case .lower, .upper:
                if !text.changeASCIICase(from: start, upper: function == .upper) {
                    let argument = text.take(from: start)
                    text.append(function == .upper ? argument.uppercased() : argument.lowercased())
                }
            case .initcap: text.append(Evaluator.initcap(text.take(from: start)))
            case .trim: text.append(Evaluator.trim(text.take(from: start), leading: true, trailing: true))
            case .ltrim: text.append(Evaluator.trim(text.take(from: start), leading: true, trailing: false))
            default: text.append(Evaluator.trim(text.take(from: start), leading: false, trailing: true))
            }
            return .appended
        default:
            return .value(try value(index, row, &text))
        }
    }
}
