import Hummingbird
import OutflowCore

/// The connections API (DESIGN section 12) in the request's workspace (the token's, or an admin's
/// `Workspace` header). Connections live in the workspace document's `connections` array, so
/// every change is a save of the document and makes one revision.
///
/// ```
/// GET    /v1/connections          {"connections":[...]}  (secret values never shown)
/// POST   /v1/connections          {"name","connector","settings","mock"?} -> {"id": N}
/// GET    /v1/connections/{id}
/// PUT    /v1/connections/{id}     replaces name/settings/mock; an omitted secret is kept -> 204
/// DELETE /v1/connections/{id}     204; 409 while a pipeline uses it
/// ```
enum ConnectionRoutes {
    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {
        let catalog = services.catalog
        let group = router.group("v1/connections")

        group.get { _, context in
            let stored = try catalog.load(try context.requireScope().workspace())
            let items = stored.connectionDocuments.map { catalog.redacted(connection: $0) }
            return JSONResponse.make(.object(JSONObject([("connections", .array(items))])))
        }

        group.post { request, context in
            let stored = try catalog.load(try context.requireScope().workspace())
            let body = try ConnectionBody(try await JSONResponse.object(request, context: context), registry: catalog.registry, existing: nil)
            let problems = body.settingsProblems(registry: catalog.registry)
            if !problems.isEmpty { throw APIError.invalid(problems) }
            let id = try catalog.newId("connection")
            var document = stored.document
            document["connections"] = .array(stored.connectionDocuments + [body.connection(id: id)])
            try save(document, stored: stored, catalog: catalog, reason: "connection \(id) created")
            return JSONResponse.make(.object(JSONObject([("id", .number(String(id)))])))
        }

        group.get(":id") { _, context in
            let (stored, index) = try located(context, catalog: catalog)
            return JSONResponse.make(catalog.redacted(connection: stored.connectionDocuments[index]))
        }

        group.put(":id") { request, context in
            let (stored, index) = try located(context, catalog: catalog)
            let connection = stored.workspace.connections[index]
            let body = try ConnectionBody(
                try await JSONResponse.object(request, context: context), registry: catalog.registry,
                existing: (connection.id, connection.connector))
            let storedSettings: JSONObject = if case .object(let settings)? = stored.connectionDocuments[index]["settings"] { settings } else { JSONObject() }
            var merged = body
            merged.settings = SecretMerge.settings(body.settings, stored: storedSettings, secret: catalog.secretSettings(of: connection.connector))
            let problems = merged.settingsProblems(registry: catalog.registry)
            if !problems.isEmpty { throw APIError.invalid(problems) }
            var items = stored.connectionDocuments
            items[index] = merged.connection(id: connection.id)
            var document = stored.document
            document["connections"] = .array(items)
            try save(document, stored: stored, catalog: catalog, reason: "connection \(connection.id) updated")
            return JSONResponse.noContent()
        }

        group.delete(":id") { _, context in
            let (stored, index) = try located(context, catalog: catalog)
            let connection = stored.workspace.connections[index]
            let users = stored.workspace.pipelines.filter { $0.connection == connection.id }
            if !users.isEmpty {
                let names = users.map { "\($0.id.map(String.init) ?? "?") \"\($0.name)\"" }.joined(separator: ", ")
                throw APIError.conflict(
                    "connection \(connection.id) is used by pipeline\(users.count == 1 ? "" : "s") \(names); delete them or move them to another connection first")
            }
            var items = stored.connectionDocuments
            items.remove(at: index)
            var document = stored.document
            document["connections"] = .array(items)
            try save(document, stored: stored, catalog: catalog, reason: "connection \(connection.id) deleted")
            return JSONResponse.noContent()
        }
    }

    /// The request's workspace and the index of the connection `{id}` in it; 404 "connection does not exist".
    private static func located(_ context: ServerRequestContext, catalog: WorkspaceCatalog) throws -> (StoredWorkspace, Int) {
        let stored = try catalog.load(try context.requireScope().workspace())
        let id = try context.parameters.int64("id", notFound: "connection does not exist")
        guard let index = stored.workspace.connections.firstIndex(where: { $0.id == id }), index < stored.connectionDocuments.count else {
            throw APIError.notFound("connection does not exist")
        }
        return (stored, index)
    }

    /// Saves the changed document as the workspace's next revision. The document's paths
    /// (`connections[3].settings.x`) are the workspace's, which is what 422 then names.
    private static func save(_ document: JSONObject, stored: StoredWorkspace, catalog: WorkspaceCatalog, reason: String) throws {
        try catalog.save(document, metadata: stored.metadata, directory: stored.record.directory, reason: reason, mode: .update)
    }
}
