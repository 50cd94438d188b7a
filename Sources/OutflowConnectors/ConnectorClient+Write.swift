import OutflowCore
import OutflowHTTP

/// Creating, updating and upserting users in batches, with the per-user result mapping of DESIGN 9b:
/// a whole-batch failure is split in halves until the bad user is alone, and a conflict that names
/// the existing user becomes an update of that user.
extension ConnectorClient {
    /// The kind of write, which decides the default action of a result and whether a lost answer is unknown.
    enum WriteKind: String, Sendable {
        case create, update, upsert
    }

    /// One user of a write: its user object, and the app id for an update.
    struct WriteItem: Sendable {
        var user: ValueObject
        var appID: String?
        var pipelineID: Int64?
        var matchingValue: String?

        /// The item's deterministic id (``DeliveryID/item(pipeline:matchingValue:payload:)``).
        ///
        /// Computed when a template, a signature or a result without an id asks for it, not for
        /// every item: it serialises the user and hashes it twice, which was a tenth of a whole
        /// HubSpot upsert sync's CPU while HubSpot never reads it.
        var deliveryID: String {
            DeliveryID.item(pipeline: pipelineID, matchingValue: matchingValue, payload: JSONByteWriter.bytes(Value.object(user).json))
        }
    }

    public func create(_ users: [ValueObject]) async -> [WriteResult] {
        await create(users, context: WriteContext())
    }

    public func create(_ users: [ValueObject], context: WriteContext) async -> [WriteResult] {
        guard let spec = connector.create else { return users.map { _ in .failed(message: unsupported("create users")) } }
        return await write(spec, kind: .create, items: users.map { item($0, appID: nil, context: context) })
    }

    public func update(_ items: [AppUserUpdate]) async -> [WriteResult] {
        guard let spec = connector.update else { return items.map { _ in .failed(message: unsupported("update users")) } }
        return await write(spec, kind: .update, items: items.map { item($0.user, appID: $0.id, context: WriteContext()) })
    }

    public func upsert(property: String, _ users: [ValueObject]) async -> [WriteResult] {
        await upsert(property: property, users, context: WriteContext())
    }

    public func upsert(property: String, _ users: [ValueObject], context: WriteContext) async -> [WriteResult] {
        guard let spec = connector.upsert, spec.properties.contains(property) else {
            return users.map { _ in .failed(message: unsupported("upsert users by \"\(property)\"")) }
        }
        return await write(spec, kind: .upsert, items: users.map { item($0, appID: nil, context: context) })
    }

    private func unsupported(_ operation: String) -> String {
        ApplicationError.unsupported(connector: connector.name, operation: operation).description
    }

    private func item(_ user: ValueObject, appID: String?, context: WriteContext) -> WriteItem {
        var matching: String?
        if let path = context.matchingProperty {
            var current: Value? = .object(user)
            for component in path.split(separator: ".") {
                if case .object(let object)? = current { current = object[String(component)] } else { current = nil }
            }
            matching = current?.text
        }
        return WriteItem(user: user, appID: appID, pipelineID: context.pipelineID, matchingValue: matching)
    }

    /// Writes `items` in batches of the spec's size, batches concurrently (the limiter paces them).
    func write(_ spec: WriteSpec, kind: WriteKind, items: [WriteItem]) async -> [WriteResult] {
        let size = batchSize(spec)
        let chunks = stride(from: 0, to: items.count, by: size).map { $0..<min($0 + size, items.count) }
        if chunks.isEmpty { return [] }
        if chunks.count == 1 { return await writeBatch(spec, kind: kind, items[chunks[0]]) }
        var results = [WriteResult](repeating: .failed(message: "not sent"), count: items.count)
        await withTaskGroup(of: (Range<Int>, [WriteResult]).self) { group in
            for range in chunks {
                group.addTask { (range, await writeBatch(spec, kind: kind, items[range])) }
            }
            for await (range, batch) in group {
                for (offset, result) in batch.enumerated() { results[range.lowerBound + offset] = result }
            }
        }
        return results
    }

