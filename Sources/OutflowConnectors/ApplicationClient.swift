import OutflowCore

/// What the export engine asks of one application connection: find users by matching values, create,
/// update or upsert them in batches, and describe their properties.
///
/// `ConnectorClient` implements it by interpreting a connector file (DESIGN 9b). The engine only sees
/// this protocol, so the rules of DESIGN 9 (modes, duplicates, diffing) stay out of the interpreter and
/// the interpreter's HTTP details stay out of the engine.
///
/// User objects are keyed by the connector's user-schema paths (HubSpot `email`, `firstname`;
/// Mailchimp `email_address`, `merge_fields.FNAME`), with values typed by the pipeline's outSchema.
///
/// ```swift
/// let client = try ConnectorClient(connector: hubspot, connection: connection, transport: HTTPClient())
/// let found = try await client.lookup(property: "email", values: [.string("a@b.c")])
/// let results = await client.create([user])
/// ```
public protocol ApplicationClient: Sendable {
    /// Batch sizes, the upsert shortcut and the comparison rules the engine plans with.
    var capabilities: ApplicationCapabilities { get }

    /// The app users whose `property` equals each value, in the order of `values` (one array per value,
    /// empty when none matches; several when the application holds duplicates). `values.count` is at
    /// most `capabilities.lookupBatchSize`. Throws only when the whole lookup failed.
    func lookup(property: String, values: [Value]) async throws(ApplicationError) -> [[AppUser]]

    /// Creates one user per item (at most `capabilities.createBatchSize`). One result per item, in order.
    /// A conflict that names the existing user becomes an update of that user inside the connector
    /// (result `.updated`). A create whose answer was lost is `.outcomeUnknown`: the engine looks the
    /// user up before anything else.
    func create(_ users: [ValueObject]) async -> [WriteResult]

    /// Updates users by application id (at most `capabilities.updateBatchSize`). One result per item.
    func update(_ items: [AppUserUpdate]) async -> [WriteResult]

    /// Creates or updates by the unique `property` in one request per batch, when
    /// `capabilities.upsertProperties` holds it (at most `capabilities.upsertBatchSize`).
    func upsert(property: String, _ users: [ValueObject]) async -> [WriteResult]

    /// The application's user properties, read live or from the connector's static schema.
    func schema() async throws(ApplicationError) -> ObjectType

    /// One harmless request that proves the credentials work (`outflow connections test`).
    func test() async throws(ApplicationError)

    /// `create` with what the connector may need to know about the writer: the pipeline and its
    /// matching property, from which the webhook connector derives its deterministic `webhook-id`.
    /// The default ignores the context.
    func create(_ users: [ValueObject], context: WriteContext) async -> [WriteResult]

    /// `upsert` with the writer's context (see `create(_:context:)`). The default ignores it.
    func upsert(property: String, _ users: [ValueObject], context: WriteContext) async -> [WriteResult]

    /// Where the engine's delivery tasks for this client should run: the HTTP client's event loop for
    /// a ``ConnectorClient`` over libcurl, so a batch's requests and answers cost no thread switch
    /// (docs/performance.md, issue 5); nil (the default) for the cooperative pool.
    var taskExecutor: (any TaskExecutor)? { get }
}

extension ApplicationClient {
    public var taskExecutor: (any TaskExecutor)? { nil }

    public func create(_ users: [ValueObject], context: WriteContext) async -> [WriteResult] {
        await create(users)
    }

    public func upsert(property: String, _ users: [ValueObject], context: WriteContext) async -> [WriteResult] {
        await upsert(property: property, users)
    }
}

/// Who is writing, for connectors whose requests carry ids derived from it (DESIGN 9b: the webhook's
/// `webhook-id` is deterministic from the pipeline, the matching value and the payload hash).
///
/// ```swift
/// let results = await client.create(users, context: WriteContext(pipelineID: pipeline.id, matchingProperty: pipeline.matching.out))
/// ```
public struct WriteContext: Sendable, Hashable {
    /// The pipeline whose run sends the users.
    public var pipelineID: Int64?
    /// The user-schema path of `matching.out` (`email`); its value in each user goes into the item's id.
    public var matchingProperty: String?

