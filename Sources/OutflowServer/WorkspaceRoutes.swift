import Foundation
import Hummingbird
import OutflowCore
import OutflowStore

/// The workspaces API (the seeds' profile namespace; DESIGN sections 1 and 12), by name:
///
/// ```
/// GET    /v1/workspaces                      {"workspaces":[...]}; a workspace token sees its own
/// POST   /v1/workspaces                      admin only; 409 when the name exists
/// GET    /v1/workspaces/{name}
/// PUT    /v1/workspaces/{name}               replaces the configuration; omitted secrets are kept
/// DELETE /v1/workspaces/{name}               cascades; 409 while one of its runs goes
/// POST   /v1/workspaces/{name}/enable|disable
/// POST   /v1/workspaces/{name}/validate      dry run; nothing saved
/// GET    /v1/workspaces/{name}/revisions     newest first
/// POST   /v1/workspaces/{name}/revisions/{n}/rollback
/// POST   /v1/workspaces/{name}/trigger       every enabled pipeline now
/// ```
enum WorkspaceRoutes {
    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {
        let catalog = services.catalog
        let group = router.group("v1/workspaces")

        group.get { _, context in
            let scope = try context.requireScope()
            let visible: [StoredWorkspace]
            switch scope {
            case .admin: visible = try catalog.all()
            case .workspace(let own): visible = try catalog.store.workspace(named: own) == nil ? [] : [try catalog.load(own)]
            }
            let items = visible.map { WorkspaceResponse.workspace($0, catalog: catalog) }
            return JSONResponse.make(.object(JSONObject([("workspaces", .array(items))])))
        }

        group.post { request, context in
            try context.requireScope().requireAdmin()
            let body = try WorkspaceBody(try await JSONResponse.object(request, context: context), pathName: nil, status: .active).valid()
            let stored = try catalog.save(
                body.document, metadata: body.metadata ?? JSONObject(), directory: services.configuration.baseDirectory, reason: "created", mode: .create)
            return try Self.stored(stored.name, catalog: catalog)
        }

        group.get(":name") { _, context in
            let stored = try authorized(context, catalog: catalog)
            return JSONResponse.make(WorkspaceResponse.workspace(stored, catalog: catalog))
        }

        group.put(":name") { request, context in
            let stored = try authorized(context, catalog: catalog)
            let body = try WorkspaceBody(try await JSONResponse.object(request, context: context), pathName: stored.name, status: stored.record.status)
                .valid()
            let document = SecretMerge.document(body.document, stored: stored.document, secretSettings: catalog.secretSettings(of:))
            let saved = try catalog.save(
                document, metadata: body.metadata ?? stored.metadata, directory: stored.record.directory, reason: "updated", mode: .update)
            return try Self.stored(saved.name, catalog: catalog)
        }

        group.delete(":name") { _, context in
            let stored = try authorized(context, catalog: catalog)
            let running = await services.runs.runningPipelines
            let busy = stored.workspace.pipelines.filter { $0.id.map(running.contains) ?? false }
            if !busy.isEmpty {
                throw APIError.conflict(
                    "workspace \"\(stored.name)\" has runs going (pipeline\(busy.count == 1 ? "" : "s") \(describe(busy))); disable it and wait for them to finish")
            }
            let deleted: Bool
            do {
                deleted = try catalog.store.deleteWorkspace(stored.name)
            } catch let error as StoreError where error.isAlreadyRunning {
                throw APIError.conflict(error.message)
            }
            guard deleted else { throw APIError.notFound("workspace does not exist") }
            services.logger.info("workspace \(stored.name) deleted")
            return JSONResponse.noContent()
        }

        for (action, status) in [("enable", WorkspaceRecord.Status.active), ("disable", .inactive)] {
            group.post(":name/\(action)") { _, context in
                let stored = try authorized(context, catalog: catalog)
                guard try catalog.store.setWorkspaceStatus(stored.name, status) else { throw APIError.notFound("workspace does not exist") }
                return try Self.stored(stored.name, catalog: catalog)
            }
        }

        group.post(":name/validate") { request, context in
            let stored = try authorized(context, catalog: catalog)
            let body: JSONObject?
            switch try await JSONResponse.body(request, context: context, required: false) {
            case nil: body = nil
            case .object(let object)?: body = object
            case let other?: throw APIError.unprocessable("the request body must be a workspace document (a JSON object), found \(other.typeName)")
            }
            let problems = WorkspaceValidation(catalog: catalog).problems(of: stored, body: body)
            return JSONResponse.make(WorkspaceValidation.body(problems))
        }

        group.get(":name/revisions") { _, context in
            let stored = try authorized(context, catalog: catalog)
            return JSONResponse.make(WorkspaceResponse.revisions(try catalog.store.revisions(workspace: stored.name)))
        }

        group.post(":name/revisions/:number/rollback") { _, context in
            let stored = try authorized(context, catalog: catalog)
            guard let text = context.parameters.get("number"), let number = Int(text),
                let revision = try catalog.store.revision(workspace: stored.name, number: number)
            else { throw APIError.notFound("revision does not exist") }
            guard case .object(let document)? = try? JSONParser.parse(revision.document),
                case .object(let metadata)? = try? JSONParser.parse(revision.metadata)
            else { throw APIError.internalError("revision \(number) of workspace \"\(stored.name)\" is not a JSON object") }
            let saved = try catalog.save(
                document, metadata: metadata, directory: stored.record.directory, reason: "rollback to \(number)", mode: .update)
            return try Self.stored(saved.name, catalog: catalog)
        }

        group.post(":name/trigger") { _, context in
            let stored = try authorized(context, catalog: catalog)
            let job = try await services.runs.startWorkspaceRun(workspace: stored.name, parameters: RunParameters(), trigger: "trigger")
            return JSONResponse.make(.object(JSONObject([("runId", .string(String(job)))])))
        }
    }

    /// The workspace the path names, once the token may reach it: 403 for another workspace's
    /// token (checked first, so a token learns nothing of other workspaces), 404 when none.
    static func authorized(_ context: ServerRequestContext, catalog: WorkspaceCatalog) throws -> StoredWorkspace {
        let scope = try context.requireScope()
        guard let raw = context.parameters.get("name") else { throw APIError.notFound("workspace does not exist") }
        let name = raw.removingPercentEncoding ?? raw
        try scope.authorize(workspace: name)
        return try catalog.load(name)
    }

    /// The workspace as the store now holds it. A change answers with this rather than with what
    /// it saved, because the store keeps times to the millisecond and the answer must be what a
    /// GET gives after it.
    static func stored(_ name: String, catalog: WorkspaceCatalog) throws -> Response {
        JSONResponse.make(WorkspaceResponse.workspace(try catalog.load(name), catalog: catalog))
    }

    private static func describe(_ pipelines: [Pipeline]) -> String {
        pipelines.map { "\($0.id.map(String.init) ?? "?") \"\($0.name)\"" }.joined(separator: ", ")
    }
}
