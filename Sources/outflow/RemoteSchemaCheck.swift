import OutflowConnectors
import OutflowCore
import OutflowWorkspace

/// `validate --remote`: each pipeline's outSchema and `matching.out` checked against the live user
/// properties of its connection's application (read once per connection).
enum RemoteSchemaCheck {
    static func problems(_ clients: ConnectionClients) async -> [Diagnostic] {
        let file = clients.file
        var problems: [Diagnostic] = []
        var schemas: [Int64: ObjectType] = [:]
        for (index, connection) in file.workspace.connections.enumerated() {
            guard file.workspace.pipelines.contains(where: { $0.connection == connection.id }) else { continue }
            if ConnectorRegistry.planned.contains(connection.connector), clients.registry.connector(named: connection.connector) == nil {
                problems.append(
                    Diagnostic(
                        file: file.path,
                        path: "connections[\(index)].connector",
                        message: "the \(connection.connector) connector is planned, not available yet: its schema cannot be read"
                    )
                )
                continue
            }
            do {
                let client = try await clients.client(for: connection)
                if !client.connector.schema.open { schemas[connection.id] = try await client.schema() }
            } catch {
                problems.append(
                    Diagnostic(
                        file: file.path,
                        path: "connections[\(index)]",
                        message: "could not read the application's schema: \(error.description)"
                    )
                )
            }
        }
        for (index, pipeline) in file.workspace.pipelines.enumerated() {
            guard let live = schemas[pipeline.connection] else { continue }
            let connector = file.workspace.connections.first { $0.id == pipeline.connection }?.connector ?? "the application"
            let base = "pipelines[\(index)]"
            problems += compare(
                pipeline.outSchema.properties,
                live.properties,
                prefix: "",
                path: base + ".outSchema",
                connector: connector,
                file: file.path
            )
            if let path = PropertyPath(parsing: pipeline.matching.out), live.property(at: path) == nil {
                problems.append(
                    Diagnostic(
                        file: file.path,
                        path: base + ".matching.out",
                        message: "property \"\(pipeline.matching.out)\" is not among \(connector)'s user properties"
                            + Suggestion.hint(for: pipeline.matching.out, in: live.paths.map(\.description))
                    )
                )
            }
        }
        return problems
    }

    private static func compare(_ wanted: [Property], _ live: [Property], prefix: String, path: String, connector: String, file: String)
        -> [Diagnostic]
    {
        var problems: [Diagnostic] = []
        for (index, property) in wanted.enumerated() {
            let here = "\(path).properties[\(index)]"
            let name = prefix + property.name
            guard let found = live.first(where: { $0.name == property.name }) else {
                problems.append(
                    Diagnostic(
                        file: file,
                        path: here,
                        message: "property \"\(name)\" is not among \(connector)'s user properties"
                            + Suggestion.hint(for: property.name, in: live.map(\.name))
                    )
                )
                continue
            }
            switch (property.type, found.type) {
            case (.object(let a), .object(let b)):
                problems += compare(a.properties, b.properties, prefix: name + ".", path: here + ".type", connector: connector, file: file)
            case (.object, .json):
                // A json property takes any members (Klaviyo `properties`, Stripe `metadata`).
                break
            case (.object, _):
                problems.append(
                    Diagnostic(file: file, path: here, message: "property \"\(name)\" is an object here but \(found.type.name) in \(connector)")
                )
            default:
                break
            }
        }
        return problems
    }
}
