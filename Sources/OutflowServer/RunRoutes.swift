import Hummingbird
import OutflowCore
import OutflowStore

/// The run API (seed 001, DESIGN section 12): runs of one pipeline, and the seed's own paths,
/// where a "Profiles project" is a workspace and its tasks are the runs of its pipelines.
///
/// A run goes on after the request that started it is answered (``RunManager``); its status is
/// read back from the state store, so a run started by the scheduler or another process sharing
/// the store shows the same way.
///
/// ```
/// POST /v1/pipelines/{id}/runs                   {"parameters":["--rebase_incremental"]} -> {"runId":"17"}
/// GET  /v1/pipelines/{id}/runs?limit=50          -> {"runs":[<status>...]} newest first
/// GET  /v1/pipelines/{id}/runs/{runId}/status    -> <status>
/// POST /sources/{workspace}/start                {"parameters":["--model_refs=101,VIP"]} -> {"runId":"3"}
/// GET  /sources/{workspace}/runs/{runId}/status  -> <status> with one task per pipeline run
/// ```
enum RunRoutes {
    static let defaultLimit = 50
    static let maximumLimit = 1000

    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {
        let pipelineRuns = router.group("v1/pipelines/{id}/runs")

        pipelineRuns.post { request, context -> Response in
            let (stored, pipeline) = try PipelineRoutes.target(context, services)
            let body = try await JSONResponse.body(request, context: context, required: false)
            let parameters = try RunParameters.parse(body, allowModelRefs: false)
            let runId = try await services.runs.startPipelineRun(
                workspace: stored.name,
                pipeline: pipeline.id ?? 0,
                parameters: parameters,
                trigger: "api"
            )
            return JSONResponse.make(["runId": .string(String(runId))])
        }

        pipelineRuns.get { request, context -> Response in
            let (stored, pipeline) = try PipelineRoutes.target(context, services)
            let limit = try limit(request)
            let runs = try storeRead { try services.store.runs(pipeline: pipeline.id, limit: limit) }.filter { $0.workspace == stored.name }
            var items: [JSONValue] = []
            for run in runs {
                let errors = try storeRead { try services.store.errors(run: run.id ?? 0) }
                items.append(RunStatusBody.pipelineRun(run, errors: errors))
            }
            return JSONResponse.make(["runs": .array(items)])
        }

        pipelineRuns.get("{runId}/status") { _, context -> Response in
            let (stored, pipeline) = try PipelineRoutes.target(context, services)
            guard let runId = context.parameters.get("runId").flatMap({ Int64($0) }),
                let run = try storeRead({ try services.store.run(runId) }),
                run.pipeline == pipeline.id, run.workspace == stored.name
            else {
                throw APIError.notFound("run does not exist")
            }
            let errors = try storeRead { try services.store.errors(run: runId) }
            return JSONResponse.make(RunStatusBody.pipelineRun(run, errors: errors))
        }

        let sources = router.group("sources/{workspace}")

        sources.post("start") { request, context -> Response in
            let name = try workspaceInPath(context, services)
            let body = try await JSONResponse.body(request, context: context, required: false)
            let parameters = try RunParameters.parse(body, allowModelRefs: true)
            let jobId = try await services.runs.startWorkspaceRun(workspace: name, parameters: parameters, trigger: "api")
            return JSONResponse.make(["runId": .string(String(jobId))])
        }

        sources.get("runs/{runId}/status") { _, context -> Response in
            let name = try workspaceInPath(context, services)
            guard let jobId = context.parameters.get("runId").flatMap({ Int64($0) }),
                let job = try storeRead({ try services.store.job(jobId) }), job.workspace == name
            else {
                throw APIError.notFound("run does not exist")
            }
            let tasks = try storeRead { try services.store.runs(job: jobId) }
            return JSONResponse.make(RunStatusBody.job(job, tasks: tasks))
        }
    }

    /// `{workspace}` of a `/sources` path: 403 for another workspace's token, 404 when it does not exist.
    private static func workspaceInPath(_ context: ServerRequestContext, _ services: ServerServices) throws -> String {
        guard let name = context.parameters.get("workspace") else { throw APIError.notFound("workspace does not exist") }
        try context.requireScope().authorize(workspace: name)
        guard try storeRead({ try services.store.workspace(named: name) }) != nil else { throw APIError.notFound("workspace does not exist") }
        return name
    }

    /// `?limit=N`: 1 to 1000, 50 when absent.
    private static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return defaultLimit }
        guard let value = Int(text), (1...maximumLimit).contains(value) else {
            throw APIError.unprocessable("limit: must be an integer from 1 to \(maximumLimit), found \"\(text)\"")
        }
        return value
    }

    /// A read of the store; its failure is the server's (500), with the store's message.
    private static func storeRead<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw APIError.internalError(error.message)
        }
    }
}