    /// One request for `items`; splits and resolves conflicts as the answer requires.
    func writeBatch(_ spec: WriteSpec, kind: WriteKind, _ items: ArraySlice<WriteItem>) async -> [WriteResult] {
        let items = Array(items)
        var results = [WriteResult?](repeating: nil, count: items.count)
        var built: [(index: Int, json: JSONValue, scope: TemplateScope)] = []
        var usersJSON: [JSONValue] = []
        for item in items { usersJSON.append(Value.object(item.user).json) }
        let readsID = spec.item.mayRead("id") || spec.request.mayRead("id") || spec.results.defaultId?.mayRead("id") == true
        for (index, item) in items.enumerated() {
            var scope = TemplateScope(settings: settings)
            scope.user = usersJSON[index]
            scope.users = .array(usersJSON)
            if let appID = item.appID {
                scope.id = .string(appID)
            } else if readsID {
                scope.id = .string(item.deliveryID)
            }
            scope.index = .number(String(index))
            do {
                built.append((index, try spec.item.evaluate(scope) ?? .null, scope))
            } catch {
                results[index] = .failed(message: "\(connector.name): \(error)")
            }
        }
        guard !built.isEmpty else { return results.map { $0 ?? .failed(message: "not sent") } }
        var scope = built.count == 1 ? built[0].scope : TemplateScope(settings: settings)
        scope.users = .array(built.map { usersJSON[$0.index] })
        let body: JSONValue
        if let wrapper = spec.wrapper {
            let base: JSONValue
            do {
                base = try spec.request.body?.evaluate(scope) ?? .object(JSONObject())
            } catch {
                for entry in built { results[entry.index] = .failed(message: "\(connector.name): \(error)") }
                return results.map { $0 ?? .failed(message: "not sent") }
            }
            body = BodyBuilder.insert(.array(built.map(\.json)), at: wrapper, in: base)
        } else {
            body = built[0].json
        }
        let answer: Answer
        do {
            answer = try await send(
                spec.request, scope: scope, body: body, signatureIDs: connector.signature == nil ? nil : built.map { items[$0.index].deliveryID },
                trim: spec.results.trim)
        } catch {
            let result: WriteResult
            switch error {
            case .http(.outcomeUnknown(_, let reason)):
                result = .outcomeUnknown(reason: "the answer was lost (\(reason)); the user may or may not have been written")
            case .http(.hostNotAllowed), .http(.invalidURL):
                // Every batch would meet the same refusal: stop the run now (DESIGN 9).
                result = .rejected(failure(error, "\(kind)"))
            case .http(let error): result = .failed(message: "\(connector.name): \(error)")
            case .template(let error): result = .failed(message: "\(connector.name): \(error)")
            }
            for entry in built { results[entry.index] = result }
            return results.map { $0 ?? .failed(message: "not sent") }
        }
        if answer.response.isSuccess {
            let mapped = await mapAnswer(answer, spec: spec, kind: kind, built: built.map { (json: $0.json, scope: $0.scope, item: items[$0.index]) })
            for (offset, entry) in built.enumerated() { results[entry.index] = mapped[offset] }
            return results.map { $0 ?? .failed(message: "not sent") }
        }
        let text = message(answer)
        if answer.status == 401 || answer.status == 403 {
            let error = ApplicationError.authenticationFailed(connector: connector.name, status: answer.status, message: text)
            for entry in built { results[entry.index] = .rejected(error) }
        } else if built.count == 1, kind != .update, let conflict = spec.conflict, conflict.statuses.contains(answer.status),
            let existing = conflict.existingId(in: text, json: answer.json, scope: built[0].scope)
        {
            results[built[0].index] = await resolveConflict(items[built[0].index], existingID: existing)
        } else if let rejected = spec.rejectedItems, rejected.statuses.contains(answer.status),
            let bad = rejected.indexes(in: text, count: built.count)
        {
            var again: [WriteItem] = []
            var againIndexes: [Int] = []
            for (position, entry) in built.enumerated() {
                if bad.contains(position) {
                    results[entry.index] = .failed(message: "\(connector.name): HTTP \(answer.status): \(text)")
                } else {
                    again.append(items[entry.index])
                    againIndexes.append(entry.index)
                }
            }
            if !again.isEmpty {
                let retried = await writeBatch(spec, kind: kind, again[...])
                for (offset, index) in againIndexes.enumerated() { results[index] = retried[offset] }
            }
        } else if built.count > 1, spec.splitStatuses.contains(answer.status) {
            let sent = built.map { items[$0.index] }
            let half = sent.count / 2
            async let first = writeBatch(spec, kind: kind, sent[..<half])
            async let second = writeBatch(spec, kind: kind, sent[half...])
            let split = await first + second
            for (offset, entry) in built.enumerated() { results[entry.index] = split[offset] }
        } else {
            for entry in built { results[entry.index] = .failed(message: "\(connector.name): HTTP \(answer.status): \(text)") }
        }
        return results.map { $0 ?? .failed(message: "not sent") }
    }

