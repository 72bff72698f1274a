/// Where a profile was found. The search order is also the selection priority.
public enum ProfileSource: String, Sendable, CaseIterable {
    /// `<root>/custom`: profiles the user mounts; they win over everything.
    case custom
    /// `<root>/<org>/<model>` from AIM_ID: the profiles a model-specific AIM ships.
    case model
    /// `<root>/general`: model-agnostic profiles.
    case general
}
