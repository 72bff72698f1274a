import AIMProfiles

/// One profile's verdict against a request, with the reason in words.
public struct ProfileAssessment: Sendable {
    public let profile: Profile
    public let state: CompatibilityState
    /// e.g. `gpu MI325X, want MI300X`; empty when compatible.
    public let reason: String
    /// Manual-only after the general-fallback switch is applied.
    public let manualOnly: Bool

    public init(profile: Profile, state: CompatibilityState, reason: String, manualOnly: Bool) {
        self.profile = profile
        self.state = state
        self.reason = reason
        self.manualOnly = manualOnly
    }
}
