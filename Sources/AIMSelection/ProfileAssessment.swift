import AIMMemory
import AIMProfiles

/// One profile's verdict against a request, with the reason in words.
public struct ProfileAssessment: Sendable {
    public let profile: Profile
    public let state: CompatibilityState
    /// e.g. `gpu MI325X, want MI300X`; empty when compatible.
    public let reason: String
    /// Manual-only after the general-fallback switch is applied.
    public let manualOnly: Bool
    /// Whether the model fits the profile's GPUs; nil when not estimated (AIM_MEMORY_CHECK=off).
    public let memory: MemoryEstimate?

    public init(
        profile: Profile, state: CompatibilityState, reason: String, manualOnly: Bool, memory: MemoryEstimate? = nil
    ) {
        self.profile = profile
        self.state = state
        self.reason = reason
        self.manualOnly = manualOnly
        self.memory = memory
    }
}
