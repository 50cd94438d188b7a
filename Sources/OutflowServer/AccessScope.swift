/// What a request's token reaches (DESIGN section 12): one workspace, or everything (admin).
public enum AccessScope: Hashable, Sendable {
    /// A workspace token: only that workspace's objects.
    case workspace(String)
    /// An admin token; `selected` is the `Workspace` header, if the request sent one.
    case admin(selected: String?)

    public var isAdmin: Bool {
        if case .admin = self { return true }
        return false
    }

    /// The workspace the request works in: the token's, or the admin's `Workspace` header.
    /// 422 for an admin request without the header, since it names no workspace.
    public func workspace() throws -> String {
        switch self {
        case .workspace(let name): return name
        case .admin(let selected?): return selected
        case .admin(nil): throw APIError.unprocessable("an admin token must name a workspace in the Workspace header")
        }
    }

    /// 403 unless this scope may reach workspace `name` (workspace routes with the name in the path).
    public func authorize(workspace name: String) throws {
        if case .workspace(let own) = self, own != name {
            throw APIError.forbidden("this token is for workspace \"\(own)\", not \"\(name)\"")
        }
    }

    /// 403 unless admin.
    public func requireAdmin() throws {
        guard isAdmin else { throw APIError.forbidden("this endpoint needs an admin token") }
    }
}
