import ArgumentParser
import OutflowConnectors
import OutflowCore

/// `outflow connections schema ID [WORKSPACE]`: the application's user properties, as outSchema may name them.
struct ConnectionsSchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the application's user properties (what a pipeline's outSchema and matching.out may name).",
        discussion: """
            Reads the properties live where the connector can (HubSpot's contact properties, \
            Mailchimp's merge fields) and adds the connector's static ones. Prints one line per \
            property: PATH<TAB>KIND[<TAB>createRequired], nested properties as dotted paths \
            (merge_fields.FNAME); --json prints the schema as workspace-file JSON instead.

            Exit codes: 0 printed; 1 the schema could not be read.
            """
    )

    @Argument(help: "The connection's id (or name).")
    var id: String

    @Argument(help: "The workspace file. Default: ./outflow.json, then ./outflow.yaml, ./outflow.yml.")
    var workspace: String?

    @Flag(name: .long, help: "Print the schema as JSON ({\"kind\":\"object\",\"properties\":[...]}).")
    var json = false

    @OptionGroup var connectors: ConnectorsOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (file, registry) = try loadWorkspaceAndConnectors(workspace, connectors: connectors.connectors)
        let clients = ConnectionClients(file: file, registry: registry)
        let connection = try clients.connection(id)
        let schema: ObjectType
        do {
            let client = try await clients.client(for: connection)
            schema = try await client.schema()
            await clients.stop()
        } catch {
            await clients.stop()
            printError("connection \(connection.id) (\(connection.name)): \(error.description)")
            throw ExitCode(1)
        }
        var out = StandardStream.standardOutput()
        if json {
            out.line(JSONWriter.string(schema.json))
        } else {
            if schema.properties.isEmpty { printError("the \(connection.connector) connector takes any properties; it has no fixed schema") }
            for line in Self.lines(schema.properties, prefix: "") { out.line(line) }
        }
        out.flush()
    }

    static func lines(_ properties: [Property], prefix: String) -> [String] {
        properties.flatMap { property -> [String] in
            let path = prefix + property.name
            if case .object(let object) = property.type { return lines(object.properties, prefix: path + ".") }
            return [path + "\t" + property.type.name + (property.createRequired ? "\tcreateRequired" : "")]
        }
    }
}
