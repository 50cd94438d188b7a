import Foundation
import OutflowCore

/// One application's API as data: a parsed `connectors/NAME.json` (DESIGN 9b, `docs/connectors.md`).
///
/// The interpreter (``ConnectorClient``) knows HTTP; the file knows the application: its settings,
/// how to authenticate, how to read its user properties, how to find, create, update and upsert
/// users in batches and read each user's result, and its rate limits and retry rules.
///
/// ```swift
/// let hubspot = try Connector.parse(bytes, file: "connectors/hubspot.json")
/// print(hubspot.capabilities.upsertProperties)    // ["email"]
/// ```
public struct Connector: Sendable {
    public var name: String
    public var title: String
    public var description: String?
    /// The application's API reference (`outflow connectors show`).
    public var docs: String?
    /// Where the definition came from: `embedded` or the file's path.
    public var source: String
    public var settings: ConnectorSettings
    public var auth: AuthSpec
    /// Fixed headers (`revision`, `Intercom-Version`) or a template of an object (`{{ settings.headers }}`).
    public var headers: Template?
    public var signature: SignatureSpec?
    public var uniqueProperties: [String]
    public var caseInsensitiveProperties: [String]
    public var schema: SchemaSpec
    /// The harmless request of `outflow connections test`.
    public var test: RequestSpec?
    public var lookups: [LookupSpec]
    public var create: WriteSpec?
    public var update: WriteSpec?
    public var upsert: WriteSpec?
    public var rateLimit: RateLimitSpec
    public var retry: RetrySpec
    /// Paths tried in order to read a readable message from an error answer.
    public var errorMessage: [ResponsePath]
    /// Statuses of `test` and `schema` that mean the named list or object does not exist.
    public var missingStatuses: Set<Int>
    /// `mock.settings`: how a `"mock"` connection's settings point at the bundled mock (scope:
    /// `origin`, and `settings` = the connection's own settings).
    public var mockSettings: Template?

    /// The settings of a `"mock"` connection once its mock listens at `origin`: the connection's
    /// settings with the members of the connector's `mock.settings` set over them.
    ///
    /// ```swift
    /// let server = try await MockServer.start(.hubspot)
    /// let settings = connector.settingsForMock(connection.settings, origin: server.origin)
    /// let client = try ConnectorClient(connector: connector, settings: settings, transport: http)
    /// ```
    public func settingsForMock(_ given: JSONObject, origin: String) -> JSONObject {
        var settings = given
        var scope = TemplateScope(settings: given)
        scope.origin = .string(origin)
        guard let template = mockSettings, case .object(let object)? = try? template.evaluate(scope) else {
            settings["baseURL"] = .string(origin)
            return settings
        }
        for member in object.members { settings[member.key] = member.value }
        return settings
    }

    /// What the engine plans with (``ApplicationCapabilities``).
    public var capabilities: ApplicationCapabilities {
        ApplicationCapabilities(
            canLookup: !lookups.isEmpty,
            lookupBatchSize: lookups.map(\.batchSize).min() ?? 1,
            createBatchSize: create?.batchSize ?? 1,
            updateBatchSize: update?.batchSize ?? 1,
            upsertProperties: Set(upsert?.properties ?? []),
            upsertBatchSize: upsert?.batchSize ?? 1,
            caseInsensitiveProperties: Set(caseInsensitiveProperties),
            uniqueProperties: Set(uniqueProperties)
        )
    }

