import AIMProfiles

/// The outcome of selection: the chosen profile and every verdict behind it.
public struct Selection: Sendable {
    public let profile: Profile
    /// True when AIM_PROFILE_ID chose the profile, bypassing compatibility.
    public let forced: Bool
    public let assessments: [ProfileAssessment]

    public init(profile: Profile, forced: Bool, assessments: [ProfileAssessment]) {
        self.profile = profile
        self.forced = forced
        self.assessments = assessments
    }
}
