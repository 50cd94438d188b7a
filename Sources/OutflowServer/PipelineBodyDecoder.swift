import OutflowCore

/// Turns the body of `POST /v1/pipelines` or `PUT /v1/pipelines/{id}` into the pipeline and the
/// workspace document that would hold it, or the seed's error.
///
/// The seed's named errors come first, with exactly its messages: 422 "connection does not
/// exist", "connector does not exist", "transformation language is not supported". Anything else
/// is one 422 listing every problem by its JSON path in the body (`name: must be at most 60
/// characters, found 61`), including the rules that need the rest of the workspace (profile
/// schema, unique names), which are checked by decoding the whole document with the pipeline in it.
///
/// ```swift
/// let edit = try PipelineBodyDecoder.decode(body, as: .new(id: 705981339), in: stored, catalog: services.catalog)
/// try services.catalog.save(edit.document, ...)
/// ```
enum PipelineBodyDecoder {
    enum Target {
        /// `POST`: a pipeline the server gives `id`.
        case new(id: Int64)
        /// `PUT`: its id, connection and target are kept; members of DESIGN 4 that the update
        /// body omits (`enabled`, `schedulePeriod`, `scheduleStart`, `functionTimeout`) too.
        case existing(Pipeline)
    }

    struct Edit {
        var pipeline: Pipeline
        /// The stored document with the pipeline added or replaced; not yet validated by the catalog.
        var document: JSONObject
    }

    static func decode(_ body: JSONValue, as target: Target, in stored: StoredWorkspace, catalog: WorkspaceCatalog) throws -> Edit {
        guard case .object(var object) = body else { throw APIError.unprocessable("the request body must be a JSON object") }
        switch target {
        case .new(let id):
            if let given = object["id"], given != .null {
                throw APIError.unprocessable("id: the server assigns a pipeline's id; leave id out of the body")
            }
            object["id"] = .number(String(id))
        case .existing(let pipeline):
            try keep(pipeline, in: &object)
        }

        var issues: [Diagnostic] = []
        let decoded = Pipeline.decode(.object(object), path: "", issues: &issues)
        if case .number(let text)? = object["connection"], let id = Int64(text) {
            guard let connection = stored.workspace.connection(id: id) else { throw APIError.unprocessable("connection does not exist") }
            guard catalog.registry.connector(named: connection.connector) != nil else { throw APIError.unprocessable("connector does not exist") }
        }
        if issues.contains(where: { $0.message == languageMessage }) { throw APIError.unprocessable(languageMessage) }

        // Every other problem at once: the body as written, in the document, decoded as a whole.
        let index = stored.pipelineDocuments.firstIndex { $0["id"] == object["id"] } ?? stored.pipelineDocuments.endIndex
        try checkInWorkspace(.object(object), at: index, stored: stored, catalog: catalog)
        guard issues.isEmpty, let pipeline = decoded else { throw APIError.invalid(issues) }
        // What is stored is the model's JSON: keys only the GET body has (`running`, ...) are left out.
        return Edit(pipeline: pipeline, document: document(stored, with: pipeline.json, at: index))
    }

    private static func document(_ stored: StoredWorkspace, with pipeline: JSONValue, at index: Int) -> JSONObject {
        var pipelines = stored.pipelineDocuments
        if index == pipelines.endIndex { pipelines.append(pipeline) } else { pipelines[index] = pipeline }
        var document = stored.document
        document["pipelines"] = .array(pipelines)
        return document
    }

    /// The decoder's message for a language other than JavaScript and Python (PipelineJSON).
    static let languageMessage = "transformation language is not supported"

    /// Puts the kept members of `pipeline` into an update body: id, connection and target always
    /// (a body may repeat them, as a GET body does, but not change them), the others when omitted.
    private static func keep(_ pipeline: Pipeline, in object: inout JSONObject) throws {
        guard case .object(let current) = pipeline.json else { return }
        for key in ["id", "connection", "target"] {
            if let given = object[key], given != .null, given != current[key] {
                throw APIError.unprocessable(
                    "\(key): a pipeline's \(key) cannot be changed (it is \(JSONWriter.string(current[key] ?? .null))); create another pipeline instead"
                )
            }
            object[key] = current[key]
        }
        for key in ["enabled", "schedulePeriod", "scheduleStart", "functionTimeout"] where object[key] == nil {
            object[key] = current[key]
        }
    }

    /// The rules that need the workspace, by decoding the whole document; problems of the pipeline
    /// come back with paths in the body (`pipelines[2].name` -> `name`).
    private static func checkInWorkspace(_ body: JSONValue, at index: Int, stored: StoredWorkspace, catalog: WorkspaceCatalog) throws {
        var issues: [Diagnostic] = []
        // A duplicate name is reported on whichever pipeline comes later in the document; say it of this one.
        var clash: Pipeline?
        if case .string(let name)? = body["name"] {
            clash = stored.workspace.pipelines.first { $0.name == name && .number(String($0.id ?? -1)) != body["id"] }
            if let clash {
                issues.append(
                    Diagnostic(path: "name", message: "name \"\(name)\" is used by pipeline \(clash.id ?? 0); names are unique within a workspace")
                )
            }
        }
        do {
            _ = try Workspace.decode(.object(document(stored, with: body, at: index)), connectorNames: catalog.connectorNames)
        } catch {
            let prefix = "pipelines[\(index)]"
            for diagnostic in error.diagnostics {
                if clash != nil, diagnostic.path.hasSuffix(".name"), diagnostic.message.contains("is used by another pipeline") { continue }
                var rebased = diagnostic
                if diagnostic.path == prefix {
                    rebased.path = ""
                } else if diagnostic.path.hasPrefix(prefix + ".") {
                    rebased.path = String(diagnostic.path.dropFirst(prefix.count + 1))
                }
                issues.append(rebased)
            }
        }
        if !issues.isEmpty { throw APIError.invalid(issues) }
    }
}
