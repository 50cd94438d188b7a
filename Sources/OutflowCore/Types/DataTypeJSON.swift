/// Schema JSON of the pipelines API: `{"kind":"string","maxLength":100}` and friends.
extension DataType {
    /// Decodes a type at `path`, appending every problem to `issues`; nil when unusable.
    public static func decode(_ json: JSONValue, path: String, issues: inout [Diagnostic]) -> DataType? {
        guard let object = JSONFields.object(json, path: path, issues: &issues) else { return nil }
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        guard let kindName = fields.string("kind", required: true) else { return nil }
        guard let kind = Kind(rawValue: kindName) else {
            fields.issues.append(
                Diagnostic(
                    path: fields.memberPath("kind"),
                    message: "unknown kind \"\(kindName)\"" + Suggestion.hint(for: kindName, in: Kind.allCases.map(\.rawValue))))
            fields.allow(
                "maxLength", "maxBytes", "pattern", "values", "bitSize", "unsigned", "minimum", "maximum", "real", "precision",
                "scale", "elementType", "minElements", "maxElements", "uniqueElements", "properties")
            return nil
        }
        let result: DataType?
        switch kind {
        case .string: result = decodeString(&fields)
        case .boolean: result = .boolean
        case .int: result = decodeInt(&fields)
        case .float: result = decodeFloat(&fields)
        case .decimal: result = decodeDecimal(&fields)
        case .datetime: result = .datetime
        case .date: result = .date
        case .time: result = .time
        case .year: result = .year
        case .uuid: result = .uuid
        case .json: result = .json
        case .ip: result = .ip
        case .array: result = decodeArray(&fields, issues: &issues)
        case .object:
            guard let items = fields.array("properties", required: true) else { return nil }
            result = ObjectType.decode(properties: items, path: fields.memberPath("properties"), issues: &issues).map(DataType.object)
        case .map:
            guard let element = fields.value("elementType", required: true) else { return nil }
            result = decode(element, path: fields.memberPath("elementType"), issues: &issues).map(DataType.map)
        }
        fields.rejectUnknown()
        return result
    }

    private static func decodeString(_ fields: inout JSONFields) -> DataType {
        var type = StringType()
        type.maxLength = positive(&fields, "maxLength")
        type.maxBytes = positive(&fields, "maxBytes")
        if let pattern = fields.string("pattern") {
            if (try? Regex(pattern)) == nil {
                fields.issues.append(Diagnostic(path: fields.memberPath("pattern"), message: "is not a valid regular expression"))
            } else {
                type.pattern = pattern
            }
        }
        if let values = fields.stringArray("values") {
            if values.isEmpty {
                fields.issues.append(Diagnostic(path: fields.memberPath("values"), message: "must not be empty"))
            }
            type.values = values
        }
        return .string(type)
    }

    private static func positive(_ fields: inout JSONFields, _ key: String) -> Int? {
        guard let value = fields.int(key) else { return nil }
        guard value > 0, value <= Int64(Int32.max) else {
            fields.issues.append(Diagnostic(path: fields.memberPath(key), message: "must be a positive integer"))
            return nil
        }
        return Int(value)
    }

    private static func decodeInt(_ fields: inout JSONFields) -> DataType {
        var type = IntType()
        if let bits = fields.int("bitSize") {
            if [8, 16, 24, 32, 64].contains(bits) {
                type.bitSize = Int(bits)
            } else {
                fields.issues.append(Diagnostic(path: fields.memberPath("bitSize"), message: "must be 8, 16, 24, 32 or 64, found \(bits)"))
            }
        }
        type.unsigned = fields.bool("unsigned") ?? false
        if case .number(let text)? = fields.value("minimum") {
            if let value = Int64(text) { type.minimum = value } else {
                fields.issues.append(Diagnostic(path: fields.memberPath("minimum"), message: "expected an integer, found \(text)"))
            }
        }
        if case .number(let text)? = fields.value("maximum") {
            if let value = Int64(text) {
                type.maximum = value
            } else if let value = UInt64(text) {
                type.maximumUnsigned = value
            } else {
                fields.issues.append(Diagnostic(path: fields.memberPath("maximum"), message: "expected an integer, found \(text)"))
            }
        }
        if let min = type.minimum, type.unsigned ? min < 0 : false {
            fields.issues.append(Diagnostic(path: fields.memberPath("minimum"), message: "must not be negative for an unsigned int"))
        }
        if let min = type.minimum, let max = type.maximum, min > max {
            fields.issues.append(Diagnostic(path: fields.memberPath("minimum"), message: "must not exceed maximum (\(max))"))
        }
        return .int(type)
    }

