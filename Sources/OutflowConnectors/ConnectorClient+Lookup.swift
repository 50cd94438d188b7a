import OutflowCore
import OutflowHTTP

/// Finding app users by matching values (DESIGN 9: in batches; exact unless the connector declares
/// the property case-insensitive, then both sides are folded to lower case before comparing).
extension ConnectorClient {
    public func lookup(property: String, values: [Value]) async throws(ApplicationError) -> [[AppUser]] {
        guard let spec = connector.lookups.first(where: { $0.accepts(property) }) else {
            throw .unsupported(connector: connector.name, operation: "look users up by \"\(property)\"")
        }
        if values.isEmpty { return [] }
        let folded = connector.caseInsensitiveProperties.contains(property)
        let keys = values.map { Self.key($0.json, folded: folded) }
        var found = [[AppUser]](repeating: [], count: values.count)
        func assign(_ record: JSONValue, default index: Int?) {
            guard let id = spec.id.string(record) else { return }
            let match = spec.match.read(record, property: property)
            let user = AppUser(id: id, matchingValue: match.map(Self.value))
            if let match, let key = Self.key(match, folded: folded) {
                var assigned = false
                for (i, k) in keys.enumerated() where k == key && !found[i].contains(user) {
                    found[i].append(user)
                    assigned = true
                }
                if assigned { return }
            }
            if let index, !found[index].contains(user) { found[index].append(user) }
        }
        let sent = values.map { value -> JSONValue in
            let json = value.json
            if folded, case .string(let text) = json { return .string(text.lowercased()) }
            return json
        }
        let what = "lookup by \(property)"
        switch spec.mode {
        case .batch:
            for start in stride(from: 0, to: values.count, by: spec.batchSize) {
                let chunk = Array(sent[start..<min(start + spec.batchSize, sent.count)])
                var scope = TemplateScope(settings: settings)
                scope.property = .string(property)
                scope.values = .array(chunk)
                var request = spec.request
                if let item = spec.item {
                    var items: [JSONValue] = []
                    for (offset, value) in chunk.enumerated() {
                        var itemScope = scope
                        itemScope.value = value
                        itemScope.index = .number(String(offset))
                        do {
                            items.append(try item.evaluate(itemScope) ?? .null)
                        } catch {
                            throw .requestFailed(connector: connector.name, message: "\(what): \(error)")
                        }
                    }
                    if let wrapper = spec.wrapper {
                        let body: JSONValue
                        do {
                            body = try request.body?.evaluate(scope) ?? .object(JSONObject())
                        } catch {
                            throw .requestFailed(connector: connector.name, message: "\(what): \(error)")
                        }
                        request.body = .literal(BodyBuilder.insert(.array(items), at: wrapper, in: body))
                    } else if let join = spec.join {
                        scope.items = .string(items.map { if case .string(let text) = $0 { text } else { JSONWriter.string($0) } }.joined(separator: join))
                    } else {
                        scope.items = .array(items)
                    }
                }
                let records = try await fetchLookup(request, spec: spec, scope: scope, property: property, what: what)
                for record in records { assign(record, default: nil) }
            }
        case .perValue:
            let perValue = await withTaskGroup(of: (Int, Result<[JSONValue], ApplicationError>).self) { group in
                for (index, value) in sent.enumerated() {
                    var scope = TemplateScope(settings: settings)
                    scope.property = .string(property)
                    scope.value = value
                    scope.values = .array([value])
                    scope.index = .number(String(index))
                    group.addTask {
                        do throws(ApplicationError) {
                            return (index, .success(try await fetchLookup(spec.request, spec: spec, scope: scope, property: property, what: what)))
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                }
                var out: [(Int, Result<[JSONValue], ApplicationError>)] = []
                for await result in group { out.append(result) }
                return out
            }
            // The most telling failure first: a refused credential or a missing list stops the run.
            if let systemic = perValue.compactMap({ if case .failure(let e) = $0.1, e.isSystemic { e } else { nil } }).first { throw systemic }
            for (index, result) in perValue {
                switch result {
                case .success(let records): for record in records { assign(record, default: index) }
                case .failure(let error): throw error
                }
            }
        case .list:
            var scope = TemplateScope(settings: settings)
            scope.property = .string(property)
            scope.values = .array(sent)
            let records = try await fetchLookup(spec.request, spec: spec, scope: scope, property: property, what: what)
            for record in records { assign(record, default: nil) }
        }
        return found
    }

    /// The records of one lookup request (all its pages); a `notFound` status is no record.
    private func fetchLookup(_ request: RequestSpec, spec: LookupSpec, scope: TemplateScope, property: String, what: String)
        async throws(ApplicationError)
        -> [JSONValue]
    {
        if spec.paging == nil, !spec.notFound.isEmpty {
            let answer: Answer
            do {
                answer = try await send(request, scope: scope)
            } catch {
                throw failure(error, what)
            }
            if spec.notFound.contains(answer.status) { return [] }
            guard answer.response.isSuccess else { throw failure(answer, what) }
            switch answer.json.flatMap({ spec.records.read($0, property: property) }) {
            case .array(let items)?: return items
            case nil, .null?: return []
            case let single?: return [single]
            }
        }
        return try await fetchPages(request, records: spec.records, paging: spec.paging, scope: scope, property: property, what: what)
    }

    /// The comparison key of a matching value: its text, lower-cased for case-insensitive properties.
    static func key(_ json: JSONValue, folded: Bool) -> String? {
        let text: String
        switch json {
        case .string(let s): text = s
        case .number(let n): text = n
        case .bool(let b): text = b ? "true" : "false"
        case .null: return nil
        default: text = JSONWriter.string(json)
        }
        return folded ? text.lowercased() : text
    }

    /// A matching value as the application holds it.
    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .string(let text): return .string(text)
        case .null: return .null
        default: return .json(json)
        }
    }
}

/// Building request bodies: the array of items goes at a dotted member path of the body template's value.
enum BodyBuilder {
    static func insert(_ items: JSONValue, at path: String, in body: JSONValue) -> JSONValue {
        let parts = path.split(separator: ".").map(String.init)
        return insert(items, at: parts[...], in: body)
    }

    private static func insert(_ items: JSONValue, at parts: ArraySlice<String>, in body: JSONValue) -> JSONValue {
        guard let first = parts.first else { return items }
        var object: JSONObject
        if case .object(let existing) = body { object = existing } else { object = JSONObject() }
        object[first] = insert(items, at: parts.dropFirst(), in: object[first] ?? .object(JSONObject()))
        return .object(object)
    }
}