    /// Parses a connector file. Every problem is reported at once, each naming `file` and the JSON
    /// path (`lookup[0].batchSize`) with what was expected; a syntax error names line and column.
    public static func parse(_ bytes: [UInt8], file: String, source: String? = nil) throws(ConnectorFileError) -> Connector {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes: bytes)
        } catch {
            throw ConnectorFileError(file: file, message: "invalid JSON at \(error)")
        }
        var issues: [Diagnostic] = []
        let connector = decode(json, source: source ?? file, issues: &issues)
        guard issues.isEmpty, let connector else { throw ConnectorFileError(issues).inFile(file) }
        return connector
    }

    static func decode(_ json: JSONValue, source: String, issues: inout [Diagnostic]) -> Connector? {
        guard let object = JSONFields.object(json, path: "", issues: &issues) else { return nil }
        var fields = JSONFields(object, path: "")
        defer { issues += fields.issues }
        let name = fields.string("name", required: true)
        if let name, !PropertyPath.isValidName(name.replacingOccurrences(of: "-", with: "_")) {
            fields.issues.append(Diagnostic(path: "name", message: "expected a name of letters, digits, \"-\" and \"_\", found \"\(name)\""))
        }
        let settings = ConnectorSettings.decode(fields.array("settings") ?? [], path: "settings", issues: &fields.issues)
        let auth = fields.objectMember("auth").map { AuthSpec.decode($0, path: "auth", issues: &fields.issues) } ?? .none
        let headers = fields.template("headers")
        let signature = fields.objectMember("signature").map { SignatureSpec.decode($0, path: "signature", issues: &fields.issues) }
        var unique: [String] = []
        var caseInsensitive: [String] = []
        if let identity = fields.objectMember("identity") {
            var i = JSONFields(identity, path: "identity")
            unique = i.stringArray("unique") ?? []
            caseInsensitive = i.stringArray("caseInsensitive") ?? []
            i.rejectUnknown()
            fields.issues += i.issues
        }
        let schema = fields.objectMember("schema", required: true).map { SchemaSpec.decode($0, path: "schema", issues: &fields.issues) }
        let test = fields.value("test").flatMap { RequestSpec.decode($0, path: "test", issues: &fields.issues) }
        var lookups: [LookupSpec] = []
        for (index, item) in (fields.array("lookup") ?? []).enumerated() {
            if let spec = LookupSpec.decode(item, path: "lookup[\(index)]", issues: &fields.issues) { lookups.append(spec) }
        }
        let create = fields.value("create").flatMap { WriteSpec.decode($0, path: "create", isUpsert: false, issues: &fields.issues) }
        let update = fields.value("update").flatMap { WriteSpec.decode($0, path: "update", isUpsert: false, issues: &fields.issues) }
        let upsert = fields.value("upsert").flatMap { WriteSpec.decode($0, path: "upsert", isUpsert: true, issues: &fields.issues) }
        if create == nil, upsert == nil, fields.issues.isEmpty {
            fields.issues.append(Diagnostic(path: "", message: "a connector needs \"create\" or \"upsert\" to send users"))
        }
        let rateLimit =
            fields.objectMember("rateLimit").map { RateLimitSpec.decode($0, path: "rateLimit", issues: &fields.issues) } ?? RateLimitSpec()
        let retry = fields.objectMember("retry").map { RetrySpec.decode($0, path: "retry", issues: &fields.issues) } ?? RetrySpec()
        let errorMessage = (fields.stringArray("errorMessage") ?? ["message", "detail", "title", "error"]).map(ResponsePath.init)
        let missing = fields.statuses("missingStatuses") ?? []
        var mockSettings: Template?
        if let mock = fields.objectMember("mock") {
            var m = JSONFields(mock, path: "mock")
            mockSettings = m.template("settings", required: true)
            m.rejectUnknown()
            fields.issues += m.issues
        }
        let title = fields.string("title")
        let description = fields.string("description")
        let docs = fields.string("docs")
        if settings.setting(named: "baseURL") == nil {
            fields.issues.append(
                Diagnostic(
                    path: "settings",
                    message: "a connector needs a \"baseURL\" setting (with the real API's origin as default, so a connection can point at a mock)"
                )
            )
        }
        fields.rejectUnknown()
        guard let name, let schema else { return nil }
        return Connector(
            name: name,
            title: title ?? name,
            description: description,
            docs: docs,
            source: source,
            settings: settings,
            auth: auth,
            headers: headers,
            signature: signature,
            uniqueProperties: unique,
            caseInsensitiveProperties: caseInsensitive,
            schema: schema,
            test: test,
            lookups: lookups,
            create: create,
            update: update,
            upsert: upsert,
            rateLimit: rateLimit,
            retry: retry,
            errorMessage: errorMessage,
            missingStatuses: missing,
            mockSettings: mockSettings
        )
    }
}
