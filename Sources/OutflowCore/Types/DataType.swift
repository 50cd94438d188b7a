/// A type of the Krenalis type system: a kind plus the constraints that kind allows.
///
/// Types are written in schema JSON as `{"kind":"string","maxLength":100}`; see
/// ``DataType/init(json:path:)`` and ``DataType/json``.
///
/// ```swift
/// let age = DataType.int(IntType(bitSize: 16, minimum: 0, maximum: 150))
/// ```
public indirect enum DataType: Hashable, Sendable {
    case string(StringType)
    case boolean
    case int(IntType)
    case float(FloatType)
    case decimal(DecimalType)
    case datetime
    case date
    case time
    case year
    case uuid
    case json
    case ip
    case array(ArrayType)
    case object(ObjectType)
    case map(DataType)

    public var kind: Kind {
        switch self {
        case .string: return .string
        case .boolean: return .boolean
        case .int: return .int
        case .float: return .float
        case .decimal: return .decimal
        case .datetime: return .datetime
        case .date: return .date
        case .time: return .time
        case .year: return .year
        case .uuid: return .uuid
        case .json: return .json
        case .ip: return .ip
        case .array: return .array
        case .object: return .object
        case .map: return .map
        }
    }

    /// The object type, when this is an object.
    public var objectType: ObjectType? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// A short human name, `int(16)`, `array(string)`, used in messages.
    public var name: String {
        switch self {
        case .int(let t): return t.unsigned ? "uint(\(t.bitSize))" : "int(\(t.bitSize))"
        case .float(let t): return "float(\(t.bitSize))"
        case .decimal(let t): return "decimal(\(t.precision),\(t.scale))"
        case .array(let t): return "array(\(t.elementType.name))"
        case .map(let element): return "map(\(element.name))"
        default: return kind.rawValue
        }
    }
}

/// Constraints of a string: lengths, an RE2-like pattern, and an enumeration of allowed values.
public struct StringType: Hashable, Sendable {
    /// Maximum length in Unicode scalars (runes), as Krenalis counts it.
    public var maxLength: Int?
    /// Maximum length in UTF-8 bytes.
    public var maxBytes: Int?
    /// A regular expression the whole value must match.
    public var pattern: String?
    /// The only values allowed, when given.
    public var values: [String]?

    public init(maxLength: Int? = nil, maxBytes: Int? = nil, pattern: String? = nil, values: [String]? = nil) {
        self.maxLength = maxLength
        self.maxBytes = maxBytes
        self.pattern = pattern
        self.values = values
    }
}

/// Constraints of an integer. Without explicit bounds the range is the one of `bitSize` and `unsigned`.
public struct IntType: Hashable, Sendable {
    /// 8, 16, 24, 32 or 64.
    public var bitSize: Int
    public var unsigned: Bool
    /// Explicit bounds; for unsigned 64-bit values above `Int64.max`, see ``maximumUnsigned``.
    public var minimum: Int64?
    public var maximum: Int64?
    public var maximumUnsigned: UInt64?

    public init(bitSize: Int = 64, unsigned: Bool = false, minimum: Int64? = nil, maximum: Int64? = nil, maximumUnsigned: UInt64? = nil) {
        self.bitSize = bitSize
        self.unsigned = unsigned
        self.minimum = minimum
        self.maximum = maximum
        self.maximumUnsigned = maximumUnsigned
    }

    /// The smallest value the type admits.
    public var lowerBound: Int64 {
        if let minimum { return minimum }
        if unsigned { return 0 }
        return bitSize >= 64 ? Int64.min : -(Int64(1) << (bitSize - 1))
    }

    /// The largest value the type admits, as an unsigned magnitude when it exceeds `Int64.max`.
    public var upperBound: UInt64 {
        if let maximumUnsigned { return maximumUnsigned }
        if let maximum { return maximum < 0 ? 0 : UInt64(maximum) }
        if unsigned { return bitSize >= 64 ? UInt64.max : (UInt64(1) << bitSize) - 1 }
        return bitSize >= 64 ? UInt64(Int64.max) : (UInt64(1) << (bitSize - 1)) - 1
    }

