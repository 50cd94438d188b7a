import Foundation

/// The input each row of `docs/errors.md` writes: the catalogue's small workspace with some text
/// replaced, and the files beside it.
struct CatalogueInput: Sendable {
    /// What the connection points at, as `$ORIGIN`.
    enum Application: Sendable {
        case none
        /// A HubSpot mock that accepts only this token.
        case mock(token: String)
        /// A loopback port where nothing listens.
        case closedPort
    }

    var edits: [(String, String)] = []
    var files: [String: [UInt8]] = [:]
    /// The workspace file's name; `nil` writes none.
    var workspaceName: String? = "outflow.json"
    /// The whole workspace file, instead of the edited base.
    var workspaceText: String?
    var application: Application = .none

    /// The catalogue's workspace, as docs/errors.md describes it.
    static let base = """
        {
          "name": "cat",
          "warehouse": { "profiles": { "path": "p.csv",
            "schema": { "kind": "object", "properties": [
              { "name": "id", "type": { "kind": "int", "bitSize": 32 } },
              { "name": "email", "type": { "kind": "string" }, "nullable": true },
              { "name": "age", "type": { "kind": "int", "bitSize": 16 }, "nullable": true } ] },
            "key": "id" } },
          "connections": [ { "id": 1, "name": "Mock HubSpot", "connector": "hubspot", "settings": {}, "mock": true } ],
          "pipelines": [ {
            "id": 10, "name": "P", "connection": 1, "target": "User", "enabled": true, "filter": null,
            "matching": { "in": "email", "out": "email" }, "exportMode": "CreateOrUpdate", "updateOnDuplicates": false,
            "transformation": { "mapping": { "firstname": "email" } },
            "inSchema": { "kind": "object", "properties": [ { "name": "email", "type": { "kind": "string" }, "nullable": true } ] },
            "outSchema": { "kind": "object", "properties": [
              { "name": "email", "type": { "kind": "string" }, "nullable": true },
              { "name": "firstname", "type": { "kind": "string" }, "nullable": true } ] }
          } ]
        }
        """

    static let csv = "id,email,age\n1,a@x.org,30\n"

    func write(to directory: URL, origin: String) throws {
        if let workspaceName {
            var text = workspaceText ?? Self.base
            for (old, new) in edits {
                guard text.contains(old) else { throw CatalogueError("the base workspace has no \(old)") }
                // The first occurrence only: the profile schema's `email` comes before outSchema's.
                guard let range = text.range(of: old) else { continue }
                text.replaceSubrange(range, with: new.replacingOccurrences(of: "$ORIGIN", with: origin))
            }
            try text.write(to: directory.appendingPathComponent(workspaceName), atomically: true, encoding: .utf8)
        }
        var files = files
        if files["p.csv"] == nil { files["p.csv"] = Array(Self.csv.utf8) }
        for (name, bytes) in files { try Data(bytes).write(to: directory.appendingPathComponent(name)) }
    }

    // MARK: - Building blocks