    /// A create that met an existing user becomes an update of it (result `.updated`).
    func resolveConflict(_ item: WriteItem, existingID: String) async -> WriteResult {
        guard let spec = connector.update else {
            return .failed(message: "\(connector.name): the user already exists (id \(existingID)) and the connector cannot update")
        }
        let updated = await writeBatch(spec, kind: .update, [WriteItem(user: item.user, appID: existingID, pipelineID: item.pipelineID, matchingValue: item.matchingValue)][...])
        return updated.first ?? .failed(message: "not sent")
    }

    /// Each item's result from a successful answer (2xx, 207 included), by the spec's `results`.
    private func mapAnswer(_ answer: Answer, spec: WriteSpec, kind: WriteKind, built: [(json: JSONValue, scope: TemplateScope, item: WriteItem)])
        async
        -> [WriteResult]
    {
        let rules = spec.results
        var results = [WriteResult?](repeating: nil, count: built.count)
        var conflicts: [(Int, String)] = []
        func success(_ action: ResultSpec.Action, record: JSONValue?, at index: Int) {
            let id =
                record.flatMap { rules.id.string($0) } ?? built[index].item.appID
                ?? (try? rules.defaultId?.string(built[index].scope)).flatMap { $0 } ?? built[index].item.deliveryID
            var created: Bool
            switch action {
            case .created: created = true
            case .updated: created = false
            case .operation:
                created = kind != .update
                if created, let statuses = rules.createdStatuses {
                    created = statuses.contains(record.flatMap { recordStatus($0) } ?? answer.status)
                }
            case .flag(let path): created = record.flatMap { path.read($0) } == .bool(true)
            }
            results[index] = created ? .created(id: id) : .updated(id: id)
        }
        func recordStatus(_ record: JSONValue) -> Int? { rules.status.flatMap { $0.string(record) }.flatMap { Int($0) } }
        func isSuccess(_ record: JSONValue) -> Bool { recordStatus(record).map { (200..<300).contains($0) } ?? true }
        guard let json = answer.json else {
            // An empty 2xx (a webhook's 204): every item was accepted.
            for index in built.indices { success(.operation, record: nil, at: index) }
            return results.map { $0 ?? .failed(message: "not sent") }
        }
        // Which item a record or an error answers.
        var byCorrelation: [String: Int] = [:]
        var byKey: [String: Int] = [:]
        switch rules.by {
        case .correlation:
            for (index, entry) in built.enumerated() {
                if let key = rules.correlation.string(entry.json) { byCorrelation[key] = index }
            }
        case .key:
            for (index, entry) in built.enumerated() {
                if let key = try? rules.itemKey?.string(entry.scope) { byKey[key] = index }
            }
        case .index: break
        }
        func owner(_ record: JSONValue, position: Int, correlation: ResponsePath) -> Int? {
            switch rules.by {
            case .index: return position < built.count ? position : nil
            case .correlation: return correlation.string(record).flatMap { byCorrelation[$0] }
            case .key:
                var scope = TemplateScope(settings: settings)
                scope.record = record
                return (try? rules.recordKey?.string(scope)).flatMap { $0 }.flatMap { byKey[$0] }
            }
        }
        for source in rules.records {
            let records: [JSONValue]
            switch source.path.read(json) {
            case .array(let items)?: records = items
            case nil, .null?: records = []
            case let single?: records = [single]
            }
            for (position, record) in records.enumerated() where isSuccess(record) {
                if let index = owner(record, position: position, correlation: rules.correlation), results[index] == nil {
                    success(source.action, record: record, at: index)
                }
            }
        }
        if let errorsPath = rules.errors, case .array(let errors)? = errorsPath.read(json) {
            for (position, error) in errors.enumerated() {
                if rules.status != nil, isSuccess(error) { continue }
                guard let index = owner(error, position: position, correlation: rules.errorCorrelation), results[index] == nil else { continue }
                let text = rules.errorMessage.lazy.compactMap { $0.string(error) }.first ?? JSONWriter.string(error)
                if kind != .update, let conflict = spec.conflict,
                    let existing = conflict.existingId(in: text, json: error, scope: built[index].scope)
                {
                    conflicts.append((index, existing))
                    results[index] = .failed(message: "conflict")
                } else {
                    results[index] = .failed(message: "\(connector.name): \(text)")
                }
            }
        }
        for (index, existing) in conflicts {
            results[index] = await resolveConflict(built[index].item, existingID: existing)
        }
        return results.map { $0 ?? .failed(message: "\(connector.name): the application's answer does not mention this user") }
    }
}
