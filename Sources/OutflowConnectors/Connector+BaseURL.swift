import OutflowCore

/// Why resolved settings give a connector no usable API origin.
public struct BaseURLProblem: Error, Sendable {
    /// What is wrong, after the setting's name: `must be an http or https URL, found "x"`.
    public var detail: String
    /// The whole sentence: `baseURL must be ...`.
    public var message: String { "baseURL \(detail)" }
}

extension Connector {
    /// The API origin every request of the connector starts from: the resolved `baseURL` setting,
    /// which must be an http or https URL. One rule for the client, which refuses to start without
    /// it, and for `outflow validate`, which reports it before any run.
    ///
    /// ```swift
    /// Connector.baseURL(in: ["baseURL": "api.hubapi.com"])   // .failure: must be an http or https URL
    /// ```
    public static func baseURL(in settings: JSONObject) -> Result<String, BaseURLProblem> {
        guard case .string(let base)? = settings["baseURL"] else {
            return .failure(BaseURLProblem(detail: "is not set, and these settings give it no default"))
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            return .failure(BaseURLProblem(detail: "must be an http or https URL, found \"\(base)\""))
        }
        return .success(base)
    }
}
