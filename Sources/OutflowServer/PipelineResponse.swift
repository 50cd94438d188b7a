import OutflowCore
import OutflowStore

/// A pipeline as `GET /v1/pipelines/{id}` shows it: exactly the seed's GET shape (seed 002), in
/// its member order, plus `functionTimeout` when the pipeline sets one.
///
/// The model, not the stored document, is what is shown, so both absent members of a
/// transformation come back as null and defaults (`enabled`, `updateOnDuplicates`) are explicit.
///
/// ```swift
/// let running = try await PipelineResponse.runningPipelines(services)
/// let body = PipelineResponse.json(pipeline, in: stored.workspace, running: running.contains(101))
/// ```
enum PipelineResponse {
    /// Every pipeline exports profiles to an application (the seed's only kind).
    static let connectorType = "Application"
    static let connectionRole = "Destination"

    static func json(_ pipeline: Pipeline, in workspace: Workspace, running: Bool) -> JSONValue {
        guard case .object(let model) = pipeline.json else { return pipeline.json }
        let connector = workspace.connection(id: pipeline.connection)?.connector
        var object = JSONObject()
        func copy(_ key: String) { object[key] = model[key] ?? .null }
        copy("id")
        copy("name")
        object["connector"] = connector.map(JSONValue.string) ?? .null
        object["connectorType"] = .string(connectorType)
        copy("connection")
        object["connectionRole"] = .string(connectionRole)
        for key in ["target", "enabled", "filter", "matching", "exportMode", "updateOnDuplicates", "transformation", "inSchema", "outSchema"] {
            copy(key)
        }
        object["running"] = .bool(running)
        copy("scheduleStart")
        copy("schedulePeriod")
        if let timeout = model["functionTimeout"] { object["functionTimeout"] = timeout }
        return .object(object)
    }

    /// Pipelines with a run going: in this server (the run manager), or in any process sharing the
    /// store whose run lock is alive (an `outflow run` beside the server).
    static func runningPipelines(_ services: ServerServices) async throws -> Set<Int64> {
        let here = await services.runs.runningPipelines
        do {
            return here.union(try services.store.lockedPipelines())
        } catch {
            throw APIError.internalError(error.message)
        }
    }
}
