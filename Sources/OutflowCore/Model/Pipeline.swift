/// What to export to one connection: the `POST /v1/pipelines` body of the pipelines API, plus the
/// keys of DESIGN section 4 (`id`, `schedulePeriod`, `scheduleStart`, `functionTimeout`).
public struct Pipeline: Hashable, Sendable {
    public var id: Int64?
    public var name: String
    public var connection: Int64
    public var target: String
    public var enabled: Bool
    public var filter: Filter?
    public var matching: Matching
    public var exportMode: ExportMode
    public var updateOnDuplicates: Bool
    public var transformation: Transformation
    public var inSchema: ObjectType
    public var outSchema: ObjectType
    public var schedulePeriod: SchedulePeriod?
    public var scheduleStart: Int?
    /// Seconds a transformation function may run per call (DESIGN section 8); default 10.
    public var functionTimeout: Double?

    public init(
        id: Int64? = nil, name: String, connection: Int64, target: String = "User", enabled: Bool = true, filter: Filter? = nil,
        matching: Matching, exportMode: ExportMode, updateOnDuplicates: Bool = false, transformation: Transformation,
        inSchema: ObjectType, outSchema: ObjectType, schedulePeriod: SchedulePeriod? = nil, scheduleStart: Int? = nil,
        functionTimeout: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.connection = connection
        self.target = target
        self.enabled = enabled
        self.filter = filter
        self.matching = matching
        self.exportMode = exportMode
        self.updateOnDuplicates = updateOnDuplicates
        self.transformation = transformation
        self.inSchema = inSchema
        self.outSchema = outSchema
        self.schedulePeriod = schedulePeriod
        self.scheduleStart = scheduleStart
        self.functionTimeout = functionTimeout
    }

    public static let maximumNameLength = 60
    public static let defaultFunctionTimeout = 10.0
}

/// The properties that pair a profile (`in`, a profile path) with an application user (`out`).
public struct Matching: Hashable, Sendable {
    public var `in`: String
    public var out: String

    public init(in: String, out: String) {
        self.in = `in`
        self.out = out
    }
}

/// Which users a pipeline may create and update.
public enum ExportMode: String, Hashable, Sendable, CaseIterable {
    case createOnly = "CreateOnly"
    case updateOnly = "UpdateOnly"
    case createOrUpdate = "CreateOrUpdate"
}

/// How often a pipeline runs by itself.
public enum SchedulePeriod: String, Hashable, Sendable, CaseIterable {
    case m5 = "5m", m15 = "15m", m30 = "30m", h1 = "1h", h2 = "2h", h3 = "3h", h6 = "6h", h8 = "8h", h12 = "12h", h24 = "24h"

    public var minutes: Int {
        switch self {
        case .m5: return 5
        case .m15: return 15
        case .m30: return 30
        case .h1: return 60
        case .h2: return 120
        case .h3: return 180
        case .h6: return 360
        case .h8: return 480
        case .h12: return 720
        case .h24: return 1440
        }
    }
}

/// A mapping of output paths to expressions, or a function; exactly one of the two.
public struct Transformation: Hashable, Sendable {
    /// Output path -> expression, in the order written.
    public var mapping: [MappingEntry]?
    public var function: TransformationFunction?

    public init(mapping: [MappingEntry]? = nil, function: TransformationFunction? = nil) {
        self.mapping = mapping
        self.function = function
    }

    public struct MappingEntry: Hashable, Sendable {
        public var path: String
        public var expression: String

        public init(path: String, expression: String) {
            self.path = path
            self.expression = expression
        }
    }
}

/// A user-written `transform(user)` in Python or JavaScript (DESIGN section 8).
public struct TransformationFunction: Hashable, Sendable {
    public enum Language: String, Hashable, Sendable, CaseIterable {
        case javaScript = "JavaScript"
        case python = "Python"
    }

    public var source: String
    public var language: Language
    public var preserveJSON: Bool
    public var inPaths: [String]
    public var outPaths: [String]

    public init(source: String, language: Language, preserveJSON: Bool = false, inPaths: [String], outPaths: [String]) {
        self.source = source
        self.language = language
        self.preserveJSON = preserveJSON
        self.inPaths = inPaths
        self.outPaths = outPaths
    }

    public static let maximumSourceLength = 50_000
}