    private static func decodeFloat(_ fields: inout JSONFields) -> DataType {
        var type = FloatType()
        if let bits = fields.int("bitSize") {
            if bits == 32 || bits == 64 {
                type.bitSize = Int(bits)
            } else {
                fields.issues.append(Diagnostic(path: fields.memberPath("bitSize"), message: "must be 32 or 64, found \(bits)"))
            }
        }
        type.real = fields.bool("real") ?? false
        type.minimum = fields.double("minimum")
        type.maximum = fields.double("maximum")
        if let min = type.minimum, let max = type.maximum, min > max {
            fields.issues.append(Diagnostic(path: fields.memberPath("minimum"), message: "must not exceed maximum (\(max))"))
        }
        return .float(type)
    }

    private static func decodeDecimal(_ fields: inout JSONFields) -> DataType? {
        guard let precision = fields.int("precision", required: true) else { return nil }
        let scale = fields.int("scale") ?? 0
        guard (1...Int64(DecimalType.maximumPrecision)).contains(precision) else {
            fields.issues.append(Diagnostic(path: fields.memberPath("precision"), message: "must be between 1 and \(DecimalType.maximumPrecision)"))
            return nil
        }
        guard scale >= 0, scale <= min(precision, Int64(DecimalType.maximumScale)) else {
            fields.issues.append(
                Diagnostic(path: fields.memberPath("scale"), message: "must be between 0 and \(min(precision, Int64(DecimalType.maximumScale)))"))
            return nil
        }
        var type = DecimalType(precision: Int(precision), scale: Int(scale))
        for key in ["minimum", "maximum"] {
            guard let value = fields.value(key) else { continue }
            let text: String?
            switch value {
            case .number(let t), .string(let t): text = t
            default: text = nil
            }
            guard let text, let decimal = DecimalValue(text) else {
                fields.issues.append(Diagnostic(path: fields.memberPath(key), message: "expected a decimal number"))
                continue
            }
            if key == "minimum" { type.minimum = decimal } else { type.maximum = decimal }
        }
        return .decimal(type)
    }

    private static func decodeArray(_ fields: inout JSONFields, issues: inout [Diagnostic]) -> DataType? {
        guard let element = fields.value("elementType", required: true),
            let elementType = decode(element, path: fields.memberPath("elementType"), issues: &issues)
        else { return nil }
        var type = ArrayType(elementType: elementType)
        if let min = fields.int("minElements") {
            if min < 0 { fields.issues.append(Diagnostic(path: fields.memberPath("minElements"), message: "must not be negative")) }
            type.minElements = Int(clamping: min)
        }
        if let max = fields.int("maxElements") {
            if max < 0 { fields.issues.append(Diagnostic(path: fields.memberPath("maxElements"), message: "must not be negative")) }
            type.maxElements = Int(clamping: max)
        }
        if let min = type.minElements, let max = type.maxElements, min > max {
            fields.issues.append(Diagnostic(path: fields.memberPath("minElements"), message: "must not exceed maxElements (\(max))"))
        }
        type.uniqueElements = fields.bool("uniqueElements") ?? false
        return .array(type)
    }