    static func csv(_ text: String) -> CatalogueInput { CatalogueInput(files: ["p.csv": Array(text.utf8)]) }
    static func csvBytes(_ bytes: [UInt8]) -> CatalogueInput { CatalogueInput(files: ["p.csv": bytes]) }
    static let inSchemaWithAge = #""inSchema": { "kind": "object", "properties": [ { "name": "email", "type": { "kind": "string" }, "nullable": true }, { "name": "age", "type": { "kind": "int", "bitSize": 16 }, "nullable": true } ] },"#
    static let inSchemaEmailOnly = #""inSchema": { "kind": "object", "properties": [ { "name": "email", "type": { "kind": "string" }, "nullable": true } ] },"#
    /// A CSV file with pipeline 10 reading `age` too (run and preview decode only the columns a
    /// pipeline reads, so a bad `age` cell matters only then).
    static func csvReadingAge(_ text: String) -> CatalogueInput {
        CatalogueInput(edits: [(inSchemaEmailOnly, inSchemaWithAge)], files: ["p.csv": Array(text.utf8)])
    }
    static func edit(_ old: String, _ new: String) -> CatalogueInput { CatalogueInput(edits: [(old, new)]) }
    static func source(_ format: String, _ bytes: [UInt8]) -> CatalogueInput {
        CatalogueInput(edits: [(#""path": "p.csv","#, #""path": "p.\#(format)", "format": "\#(format)","#)], files: ["p.\(format)": bytes])
    }
    static func json(_ text: String) -> CatalogueInput { source("json", Array(text.utf8)) }
    static func ndjson(_ text: String) -> CatalogueInput { source("ndjson", Array(text.utf8)) }
    static func property(_ name: String, _ type: String) -> CatalogueInput {
        let old: String
        switch name {
        case "email": old = #"{ "name": "email", "type": { "kind": "string" }, "nullable": true },"#
        default: old = #"{ "name": "age", "type": { "kind": "int", "bitSize": 16 }, "nullable": true } ] },"#
        }
        let new = name == "email"
            ? #"{ "name": "email", "type": \#(type), "nullable": true },"# : #"{ "name": "age", "type": \#(type), "nullable": true } ] },"#
        return edit(old, new)
    }
    static let mapping = #""transformation": { "mapping": { "firstname": "email" } },"#
    static func mapping(_ members: String) -> CatalogueInput { edit(mapping, #""transformation": { "mapping": { \#(members) } },"#) }
    static let outSchemaTail = #"{ "name": "firstname", "type": { "kind": "string" }, "nullable": true } ] }"#
    /// A mapping over an outSchema that also has `n` (int(8)) and `tags` (array(string)), and an
    /// inSchema that also has `age`.
    static func typedMapping(_ members: String, csv: String = csv) -> CatalogueInput {
        CatalogueInput(
            edits: [
                (mapping, #""transformation": { "mapping": { \#(members) } },"#),
                (
                    outSchemaTail,
                    #"{ "name": "firstname", "type": { "kind": "string" }, "nullable": true }, { "name": "n", "type": { "kind": "int", "bitSize": 8 }, "nullable": true }, { "name": "tags", "type": { "kind": "array", "elementType": { "kind": "string" } }, "nullable": true } ] }"#
                ),
                (inSchemaEmailOnly, inSchemaWithAge),
            ], files: ["p.csv": Array(csv.utf8)])
    }
    static func function(_ source: String, language: String = "Python", extra: String = "") -> CatalogueInput {
        let encoded = (try? JSONEncoder().encode(source)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        return edit(
            mapping,
            #""transformation": { "function": { "language": "\#(language)", "source": \#(encoded), "preserveJSON": false, "inPaths": ["email"], "outPaths": ["firstname"] } },\#(extra)"#
        )
    }
    static let connection = #""settings": {}, "mock": true }"#
    static func settings(_ settings: String, connector: String = "hubspot", application: Application = .none) -> CatalogueInput {
        var input = CatalogueInput(edits: [(connection, #""settings": \#(settings) }"#)], application: application)
        if connector != "hubspot" { input.edits.append((#""connector": "hubspot""#, #""connector": "\#(connector)""#)) }
        return input
    }
    static func workspace(_ text: String, name: String = "outflow.json") -> CatalogueInput {
        CatalogueInput(workspaceName: name, workspaceText: text)
    }

    static let pipeline = #""id": 10, "name": "P", "connection": 1,"#
    static let lastPipelineEnd = "\"nullable\": true } ] }\n  } ]"
    static let secondPipeline =
        #""nullable": true } ] } }, { "id": 11, "name": "Q", "connection": 1, "target": "User", "matching": { "in": "email", "out": "email" }, "exportMode": "CreateOrUpdate", "transformation": { "mapping": { "firstname": "email" } }, "inSchema": { "kind": "object", "properties": [ { "name": "email", "type": { "kind": "string" }, "nullable": true } ] }, "outSchema": { "kind": "object", "properties": [ { "name": "email", "type": { "kind": "string" }, "nullable": true }, { "name": "firstname", "type": { "kind": "string" }, "nullable": true } ] } } ]"#

    /// The input of each row, by id.
    static let cases: [String: CatalogueInput] = {
        var cases: [String: CatalogueInput] = [
            // CSV
            "csv-unclosed-quote": csv("id,email,age\n1,\"a@x.org,30\n"),
            "csv-text-after-quote": csv("id,email,age\n1,\"a\"b@x.org,30\n2,b@x.org,3\n"),
            "csv-too-few-fields": csv("id,email,age\n1,a@x.org\n"),
            "csv-too-many-fields": csv("id,email,age\n1,a@x.org,3,4\n"),
            "csv-unknown-column": csv("id,emial,age\n1,a@x.org,3\n"),
            "csv-unknown-column-run": csv("id,emial,age\n1,a@x.org,3\n"),
            "csv-duplicate-column": csv("id,email,email\n1,a@x.org,3\n"),
            "csv-empty-file": csv(""),
            "csv-not-an-int": csvReadingAge("id,email,age\n1,a@x.org,abc\n"),
            "csv-not-an-int-run": csvReadingAge("id,email,age\n1,a@x.org,abc\n"),
            "csv-out-of-range": csvReadingAge("id,email,age\n1,a@x.org,99999\n"),
            "csv-not-utf8": csvBytes(Array("id,email,age\n1,a".utf8) + [0xFF] + Array("@x.org,3\n".utf8)),
            "csv-missing-file": edit(#""path": "p.csv""#, #""path": "nope.csv""#),
            "csv-missing-file-preview": edit(#""path": "p.csv""#, #""path": "nope.csv""#),
            // JSON and NDJSON
            "json-syntax": json("[{\"id\":1,\"email\":\"a@x.org\"},\n {\"id\":2, \"email\": }]\n"),
            "json-missing-comma": json("[{\"id\":1,\"email\":\"a@x.org\"},\n {\"id\":2 \"email\": \"b\"}]\n"),
            "json-not-array": json("{\"id\":1,\"email\":\"a@x.org\"}\n"),
            "json-truncated": json("[{\"id\":1,\"email\":\"a@x.org\"}"),
            "json-not-utf8": source("json", Array("[{\"id\":1,\"email\":\"a".utf8) + [0xFF] + Array("@x.org\"}]\n".utf8)),
            "json-wrong-type": json("[{\"id\":1,\"email\":\"a@x.org\",\"age\":\"x\"}]\n"),
            "json-element-not-object": json("[{\"id\":1,\"email\":\"a@x.org\"}, 5]\n"),
            "json-unknown-member": json("[{\"id\":1,\"email\":\"a@x.org\",\"color\":\"red\"}]\n"),
            "ndjson-syntax": ndjson("{\"id\":1,\"email\":\"a@x.org\"}\n{\"id\":2,\"email\":\n"),
            "ndjson-array": ndjson("[1,2]\n"),
            "ndjson-wrong-type": ndjson("{\"id\":1,\"email\":5}\n"),
            "ndjson-null": ndjson("{\"id\":null,\"email\":\"a@x.org\"}\n"),
            "ndjson-not-utf8": source("ndjson", Array("{\"id\":1,\"email\":\"a".utf8) + [0xFF] + Array("@x.org\"}\n".utf8)),
            // Types
            "type-unknown-kind": property("age", #"{ "kind": "integer" }"#),
            "type-bit-size": property("age", #"{ "kind": "int", "bitSize": 12 }"#),
            "type-minimum-over-maximum": property("age", #"{ "kind": "int", "bitSize": 16, "minimum": 10, "maximum": 1 }"#),
            "type-decimal-scale": property("age", #"{ "kind": "decimal", "precision": 2, "scale": 5 }"#),
            "type-bad-pattern": property("email", #"{ "kind": "string", "pattern": "([" }"#),
            "type-array-without-element": property("email", #"{ "kind": "array" }"#),
            // Workspace file
            "ws-unknown-key": edit(#""pipelines": ["#, #""pipeline": [], "pipelines": ["#),
            "ws-missing-name": edit(#""name": "cat","#, ""),
            "ws-missing-warehouse": edit(
                #""warehouse": { "profiles": { "path": "p.csv","#, #""warehouseless": { "profiles": { "path": "p.csv","#),
            "ws-bad-format": edit(#""path": "p.csv","#, #""path": "p.csv", "format": "xml","#),
            "ws-unknown-key-property": edit(#""key": "id""#, #""key": "ident""#),
            "ws-duplicate-connection-id": edit(connection, #""settings": {}, "mock": true }, { "id": 1, "name": "Other", "connector": "hubspot", "settings": {}, "mock": true }"#),
            "ws-duplicate-pipeline-id": edit(lastPipelineEnd, secondPipeline.replacingOccurrences(of: #""id": 11, "name": "Q""#, with: #""id": 10, "name": "Q""#)),
            "ws-duplicate-pipeline-name": edit(lastPipelineEnd, secondPipeline.replacingOccurrences(of: #""id": 11, "name": "Q""#, with: #""id": 11, "name": "P""#)),
            "ws-unknown-connector": edit(#""connector": "hubspot""#, #""connector": "hubspott""#),
            "ws-json-syntax": workspace("{\"name\": \"x\",\n \"warehouse\": }\n"),
            "ws-not-object": workspace("[1]"),
            "ws-yaml-syntax": workspace("name: x\nwarehouse:\n  profiles: [a\n", name: "outflow.yaml"),
            "ws-yaml-tab": workspace("name: x\n\twarehouse: 1\n", name: "outflow.yaml"),
            "ws-yaml-duplicate-key": workspace("name: x\nname: y\n", name: "outflow.yaml"),
            "ws-no-such-file": CatalogueInput(workspaceName: nil),
            "ws-no-default-file": CatalogueInput(workspaceName: "other.json"),
            "ws-unknown-flag": CatalogueInput(),
            // Pipeline
            "pl-name-too-long": edit(pipeline, #""id": 10, "name": "\#(String(repeating: "x", count: 61))", "connection": 1,"#),
            "pl-name-empty": edit(pipeline, #""id": 10, "name": "", "connection": 1,"#),
            "pl-export-mode": edit(#""exportMode": "CreateOrUpdate""#, #""exportMode": "Upsert""#),
            "pl-matching-in": edit(#""matching": { "in": "email""#, #""matching": { "in": "mail""#),
            "pl-matching-out": edit(#""out": "email" }"#, #""out": "emailaddress" }"#),
            "pl-matching-written": edit(#""out": "email" }"#, #""out": "firstname" }"#),
            "pl-connection": edit(pipeline, #""id": 10, "name": "P", "connection": 9,"#),
            "pl-target": edit(#""target": "User""#, #""target": "Group""#),
            "pl-in-schema": edit(
                #""inSchema": { "kind": "object", "properties": [ { "name": "email", "type": { "kind": "string" }, "nullable": true } ] },"#,
                #""inSchema": { "kind": "object", "properties": [ { "name": "email", "type": { "kind": "string" }, "nullable": true }, { "name": "zip", "type": { "kind": "string" } } ] },"#
            ),
            "pl-two-transformations": edit(
                mapping,
                #""transformation": { "mapping": { "firstname": "email" }, "function": { "language": "Python", "source": "def transform(user):\n    return {}\n", "preserveJSON": false, "inPaths": ["email"], "outPaths": ["firstname"] } },"#
            ),
            "pl-schedule-period": edit(#""enabled": true,"#, #""enabled": true, "schedulePeriod": "7m","#),
            "pl-unknown-run": CatalogueInput(),
            "pl-unknown-preview": CatalogueInput(),
            "pl-unknown-state-reset": CatalogueInput(),
            // Expressions
            "ex-syntax": mapping(#""firstname": "upper(email""#),
            "ex-syntax-run": mapping(#""firstname": "upper(email""#),
            "ex-unexpected-character": mapping(#""firstname": "email + 1""#),
            "ex-unknown-property": mapping(#""firstname": "upper(emial)""#),
            "ex-unknown-function": mapping(#""firstname": "uppr(email)""#),
            "ex-unknown-output": mapping(#""lastname": "email""#),
            "ex-type-mismatch": typedMapping(#""tags": "email""#),
            "ex-literal-never-fits": typedMapping(#""n": "\"abc\"""#),
            "ex-negative-length": mapping(#""firstname": "substring(email, 1, -2)""#),
            "ex-out-of-range": typedMapping(#""n": "age""#, csv: "id,email,age\n1,a@x.org,300\n"),
            "ex-not-convertible": typedMapping(#""n": "email""#),
            "ex-max-length": edit(outSchemaTail, #"{ "name": "firstname", "type": { "kind": "string", "maxLength": 3 }, "nullable": true } ] }"#),
            // Functions
            "fn-syntax-python": function("def transform(user)\n    return {}\n"),
            "fn-syntax-python-preview": function("def transform(user)\n    return {}\n"),
            "fn-syntax-python-run": function("def transform(user)\n    return {}\n"),
            "fn-syntax-javascript": function("function transform(user) { return {; }", language: "JavaScript"),
            "fn-no-transform": function("def other(user):\n    return {}\n"),
            "fn-language": function("x", language: "Ruby"),
            "fn-exception-python": function("def transform(user):\n    return {'firstname': user['nope']}\n"),
            "fn-exception-javascript": function("function transform(user) { return {firstname: user.x.y}; }", language: "JavaScript"),
            "fn-timeout": function("def transform(user):\n    while True:\n        pass\n", extra: #" "functionTimeout": 1,"#),
            "fn-returns-none": function("def transform(user):\n    return None\n"),
            "fn-returns-unknown-key": function("def transform(user):\n    return {'plan': 'x'}\n"),
            "fn-returns-wrong-type": function("def transform(user):\n    return {'firstname': [1]}\n"),
            // Connector settings
            "set-missing": settings("{}"),
            "set-missing-run": settings("{}"),
            "set-unknown": settings(#"{ "accessToken": "x", "acessToken": "y" }"#),
            "set-variable-unset": settings(#"{ "accessToken": "${HS_TOKEN_UNSET}" }"#),
            "set-variable-unset-run": settings(#"{ "accessToken": "${HS_TOKEN_UNSET}" }"#),
            "set-wrong-type": settings(#"{ "accessToken": 5 }"#),
            "set-baseurl-not-url": settings(#"{ "accessToken": "x", "baseURL": "api.hubapi.com" }"#),
            "set-baseurl-not-url-run": settings(#"{ "accessToken": "x", "baseURL": "api.hubapi.com" }"#),
            "set-mailchimp-no-data-centre-validate": settings(#"{ "apiKey": "nodc", "listId": "x" }"#, connector: "mailchimp"),
            "set-mailchimp-no-data-centre": settings(#"{ "apiKey": "nodc", "listId": "x" }"#, connector: "mailchimp"),
            "set-mock-unknown-key": edit(connection, #""settings": {}, "mock": { "faults": "x" } }"#),
            "set-mock-fault-probability": edit(connection, #""settings": {}, "mock": { "fault": "429=1.5" } }"#),
            "set-mock-fault-unknown": edit(connection, #""settings": {}, "mock": { "fault": "430=0.1" } }"#),
            "set-mock-fault-sum": edit(connection, #""settings": {}, "mock": { "fault": "429=0.6,500=0.6" } }"#),
            "set-mock-users-missing": edit(connection, #""settings": {}, "mock": { "users": "nope.json" } }"#),
            "set-unknown-connection": CatalogueInput(),
            // Network
            "net-refused-test": settings(#"{ "accessToken": "x", "baseURL": "$ORIGIN" }"#, application: .closedPort),
            "net-refused-run": settings(#"{ "accessToken": "x", "baseURL": "$ORIGIN" }"#, application: .closedPort),
            "net-dns": settings(#"{ "accessToken": "x", "baseURL": "http://nosuchhost.invalid" }"#),
        ]
        // Authentication
        for id in ["auth-test", "auth-schema", "auth-validate-remote", "auth-run"] {
            cases[id] = settings(#"{ "accessToken": "wrong", "baseURL": "$ORIGIN" }"#, application: .mock(token: "right"))
        }
        return cases
    }()
}
