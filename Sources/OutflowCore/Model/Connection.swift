/// A configured application account: a connector plus its settings (DESIGN section 4).
///
/// Settings stay as written: `${NAME}` references are resolved only when a connection is used,
/// so secrets never sit in the model, in logs or in errors.
public struct Connection: Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var connector: String
    public var settings: JSONObject
    /// Present when the engine must start the bundled mock of the connector for this connection.
    public var mock: MockSettings?

    /// The applications Outflow has (or is building) a connector for, DESIGN section 9b: the names
    /// `Workspace.decode` accepts when its caller gives no list. The command line passes the names of
    /// `OutflowConnectors`' registry instead (embedded files, `connectors/` folders, planned ones).
    public static let knownConnectors = ["brevo", "hubspot", "intercom", "klaviyo", "mailchimp", "mailerlite", "stripe", "webhook"]

    public init(id: Int64, name: String, connector: String, settings: JSONObject = JSONObject(), mock: MockSettings? = nil) {
        self.id = id
        self.name = name
        self.connector = connector
        self.settings = settings
        self.mock = mock
    }
}

/// `"mock": true` or `{"users": PATH, "fault": SPEC}` on a connection.
public struct MockSettings: Hashable, Sendable {
    /// Users the mock starts with, relative to the workspace file.
    public var users: String?
    /// Fault injection, as the `--fault` flag of `outflow mock` takes it.
    public var fault: String?

    public init(users: String? = nil, fault: String? = nil) {
        self.users = users
        self.fault = fault
    }
}
