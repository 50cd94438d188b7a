import OutflowConnectors
import OutflowCore
import OutflowHTTP

/// How `outflow connectors` prints a connector.
enum ConnectorText {
    static func operations(_ connector: Connector) -> String {
        var parts: [String] = []
        if !connector.lookups.isEmpty { parts.append("lookup") }
        if connector.create != nil { parts.append("create") }
        if connector.update != nil { parts.append("update") }
        if connector.upsert != nil { parts.append("upsert") }
        return parts.joined(separator: ",")
    }

    static func details(_ connector: Connector) -> [String] {
        var lines = ["\(connector.title) (\(connector.name))"]
        if let description = connector.description { lines.append(description) }
        if let docs = connector.docs { lines.append("docs: \(docs)") }
        lines.append("source: \(connector.source)")
        lines.append("")
        lines.append("settings:")
        for setting in connector.settings.settings {
            var flags: [String] = [setting.kind.rawValue]
            if setting.required { flags.append("required") }
            if setting.secret { flags.append("secret") }
            if let values = setting.values { flags.append("one of " + values.joined(separator: "|")) }
            if let template = setting.defaultValue, case .literal(let json) = template { flags.append("default " + JSONWriter.string(json)) }
            if let template = setting.defaultValue, !template.isConstant { flags.append("default computed") }
            if let derived = setting.derived { flags.append("derived from \(derived.from) after the last \"\(derived.afterLast)\"") }
            lines.append("  \(setting.name)  (\(flags.joined(separator: ", ")))" + (setting.description.map { "  \($0)" } ?? ""))
        }
        lines.append("")
        lines.append("auth: \(authText(connector.auth))")
        if connector.signature != nil { lines.append("signature: Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)") }
        lines.append("")
        lines.append("user schema:")
        if connector.schema.open { lines.append("  any properties (the application takes whatever the pipeline sends)") }
        for property in connector.schema.staticProperties {
            lines.append("  \(property.name)  \(property.type.name)\(property.createRequired ? "  createRequired" : "")")
        }
        if let request = connector.schema.request {
            let parent = connector.schema.parent.map { " (as \($0).NAME)" } ?? ""
            lines.append(
                "  + the application's properties, read live from \(request.method.rawValue) \(pathText(request))\(parent): outflow connections schema ID"
            )
        }
        if !connector.uniqueProperties.isEmpty { lines.append("  unique: \(connector.uniqueProperties.joined(separator: ", "))") }
        if !connector.caseInsensitiveProperties.isEmpty {
            lines.append("  case-insensitive: \(connector.caseInsensitiveProperties.joined(separator: ", "))")
        }
        lines.append("")
        lines.append("operations:")
        if connector.lookups.isEmpty { lines.append("  lookup: none (users cannot be looked up; every user is sent as new)") }
        for lookup in connector.lookups {
            let by = lookup.properties == ["*"] ? "any property" : lookup.properties.joined(separator: ", ")
            lines.append(
                "  lookup by \(by): \(lookup.mode.rawValue), \(lookup.batchSize) values per batch, \(lookup.request.method.rawValue) \(pathText(lookup.request))"
            )
        }
        for (name, spec) in [("create", connector.create), ("update", connector.update), ("upsert", connector.upsert)] {
            guard let spec else { continue }
            var text = "  \(name): \(spec.request.method.rawValue) \(pathText(spec.request)), \(spec.batchSize) per request"
            if let setting = spec.batchSizeSetting { text += " (setting \(setting))" }
            if name == "upsert" { text += ", matching \(spec.properties.joined(separator: ", "))" }
            if spec.conflict != nil { text += "; a conflict with an existing user updates it" }
            lines.append(text)
        }
        lines.append("")
        lines.append("limits:")
        if connector.rateLimit.groups.isEmpty && connector.rateLimit.maxConcurrent == nil { lines.append("  none declared") }
        for (group, limit) in connector.rateLimit.groups.sorted(by: { $0.key < $1.key }) {
            let windows = [limit] + (connector.rateLimit.extraWindows[group] ?? [])
            lines.append("  \(group): " + windows.map { "\($0.requests) requests per \(durationText($0.window))" }.joined(separator: " and "))
        }
        if let cap = connector.rateLimit.maxConcurrent { lines.append("  at most \(cap) requests in flight") }
        let policy = connector.retry.policy
        lines.append(
            "retries: up to \(policy.maxAttempts) attempts, \(durationText(policy.maxTotalWait)) of waiting in all; statuses \(statusText(policy.retryableStatuses))"
        )
        return lines
    }

    static func authText(_ auth: AuthSpec) -> String {
        switch auth {
        case .none: "none"
        case .bearer: "Authorization: Bearer <token>"
        case .basic: "HTTP Basic"
        case .header(let name, let prefix, _): "\(name): \(prefix)<credential>"
        }
    }

    static func pathText(_ request: RequestSpec) -> String {
        request.pathSource.isEmpty ? "<baseURL>" : request.pathSource
    }

    static func durationText(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }

    static func statusText(_ statuses: Set<Int>) -> String {
        let fives = Set(500...599)
        var parts = statuses.subtracting(fives).sorted().map(String.init)
        if fives.isSubset(of: statuses) { parts.append("5xx") }
        return parts.joined(separator: ", ")
    }
}
