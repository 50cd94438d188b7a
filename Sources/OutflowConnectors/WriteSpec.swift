import Foundation
import OutflowCore

/// How a connector creates, updates or upserts users (DESIGN 9b `create`, `update`, `upsert`): one
/// request per batch whose body holds one `item` per user at `wrapper`, and how the answer maps
/// back to each user (``ResultSpec``).
///
/// ```json
/// "create": {
///   "request": {"method": "POST", "path": "/crm/v3/objects/contacts/batch/create"},
///   "batchSize": 100, "wrapper": "inputs",
///   "item": {"properties": "{{ user }}", "objectWriteTraceId": "{{ id }}"},
///   "results": {"by": "correlation", "records": "results", "correlation": "objectWriteTraceId", "id": "id",
///               "errors": {"path": "errors", "correlation": "context.objectWriteTraceId", "message": "message"}},
///   "conflict": {"existingIdAfter": "Existing ID: "}
/// }
/// ```
/// Without `wrapper` the body is the item itself and the batch size is 1 (Mailchimp's PATCH of one member).
public struct WriteSpec: Sendable {
    public var request: RequestSpec
    public var batchSize: Int
    public var wrapper: String?
    public var item: Template
    public var results: ResultSpec
    /// Whole-batch failures with these statuses split the batch in halves until the bad user is alone.
    public var splitStatuses: Set<Int>
    /// A conflict that names the existing user: the create becomes an update of that user.
    public var conflict: ConflictSpec?
    /// Upsert only: the unique properties it matches on.
    public var properties: [String]
    /// A connection setting that overrides `batchSize` (the webhook's `batchSize`).
    public var batchSizeSetting: String?
    /// A whole-batch refusal that names the positions of the bad items (Brevo's 404 `No contact
    /// found for indexes 1,3`): those fail, the others are sent again.
    public var rejectedItems: RejectedItemsSpec?

    static func decode(_ json: JSONValue, path: String, isUpsert: Bool, issues: inout [Diagnostic]) -> WriteSpec? {
        guard let object = JSONFields.object(json, path: path, issues: &issues) else { return nil }
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let request = fields.value("request", required: true).flatMap {
            RequestSpec.decode($0, path: fields.memberPath("request"), issues: &fields.issues)
        }
        let wrapper = fields.string("wrapper")
        var batchSize = fields.positiveInt("batchSize", maximum: 10_000) ?? (wrapper == nil ? 1 : 100)
        if wrapper == nil, batchSize != 1 {
            fields.issues.append(Diagnostic(path: fields.memberPath("batchSize"), message: "must be 1 without a \"wrapper\" (the body is one item)"))
            batchSize = 1
        }
        let batchSizeSetting = fields.string("batchSizeSetting")
        let item = fields.template("item", required: true)
        let results = fields.objectMember("results").map { ResultSpec.decode($0, path: fields.memberPath("results"), issues: &fields.issues) }
        let conflict = fields.objectMember("conflict").map { ConflictSpec.decode($0, path: fields.memberPath("conflict"), issues: &fields.issues) }
        let rejectedItems = fields.objectMember("rejectedItems").map {
            RejectedItemsSpec.decode($0, path: fields.memberPath("rejectedItems"), issues: &fields.issues)
        }
        if batchSizeSetting != nil, wrapper == nil {
            fields.issues.append(
                Diagnostic(path: fields.memberPath("batchSizeSetting"), message: "needs a \"wrapper\" (without one the body is one item)")
            )
        }
        var properties: [String] = []
        if isUpsert { properties = fields.stringArray("properties", required: true) ?? [] }
        let split = fields.value("split")
        var splitStatuses: Set<Int> = [400, 413, 422]
        if case .bool(false)? = split {
            splitStatuses = []
        } else if split != nil {
            if let object = fields.objectMember("split") {
                var s = JSONFields(object, path: fields.memberPath("split"))
                splitStatuses = s.statuses("statuses") ?? splitStatuses
                s.rejectUnknown()
                fields.issues += s.issues
            }
        }
        fields.rejectUnknown()
        guard let request, let item else { return nil }
        return WriteSpec(
            request: request,
            batchSize: batchSize,
            wrapper: wrapper,
            item: item,
            results: results ?? ResultSpec(),
            splitStatuses: splitStatuses,
            conflict: conflict,
            properties: properties,
            batchSizeSetting: batchSizeSetting,
            rejectedItems: rejectedItems
        )
    }
}

