import AIMCore
import AIMMemory
import AIMProfiles
import AIMSelection

/// Everything `serve` will run, decided once, before any download, and edited by nothing afterwards:
/// `select --dry-run` prints it and `serve` starts exactly its argv and environment.
public struct LaunchSpec: Sendable {
    public let selection: Selection
    public let gpu: GPUTarget
    /// Where the engine loads the model from once it is cached, and whether serve must fetch it first.
    public let model: ModelResolution
    /// The installed engine and the entrypoint chosen for it.
    public let engine: EngineChoice
    public let command: EngineCommand
    public let readiness: EngineReadiness
    /// Whether the model fits the profile's GPUs; nil with AIM_MEMORY_CHECK=off.
    public let memory: MemoryEstimate?
    /// The group this node runs the engine with; nil on one node.
    public let group: GroupPlan?

    public init(
        selection: Selection, gpu: GPUTarget, model: ModelResolution, engine: EngineChoice, command: EngineCommand,
        readiness: EngineReadiness, memory: MemoryEstimate? = nil, group: GroupPlan? = nil
    ) {
        self.group = group
        self.selection = selection
        self.gpu = gpu
        self.model = model
        self.engine = engine
        self.command = command
        self.readiness = readiness
        self.memory = memory
    }

    public var profile: Profile { selection.profile }

    /// A worker serves no API: it is ready while its engine runs.
    public var servesAPI: Bool { group?.group.role != .worker }
}

/// How serve decides the engine is up: its own child answering on the loopback port.
public struct EngineReadiness: Equatable, Sendable {
    public let port: Int
    /// Answers 200 while the engine lives.
    public let healthPath: String
    /// Lists `modelName` once the model is loaded.
    public let modelsPath: String
    public let modelName: String

    public init(port: Int, modelName: String) {
        self.port = port
        self.modelName = modelName
        healthPath = EngineEndpoints.health
        modelsPath = EngineEndpoints.models
    }
}
