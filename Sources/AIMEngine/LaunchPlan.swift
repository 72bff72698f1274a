import AIMProfiles
import AIMSelection

/// Everything `serve` would do, decided with no side effects.
public struct LaunchPlan: Sendable {
    public let selection: Selection
    public let model: ModelResolution
    public let command: EngineCommand
    public let gpu: GPUTarget

    public init(selection: Selection, model: ModelResolution, command: EngineCommand, gpu: GPUTarget) {
        self.selection = selection
        self.model = model
        self.command = command
        self.gpu = gpu
    }

    public var profile: Profile { selection.profile }
}
