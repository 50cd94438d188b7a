import OutflowCore

/// "A PUT that omits a secret keeps it" (DESIGN section 12): the API never shows a secret, so a
/// client that reads a connection and writes it back cannot send the secret again. Before such a
/// body is saved, each secret setting it leaves out is copied from the stored connection (still
/// sealed, or still a `${VAR}` reference), and the read-only `secrets` list the API shows is dropped.
///
/// ```swift
/// let settings = SecretMerge.settings(body, stored: old, secret: catalog.secretSettings(of: "hubspot"))
/// let document = SecretMerge.document(body, stored: stored.document, secretSettings: catalog.secretSettings(of:))
/// ```
///
/// A secret set to `null` is removed: the one way to clear a secret through the API.
enum SecretMerge {
    /// `given` with the stored values of the secret settings it omits; secrets given as null removed.
    static func settings(_ given: JSONObject, stored: JSONObject, secret: Set<String>) -> JSONObject {
        var merged = given
        for (key, value) in given.members where secret.contains(key) && value == .null {
            merged[key] = nil
        }
        for (key, value) in stored.members where secret.contains(key) && given[key] == nil {
            merged[key] = value
        }
        return merged
    }

    /// `document` with each connection's omitted secrets copied from the stored connection of the
    /// same id and connector (a connection moved to another connector keeps nothing), and the
    /// read-only `secrets` member of every connection dropped.
    static func document(_ document: JSONObject, stored: JSONObject?, secretSettings: (String) -> Set<String>) -> JSONObject {
        guard case .array(let items)? = document["connections"] else { return document }
        var previous: [String: JSONObject] = [:]
        if case .array(let old)? = stored?["connections"] {
            for item in old {
                guard case .object(let connection) = item, let id = connection["id"] else { continue }
                previous[JSONWriter.string(id)] = connection
            }
        }
        var merged: [JSONValue] = []
        for item in items {
            guard case .object(var connection) = item else {
                merged.append(item)
                continue
            }
            dropReadOnly(&connection)
            if let id = connection["id"], let old = previous[JSONWriter.string(id)], old["connector"] == connection["connector"],
                case .string(let connector)? = connection["connector"]
            {
                // A settings member that is not an object is left for validation to report.
                if connection["settings"] == nil || isObject(connection["settings"]) {
                    let given: JSONObject = if case .object(let object)? = connection["settings"] { object } else { JSONObject() }
                    let oldSettings: JSONObject = if case .object(let object)? = old["settings"] { object } else { JSONObject() }
                    let secret = secretSettings(connector).union(sealedKeys(oldSettings))
                    connection["settings"] = .object(settings(given, stored: oldSettings, secret: secret))
                }
            }
            merged.append(.object(connection))
        }
        var result = document
        result["connections"] = .array(merged)
        return result
    }

    /// Drops the `secrets` list the API shows on a connection: a client may send it back, and it
    /// says nothing the settings do not.
    static func dropReadOnly(_ connection: inout JSONObject) {
        if case .array(let names)? = connection["secrets"], names.allSatisfy({ if case .string = $0 { true } else { false } }) {
            connection["secrets"] = nil
        }
    }

    private static func sealedKeys(_ settings: JSONObject) -> Set<String> {
        Set(settings.members.compactMap { member in
            if case .string(let text) = member.value, SecretBox.isSealed(text) { return member.key }
            return nil
        })
    }

    private static func isObject(_ value: JSONValue?) -> Bool {
        if case .object? = value { return true }
        return false
    }
}