    public init(pipelineID: Int64? = nil, matchingProperty: String? = nil) {
        self.pipelineID = pipelineID
        self.matchingProperty = matchingProperty
    }
}

/// What the engine plans with.
public struct ApplicationCapabilities: Sendable, Hashable {
    /// Whether users can be looked up by a property at all (a webhook cannot).
    public var canLookup: Bool
    public var lookupBatchSize: Int
    public var createBatchSize: Int
    public var updateBatchSize: Int
    /// The unique properties an upsert can match on (HubSpot `email`; empty without an upsert).
    public var upsertProperties: Set<String>
    public var upsertBatchSize: Int
    /// Properties the application compares without regard to case (email): the engine folds them
    /// before its duplicate check and its matching of lookup answers.
    public var caseInsensitiveProperties: Set<String>
    /// Properties the application keeps unique (no two users share a value).
    public var uniqueProperties: Set<String>

    public init(
        canLookup: Bool = true,
        lookupBatchSize: Int = 100,
        createBatchSize: Int = 100,
        updateBatchSize: Int = 100,
        upsertProperties: Set<String> = [],
        upsertBatchSize: Int = 100,
        caseInsensitiveProperties: Set<String> = [],
        uniqueProperties: Set<String> = []
    ) {
        self.canLookup = canLookup
        self.lookupBatchSize = lookupBatchSize
        self.createBatchSize = createBatchSize
        self.updateBatchSize = updateBatchSize
        self.upsertProperties = upsertProperties
        self.upsertBatchSize = upsertBatchSize
        self.caseInsensitiveProperties = caseInsensitiveProperties
        self.uniqueProperties = uniqueProperties
    }
}

/// One user found in the application: its id there, and its matching value as the application holds it.
public struct AppUser: Sendable, Hashable {
    public var id: String
    public var matchingValue: Value?

    public init(id: String, matchingValue: Value? = nil) {
        self.id = id
        self.matchingValue = matchingValue
    }
}

/// An update of one known app user.
public struct AppUserUpdate: Sendable, Hashable {
    public var id: String
    public var user: ValueObject

    public init(id: String, user: ValueObject) {
        self.id = id
        self.user = user
    }
}

/// The outcome of one item of a write batch.
public enum WriteResult: Sendable, Hashable {
    /// The application created the user with this id.
    case created(id: String)
    /// The application updated the user with this id.
    case updated(id: String)
    /// The application refused this item; the message is the application's own, made readable.
    case failed(message: String)
    /// The request may or may not have taken effect (a create whose answer was lost).
    case outcomeUnknown(reason: String)
    /// The application refused the request for a reason that holds for every later request too
    /// (401/403): the item failed, and when `error.isSystemic` the engine stops the run (DESIGN 9)
    /// instead of failing every remaining profile one batch at a time.
    case rejected(ApplicationError)
}

/// Why a whole operation failed. `isSystemic` errors stop the run (DESIGN 9): retrying the next batch
/// would fail the same way.
public enum ApplicationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 401/403: the credential was refused.
    case authenticationFailed(connector: String, status: Int, message: String)
    /// The list, audience or object the connection names does not exist (Mailchimp 404 on the list).
    case missingResource(connector: String, message: String)
    /// A request failed after its retries (status, transport error); the batch failed, not the run.
    case requestFailed(connector: String, message: String)
    /// A setting is missing or invalid (`listId`, `baseURL`, an unresolvable data centre).
    case invalidSettings(connector: String, message: String)
    /// The connector cannot do this (a lookup on a webhook).
    case unsupported(connector: String, operation: String)

    public var isSystemic: Bool {
        switch self {
        case .authenticationFailed, .missingResource, .invalidSettings, .unsupported: true
        case .requestFailed: false
        }
    }

    public var description: String {
        switch self {
        case .authenticationFailed(let connector, let status, let message):
            "\(connector): authentication failed (HTTP \(status)): \(message)"
        case .missingResource(let connector, let message): "\(connector): \(message)"
        case .requestFailed(let connector, let message): "\(connector): \(message)"
        case .invalidSettings(let connector, let message): "\(connector): invalid connection settings: \(message)"
        case .unsupported(let connector, let operation): "\(connector): the connector cannot \(operation)"
        }
    }
}
