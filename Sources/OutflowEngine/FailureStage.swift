/// Where a profile failed, as DESIGN section 9 names the stages; stored as the raw value.
public enum FailureStage: String, Hashable, Sendable, CaseIterable {
    /// The record could not be decoded by the profile schema.
    case input
    /// The mapping or function failed.
    case transform
    /// The user does not satisfy outSchema for the action (`createRequired`, `updateRequired`), or
    /// its matching value does not convert to the matching property's type.
    case validate
    /// The matching value is missing, shared with other selected profiles, held by several app
    /// users, or the lookup failed.
    case match
    /// The application refused the write, or its answer was lost and could not be resolved.
    case send
}
