import OutflowCore
import OutflowStore

/// The body of `POST /v1/workspaces` and `PUT /v1/workspaces/{name}`: a workspace file document
/// (DESIGN section 4) plus optional `"metadata"` tags, split into the two.
///
/// A client may send back what `GET` gave it, so the members only a response has (`status`,
/// `revision`, `createdAt`, `updatedAt`, a connection's `secrets`) are dropped rather than refused,
/// except a `status` other than the workspace's: that changes through `enable`/`disable` only,
/// and saying so beats ignoring it.
///
/// ```swift
/// let body = try WorkspaceBody(object, pathName: "acme", status: .active).valid()
/// catalog.save(body.document, metadata: body.metadata ?? [:], ...)
/// ```
struct WorkspaceBody {
    /// The workspace file's JSON, `name` set.
    var document: JSONObject
    /// The tags, nil when the body has none (a PUT then keeps the stored ones).
    var metadata: JSONObject?
    /// What is wrong with the body beyond the document itself (name, status, metadata).
    var problems: [Diagnostic]

    /// Names a workspace created through the API may have: they sit in URL paths.
    static let nameRule = "1 to 60 letters, digits, '.', '_' or '-', starting with a letter or digit"

    /// - Parameters:
    ///   - pathName: the name in the path (PUT); the body's `name`, if any, must equal it.
    ///   - status: the workspace's status (ACTIVE for a new one).
    init(_ object: JSONObject, pathName: String?, status: WorkspaceRecord.Status) {
        var document = object
        var problems: [Diagnostic] = []
        metadata = nil
        if let tags = document["metadata"] {
            document["metadata"] = nil
            metadata = Self.metadata(tags, problems: &problems)
        }
        for key in ["revision", "createdAt", "updatedAt"] { document[key] = nil }
        if let given = document["status"] {
            document["status"] = nil
            if given != .string(status.rawValue) {
                problems.append(
                    Diagnostic(path: "status", message: "is \(status.rawValue); change it with POST /v1/workspaces/{name}/enable or /disable, not in the body"))
            }
        }
        if let pathName {
            switch document["name"] {
            case nil, .null?:
                document["name"] = nil
                document.members.insert((key: "name", value: .string(pathName)), at: 0)
            case .string(let name)? where name == pathName:
                break
            default:
                problems.append(Diagnostic(path: "name", message: "must be \"\(pathName)\", the name in the path (a workspace cannot be renamed)"))
            }
        } else if case .string(let name)? = document["name"], !Self.isValidName(name) {
            problems.append(Diagnostic(path: "name", message: "must be \(Self.nameRule), found \"\(name)\""))
        }
        self.document = document
        self.problems = problems
    }

    /// Self, or 422 with its problems.
    func valid() throws -> WorkspaceBody {
        if !problems.isEmpty { throw APIError.invalid(problems) }
        return self
    }

    /// True for a name that fits ``nameRule``.
    static func isValidName(_ name: String) -> Bool {
        guard (1...60).contains(name.count), let first = name.unicodeScalars.first, Self.isAlphanumeric(first) else { return false }
        return name.unicodeScalars.allSatisfy { Self.isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// `metadata` must be an object of strings (the seed's key-value tags).
    private static func metadata(_ value: JSONValue, problems: inout [Diagnostic]) -> JSONObject? {
        switch value {
        case .null:
            return JSONObject()
        case .object(let tags):
            for (key, tag) in tags.members {
                if case .string = tag { continue }
                problems.append(Diagnostic(path: "metadata.\(key)", message: "expected a string, found \(tag.typeName)"))
            }
            return tags
        default:
            problems.append(Diagnostic(path: "metadata", message: "expected an object of strings, found \(value.typeName)"))
            return nil
        }
    }
}
