import AIMMemory
import AIMProfiles
import AIMSelection

/// One row of `list-profiles`: a valid profile's verdict, or an invalid file.
public struct ProfileListing: Sendable {
    public let id: String
    public let location: ProfileLocation
    public let metadata: ProfileMetadata?
    public let source: ProfileSource
    public let state: CompatibilityState
    public let reason: String
    public let manualOnly: Bool
    public let selected: Bool
    /// Whether the model fits the profile's GPUs; nil for an invalid file or AIM_MEMORY_CHECK=off.
    public let memory: MemoryEstimate?

    public static func rows(
        assessments: [ProfileAssessment], invalid: [InvalidProfile], selectedID: String?
    ) -> [ProfileListing] {
        let valid = assessments.map { assessment in
            ProfileListing(
                id: assessment.profile.id, location: assessment.profile.location, metadata: assessment.profile.metadata,
                source: assessment.profile.source, state: assessment.state, reason: assessment.reason,
                manualOnly: assessment.manualOnly, selected: assessment.profile.id == selectedID,
                memory: assessment.memory)
        }
        let broken = invalid.map { problem in
            ProfileListing(
                id: problem.id, location: problem.location, metadata: nil,
                source: problem.location.isCustom ? .custom : (problem.location.isGeneral ? .general : .model),
                state: .invalid, reason: problem.message, manualOnly: false, selected: false, memory: nil)
        }
        let order = Dictionary(uniqueKeysWithValues: CompatibilityState.allCases.enumerated().map { ($1, $0) })
        // Stable grouping by state keeps catalogue order inside each group.
        return (valid + broken).enumerated()
            .sorted { (order[$0.element.state]!, $0.offset) < (order[$1.element.state]!, $1.offset) }
            .map(\.element)
    }
}
