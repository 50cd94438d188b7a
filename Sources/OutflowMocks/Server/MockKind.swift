/// The applications Outflow can imitate, by the name `outflow mock NAME` takes.
///
/// ```swift
/// let server = try await MockServer.start(.hubspot)
/// ```
public enum MockKind: String, CaseIterable, Sendable {
    case hubspot
    case mailchimp
    case webhook
    case klaviyo
    case stripe
    case intercom
    case brevo
    case mailerlite

    /// The kind named `name` (case-insensitive), or nil.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }
}