/// How an answer maps back to each user of the batch.
///
/// `by`: `index` (record i answers item i; with `records` "" a single item's answer is the record),
/// `correlation` (each record and error carries the id we sent as `id`, HubSpot `objectWriteTraceId`),
/// `key` (records and errors name the user by a key, Mailchimp's email: `itemKey` computes it from
/// the user, `recordKey` from a record or error). Records lists carry their action: `created`,
/// `updated`, or `flag` (a boolean member says whether the user is new, HubSpot upsert `new`).
public struct ResultSpec: Sendable {
    public enum By: String, Sendable, CaseIterable { case index, correlation, key }
    public enum Action: Sendable, Equatable {
        case created, updated, operation
        case flag(ResponsePath)
    }
    public struct Records: Sendable {
        public var path: ResponsePath
        public var action: Action
    }

    public var by: By = .index
    public var records: [Records] = [Records(path: ResponsePath(""), action: .operation)]
    public var id = ResponsePath("id")
    public var correlation = ResponsePath("")
    public var itemKey: Template?
    public var recordKey: Template?
    public var errors: ResponsePath?
    public var errorCorrelation = ResponsePath("")
    public var errorMessage: [ResponsePath] = [ResponsePath("message")]
    /// Path of a record's own HTTP status (MailerLite's `/api/batch` `responses[].code`): a record
    /// outside 2xx is not a success, and is read as an error when `errors` names the same list.
    public var status: ResponsePath?
    /// Statuses that mean "created" (MailerLite's upsert: 201 created, 200 updated), read from the
    /// record's `status` when given, else from the answer's status.
    public var createdStatuses: Set<Int>?
    /// The id of a user whose answer carries none (Brevo's 204 after an upsert that updated): a
    /// template of the item (scope `user`), an identifier the application accepts (`{{ user.email }}`).
    public var defaultId: Template?

    init() {}

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> ResultSpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        var spec = ResultSpec()
        if let text = fields.string("by") {
            if let by = By(rawValue: text) {
                spec.by = by
            } else {
                fields.issues.append(
                    Diagnostic(
                        path: fields.memberPath("by"),
                        message: "expected one of \(By.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\""
                    )
                )
            }
        }
        switch fields.value("records") {
        case .string(let text)?: spec.records = [Records(path: ResponsePath(text), action: .operation)]
        case .array(let items)?:
            spec.records = []
            for (index, item) in items.enumerated() {
                let here = JSONPath.index(fields.memberPath("records"), index)
                guard let object = JSONFields.object(item, path: here, issues: &fields.issues) else { continue }
                var r = JSONFields(object, path: here)
                let recordPath = ResponsePath(r.string("path", required: true) ?? "")
                var action = Action.operation
                switch r.string("action") {
                case nil: break
                case "created"?: action = .created
                case "updated"?: action = .updated
                case "flag"?: action = .flag(ResponsePath(r.string("flag", required: true) ?? "new"))
                case let other?:
                    r.issues.append(Diagnostic(path: r.memberPath("action"), message: "expected created, updated or flag, found \"\(other)\""))
                }
                _ = r.string("flag")
                r.rejectUnknown()
                fields.issues += r.issues
                spec.records.append(Records(path: recordPath, action: action))
            }
        case nil: break
        case let other?:
            fields.issues.append(
                Diagnostic(path: fields.memberPath("records"), message: "expected a path or an array of {path, action}, found \(other.typeName)")
            )
        }
        if let flag = fields.string("newFlag") {
            spec.records = spec.records.map { Records(path: $0.path, action: .flag(ResponsePath(flag))) }
        }
        spec.id = ResponsePath(fields.string("id") ?? "id")
        spec.correlation = ResponsePath(fields.string("correlation") ?? "")
        spec.status = fields.string("status").map(ResponsePath.init)
        spec.createdStatuses = fields.statuses("createdStatuses")
        spec.defaultId = fields.template("defaultId")
        spec.itemKey = fields.template("itemKey")
        spec.recordKey = fields.template("recordKey")
        if let errors = fields.objectMember("errors") {
            var e = JSONFields(errors, path: fields.memberPath("errors"))
            spec.errors = ResponsePath(e.string("path", required: true) ?? "errors")
            spec.errorCorrelation = ResponsePath(e.string("correlation") ?? "")
            if let messages = e.value("message") {
                switch messages {
                case .string(let text): spec.errorMessage = [ResponsePath(text)]
                case .array: spec.errorMessage = (e.stringArray("message") ?? []).map(ResponsePath.init)
                default:
                    e.issues.append(
                        Diagnostic(path: e.memberPath("message"), message: "expected a path or an array of paths, found \(messages.typeName)")
                    )
                }
            }
            e.rejectUnknown()
            fields.issues += e.issues
        }
        if spec.by == .key, spec.itemKey == nil || spec.recordKey == nil {
            fields.issues.append(Diagnostic(path: path, message: "\"by\": \"key\" needs \"itemKey\" and \"recordKey\""))
        }
        fields.rejectUnknown()
        return spec
    }
}