    /// The largest value as a signed number, when a negative maximum was set.
    public var signedUpperBound: Int64 {
        if let maximum { return maximum }
        return upperBound > UInt64(Int64.max) ? Int64.max : Int64(upperBound)
    }
}

/// Constraints of a floating-point number.
public struct FloatType: Hashable, Sendable {
    /// 32 or 64.
    public var bitSize: Int
    /// When true, NaN and the infinities are refused.
    public var real: Bool
    public var minimum: Double?
    public var maximum: Double?

    public init(bitSize: Int = 64, real: Bool = false, minimum: Double? = nil, maximum: Double? = nil) {
        self.bitSize = bitSize
        self.real = real
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// A fixed-point decimal: `precision` significant digits, `scale` of them after the point.
public struct DecimalType: Hashable, Sendable {
    public static let maximumPrecision = 76
    public static let maximumScale = 37

    public var precision: Int
    public var scale: Int
    public var minimum: DecimalValue?
    public var maximum: DecimalValue?

    public init(precision: Int, scale: Int = 0, minimum: DecimalValue? = nil, maximum: DecimalValue? = nil) {
        self.precision = precision
        self.scale = scale
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// An array: its element type and size constraints.
public struct ArrayType: Hashable, Sendable {
    public var elementType: DataType
    public var minElements: Int?
    public var maxElements: Int?
    public var uniqueElements: Bool

    public init(elementType: DataType, minElements: Int? = nil, maxElements: Int? = nil, uniqueElements: Bool = false) {
        self.elementType = elementType
        self.minElements = minElements
        self.maxElements = maxElements
        self.uniqueElements = uniqueElements
    }
}

/// An object: an ordered list of named properties. A schema is an object type.
public struct ObjectType: Hashable, Sendable {
    public var properties: [Property]

    public init(properties: [Property]) {
        self.properties = properties
    }

    /// The property named `name` (one level, no dots).
    public func property(named name: String) -> Property? {
        properties.first { $0.name == name }
    }

    /// The index of the property named `name` (one level).
    public func index(of name: String) -> Int? {
        properties.firstIndex { $0.name == name }
    }

    /// The property at a dotted path through nested objects, such as `address.country`.
    public func property(at path: PropertyPath) -> Property? {
        var current = self
        var found: Property?
        for (index, component) in path.components.enumerated() {
            guard let property = current.property(named: component) else { return nil }
            found = property
            if index < path.components.count - 1 {
                guard case .object(let nested) = property.type else { return nil }
                current = nested
            }
        }
        return found
    }

    /// Every leaf path of the schema, depth first, in property order.
    public var paths: [PropertyPath] {
        var out: [PropertyPath] = []
        func walk(_ object: ObjectType, _ prefix: [String]) {
            for property in object.properties {
                let path = prefix + [property.name]
                out.append(PropertyPath(path))
                if case .object(let nested) = property.type { walk(nested, path) }
            }
        }
        walk(self, [])
        return out
    }
}

/// A named property of an object type, with the flags of the pipelines API.
public struct Property: Hashable, Sendable {
    public var name: String
    public var type: DataType
    /// The property may be missing when read from the source.
    public var readOptional: Bool
    /// The application requires the property when creating a user.
    public var createRequired: Bool
    /// The application requires the property when updating a user.
    public var updateRequired: Bool
    public var nullable: Bool
    public var description: String?

    public init(
        name: String, type: DataType, readOptional: Bool = false, createRequired: Bool = false,
        updateRequired: Bool = false, nullable: Bool = false, description: String? = nil
    ) {
        self.name = name
        self.type = type
        self.readOptional = readOptional
        self.createRequired = createRequired
        self.updateRequired = updateRequired
        self.nullable = nullable
        self.description = description
    }
}
