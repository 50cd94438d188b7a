import Foundation
import Hummingbird
import OutflowCore

/// The pipelines API of seed 002 (DESIGN section 12), in the request's workspace.
///
/// A pipeline lives in its workspace's stored document, so every change is a new document saved
/// through ``WorkspaceCatalog/save(_:metadata:directory:reason:mode:)``: validated as a whole, and
/// one revision per change. A change that leaves the document as it was makes no revision.
///
/// ```
/// POST   /v1/pipelines                 -> {"id": 705981339}
/// GET    /v1/pipelines                 -> {"pipelines": [...]}
/// GET    /v1/pipelines/{id}            -> the seed's GET shape
/// PUT    /v1/pipelines/{id}            -> 204
/// DELETE /v1/pipelines/{id}            -> 204 (409 while it runs)
/// PUT    /v1/pipelines/{id}/status     {"enabled": false} -> 204
/// PUT    /v1/pipelines/{id}/schedule   {"period": "1h"}   -> 204
/// ```
enum PipelineRoutes {
    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {
        let pipelines = router.group("v1/pipelines")

        pipelines.get { _, context -> Response in
            let stored = try workspace(context, services)
            let running = try await PipelineResponse.runningPipelines(services)
            let items = stored.workspace.pipelines.map { PipelineResponse.json($0, in: stored.workspace, running: running.contains($0.id ?? -1)) }
            return JSONResponse.make(["pipelines": .array(items)])
        }

        pipelines.post { request, context -> Response in
            let stored = try workspace(context, services)
            let body = try await JSONResponse.body(request, context: context) ?? .null
            let taken = Set(stored.workspace.pipelines.compactMap(\.id))
            let id = try services.catalog.newId("pipeline", avoiding: taken)
            let edit = try PipelineBodyDecoder.decode(body, as: .new(id: id), in: stored, catalog: services.catalog)
            try save(edit.document, of: stored, reason: "pipeline \(id) created", services)
            return JSONResponse.make(["id": .number(String(id))])
        }

        pipelines.get("{id}") { _, context -> Response in
            let (stored, pipeline) = try target(context, services)
            let running = try await PipelineResponse.runningPipelines(services)
            return JSONResponse.make(PipelineResponse.json(pipeline, in: stored.workspace, running: running.contains(pipeline.id ?? -1)))
        }

        pipelines.put("{id}") { request, context -> Response in
            let (stored, pipeline) = try target(context, services)
            let body = try await JSONResponse.body(request, context: context) ?? .null
            let edit = try PipelineBodyDecoder.decode(body, as: .existing(pipeline), in: stored, catalog: services.catalog)
            try save(edit.document, of: stored, reason: "pipeline \(pipeline.id ?? 0) updated", services)
            return JSONResponse.noContent()
        }

        pipelines.delete("{id}") { _, context -> Response in
            let (stored, pipeline) = try target(context, services)
            guard let id = pipeline.id else { throw APIError.notFound("pipeline does not exist") }
            if try await PipelineResponse.runningPipelines(services).contains(id) {
                throw APIError.conflict("pipeline \(id) is running; delete it when its run has ended")
            }
            var document = stored.document
            document["pipelines"] = .array(stored.pipelineDocuments.filter { $0["id"] != .number(String(id)) })
            try save(document, of: stored, reason: "pipeline \(id) deleted", services)
            do {
                try services.store.resetExportState(pipeline: id)
                try services.store.deleteRuns(pipeline: id)
            } catch {
                throw APIError.internalError("pipeline \(id) was deleted, but its export state and runs were not: \(error)")
            }
            return JSONResponse.noContent()
        }

        pipelines.put("{id}/status") { request, context -> Response in
            let (stored, pipeline) = try target(context, services)
            let object = try await JSONResponse.object(request, context: context)
            var fields = JSONFields(object, path: "")
            let enabled = fields.bool("enabled", required: true)
            fields.rejectUnknown()
            guard fields.issues.isEmpty, let enabled else { throw APIError.invalid(fields.issues) }
            try edit(pipeline, of: stored, reason: "pipeline \(pipeline.id ?? 0) \(enabled ? "enabled" : "disabled")", services) { object in
                object["enabled"] = .bool(enabled)
            }
            return JSONResponse.noContent()
        }

        pipelines.put("{id}/schedule") { request, context -> Response in
            let (stored, pipeline) = try target(context, services)
            let object = try await JSONResponse.object(request, context: context)
            let period = try PipelineSchedule.period(in: object)
            let start = PipelineSchedule.start(for: period, current: pipeline.scheduleStart, now: services.configuration.clock.now())
            try edit(pipeline, of: stored, reason: "pipeline \(pipeline.id ?? 0) scheduled", services) { object in
                object["schedulePeriod"] = period.map { .string($0.rawValue) } ?? .null
                object["scheduleStart"] = start.map { .number(String($0)) } ?? .null
            }
            return JSONResponse.noContent()
        }
    }

    /// The request's workspace: 422 for an admin without a `Workspace` header, 404 when it does not exist.
    static func workspace(_ context: ServerRequestContext, _ services: ServerServices) throws -> StoredWorkspace {
        try services.catalog.load(try context.requireScope().workspace())
    }

    /// The workspace and the pipeline `{id}` of it: 404 "pipeline does not exist" also for an id
    /// that is not an integer or is another workspace's.
    static func target(_ context: ServerRequestContext, _ services: ServerServices) throws -> (StoredWorkspace, Pipeline) {
        let stored = try workspace(context, services)
        let id = try context.parameters.int64("id", notFound: "pipeline does not exist")
        return (stored, try stored.pipeline(id: id))
    }

    /// Changes the document's JSON of `pipeline` in place (members the change does not touch stay
    /// as the user wrote them) and saves it.
    private static func edit(
        _ pipeline: Pipeline,
        of stored: StoredWorkspace,
        reason: String,
        _ services: ServerServices,
        _ change: (inout JSONObject) -> Void
    ) throws {
        var items = stored.pipelineDocuments
        guard let id = pipeline.id, let index = items.firstIndex(where: { $0["id"] == .number(String(id)) }),
            case .object(var object) = items[index]
        else {
            throw APIError.notFound("pipeline does not exist")
        }
        change(&object)
        items[index] = .object(object)
        var document = stored.document
        document["pipelines"] = .array(items)
        try save(document, of: stored, reason: reason, services)
    }

    private static func save(_ document: JSONObject, of stored: StoredWorkspace, reason: String, _ services: ServerServices) throws {
        guard document != stored.document else { return }
        try services.catalog.save(document, metadata: stored.metadata, directory: stored.record.directory, reason: reason, mode: .update)
    }
}