/// A conflict that carries or implies the existing user's id: the create becomes an update of it.
///
/// HubSpot: `{"existingIdAfter": "Existing ID: "}` (409 `Contact already exists. Existing ID: 123`).
/// Mailchimp: `{"contains": "already a list member", "existingId": "{{ md5(lower(user.email_address)) }}"}`.
/// A per-user error is a conflict when its message holds `contains` (when given) and an id can be
/// read (after `existingIdAfter`, or from the `existingId` template of the user); a whole request
/// of one user is one when its status is in `statuses` (default 409) and the same holds.
public struct ConflictSpec: Sendable {
    public var statuses: Set<Int>
    public var contains: String?
    /// The id is the run of letters, digits, `-` and `_` that follows this text in the message.
    public var existingIdAfter: String?
    public var existingId: Template?
    /// The id is at this path of the error answer, or of the per-user error (Klaviyo's
    /// `errors[0].meta.duplicate_profile_id`).
    public var existingIdPath: ResponsePath?

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> ConflictSpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let spec = ConflictSpec(
            statuses: fields.statuses("statuses") ?? [409],
            contains: fields.string("contains"),
            existingIdAfter: fields.string("existingIdAfter"),
            existingId: fields.template("existingId"),
            existingIdPath: fields.string("existingIdPath").map(ResponsePath.init)
        )
        if spec.existingIdAfter == nil, spec.existingId == nil, spec.existingIdPath == nil {
            fields.issues.append(
                Diagnostic(
                    path: path,
                    message: "expected \"existingIdAfter\" (text before the id in the message), \"existingIdPath\" (a path in the error) or \"existingId\" (a template)"
                )
            )
        }
        fields.rejectUnknown()
        return spec
    }

    /// The existing id when `message` (or `json`, the error answer or per-user error) reports a
    /// conflict for the user of `scope`.
    func existingId(in message: String, json: JSONValue? = nil, scope: TemplateScope) -> String? {
        if let contains, !message.contains(contains) { return nil }
        if let path = existingIdPath, let json, let id = path.string(json), !id.isEmpty { return id }
        if let marker = existingIdAfter, !marker.isEmpty, let range = message.range(of: marker) {
            let id = message[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            if !id.isEmpty { return String(id) }
        }
        guard contains != nil, let existingId else { return nil }
        return try? existingId.string(scope)
    }
}

/// A whole-batch refusal that names the positions (from 0) of the items it refused, after a text of
/// its message: Brevo's batch update, 404 `No contact found for indexes 1,3`. Those items fail with
/// the message; the others, which the application did not write either, are sent again.
///
/// ```json
/// "rejectedItems": {"statuses": [404], "indexesAfter": "indexes "}
/// ```
public struct RejectedItemsSpec: Sendable {
    public var statuses: Set<Int>
    public var indexesAfter: String

    static func decode(_ object: JSONObject, path: String, issues: inout [Diagnostic]) -> RejectedItemsSpec {
        var fields = JSONFields(object, path: path)
        defer { issues += fields.issues }
        let spec = RejectedItemsSpec(statuses: fields.statuses("statuses") ?? [404], indexesAfter: fields.string("indexesAfter", required: true) ?? "")
        fields.rejectUnknown()
        return spec
    }

    /// The positions the message names, or nil when it names none below `count`.
    func indexes(in message: String, count: Int) -> Set<Int>? {
        guard !indexesAfter.isEmpty, let range = message.range(of: indexesAfter) else { return nil }
        let list = message[range.upperBound...].prefix { $0.isNumber || $0 == "," || $0 == " " }
        let found = Set(list.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) }.filter { $0 >= 0 && $0 < count })
        return found.isEmpty ? nil : found
    }
}