    /// The schema JSON of this type.
    public var json: JSONValue {
        var object = JSONObject([("kind", .string(kind.rawValue))])
        switch self {
        case .string(let t):
            if let v = t.maxLength { object["maxLength"] = .number(String(v)) }
            if let v = t.maxBytes { object["maxBytes"] = .number(String(v)) }
            if let v = t.pattern { object["pattern"] = .string(v) }
            if let v = t.values { object["values"] = .array(v.map(JSONValue.string)) }
        case .int(let t):
            object["bitSize"] = .number(String(t.bitSize))
            if t.unsigned { object["unsigned"] = .bool(true) }
            if let v = t.minimum { object["minimum"] = .number(String(v)) }
            if let v = t.maximum { object["maximum"] = .number(String(v)) }
            if let v = t.maximumUnsigned { object["maximum"] = .number(String(v)) }
        case .float(let t):
            object["bitSize"] = .number(String(t.bitSize))
            if t.real { object["real"] = .bool(true) }
            if let v = t.minimum { object["minimum"] = Value.floatJSON(v) }
            if let v = t.maximum { object["maximum"] = Value.floatJSON(v) }
        case .decimal(let t):
            object["precision"] = .number(String(t.precision))
            object["scale"] = .number(String(t.scale))
            if let v = t.minimum { object["minimum"] = .number(v.description) }
            if let v = t.maximum { object["maximum"] = .number(v.description) }
        case .array(let t):
            object["elementType"] = t.elementType.json
            if let v = t.minElements { object["minElements"] = .number(String(v)) }
            if let v = t.maxElements { object["maxElements"] = .number(String(v)) }
            if t.uniqueElements { object["uniqueElements"] = .bool(true) }
        case .object(let t):
            object["properties"] = .array(t.properties.map(\.json))
        case .map(let element):
            object["elementType"] = element.json
        default:
            break
        }
        return .object(object)
    }
}

extension ObjectType {
    /// Decodes the `properties` array of an object type; names must be valid and unique.
    public static func decode(properties items: [JSONValue], path: String, issues: inout [Diagnostic]) -> ObjectType? {
        var properties: [Property] = []
        var seen: Set<String> = []
        var ok = true
        for (index, item) in items.enumerated() {
            let itemPath = JSONPath.index(path, index)
            guard let property = Property.decode(item, path: itemPath, issues: &issues) else {
                ok = false
                continue
            }
            if !seen.insert(property.name).inserted {
                issues.append(Diagnostic(path: JSONPath.member(itemPath, "name"), message: "duplicate property name \"\(property.name)\""))
                ok = false
            }
            properties.append(property)
        }
        return ok ? ObjectType(properties: properties) : nil
    }

    /// Decodes a schema: an object type written as `{"kind":"object","properties":[...]}`.
    public static func decodeSchema(_ json: JSONValue, path: String, issues: inout [Diagnostic]) -> ObjectType? {
        guard let type = DataType.decode(json, path: path, issues: &issues) else { return nil }
        guard case .object(let object) = type else {
            issues.append(Diagnostic(path: JSONPath.member(path, "kind"), message: "a schema must be of kind \"object\", found \"\(type.kind)\""))
            return nil
        }
        return object
    }

    public var json: JSONValue { DataType.object(self).json }
}

extension Property {
    static func decode(_ json: JSONValue, path: String, issues: inout [Diagnostic]) -> Property? {
        guard let object = JSONFields.object(json, path: path, issues: &issues) else { return nil }
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let name = fields.string("name", required: true)
        if let name, !PropertyPath.isValidName(name) {
            fields.issues.append(
                Diagnostic(path: fields.memberPath("name"), message: "\"\(name)\" is not a valid property name (letters, digits and _, not starting with a digit)"))
        }
        let typeJSON = fields.value("type", required: true)
        let type = typeJSON.flatMap { DataType.decode($0, path: fields.memberPath("type"), issues: &issues) }
        let property = Property(
            name: name ?? "",
            type: type ?? .json,
            readOptional: fields.bool("readOptional") ?? false,
            createRequired: fields.bool("createRequired") ?? false,
            updateRequired: fields.bool("updateRequired") ?? false,
            nullable: fields.bool("nullable") ?? false,
            description: fields.string("description"))
        fields.rejectUnknown()
        guard let name, PropertyPath.isValidName(name), type != nil else { return nil }
        _ = name
        return property
    }

    /// The property as schema JSON, flags written only when set.
    public var json: JSONValue {
        var object = JSONObject([("name", .string(name)), ("type", type.json)])
        if readOptional { object["readOptional"] = .bool(true) }
        if createRequired { object["createRequired"] = .bool(true) }
        if updateRequired { object["updateRequired"] = .bool(true) }
        if nullable { object["nullable"] = .bool(true) }
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
}
