import AIMProfiles

/// Renders one engine's command for a profile and a resolved model.
public protocol EngineCommandBuilding: Sendable {
    func command(profile: Profile, model: ModelResolution, settings: EngineCommandSettings) throws -> EngineCommand
}
