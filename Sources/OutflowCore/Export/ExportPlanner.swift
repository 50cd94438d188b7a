/// What the engine does with one profile once the application has been asked who holds its
/// matching value (DESIGN section 9).
public enum PlannedAction: Hashable, Sendable {
    /// No app user holds the value and the mode allows creating one.
    case create
    /// Update these app users (one, or every duplicate when `updateOnDuplicates` is on).
    case update(ids: [String])
    /// The export mode forbids what the lookup calls for.
    case skip
    /// The profile fails at stage `match` with this message.
    case fail(String)
}

/// The rules of DESIGN section 9 that turn a lookup answer into an action, per export mode, kept
/// apart from I/O so that every mode × duplicates × answer combination is a table test.
///
/// ```swift
/// let planner = ExportPlanner(mode: .createOrUpdate, updateOnDuplicates: false, matchingProperty: "email")
/// planner.plan(matches: [])            // .create
/// planner.plan(matches: ["7"])         // .update(ids: ["7"])
/// planner.plan(matches: ["7", "9"])    // .fail("duplicates found for the matching property «email» in the app users")
/// ```
public struct ExportPlanner: Hashable, Sendable {
    public var mode: ExportMode
    public var updateOnDuplicates: Bool
    /// `matching.out`, named in messages.
    public var matchingProperty: String

    public init(mode: ExportMode, updateOnDuplicates: Bool, matchingProperty: String) {
        self.mode = mode
        self.updateOnDuplicates = updateOnDuplicates
        self.matchingProperty = matchingProperty
    }

    /// The action for a profile whose matching value the application holds in the users `matches`.
    public func plan(matches: [String]) -> PlannedAction {
        switch (matches.count, mode) {
        case (0, .updateOnly): return .skip
        case (0, _): return .create
        // A user already holds the value: CreateOnly never touches existing users, duplicates or not.
        case (_, .createOnly): return .skip
        case (1, _): return .update(ids: matches)
        default:
            return updateOnDuplicates ? .update(ids: matches) : .fail(Self.appDuplicatesMessage(matchingProperty))
        }
    }

    /// Krenalis's message for one profile matching several app users.
    public static func appDuplicatesMessage(_ property: String) -> String {
        "duplicates found for the matching property «\(property)» in the app users"
    }

    /// Krenalis's message for selected profiles sharing one matching value.
    public static func selectionDuplicatesMessage(_ property: String) -> String {
        "profile has the same «\(property)» (the matching property) as other profiles selected for export"
    }

    /// The message for a profile whose matching value is null or missing.
    public static func nullMatchingMessage(_ property: String) -> String {
        "the matching property «\(property)» has no value"
    }
}
