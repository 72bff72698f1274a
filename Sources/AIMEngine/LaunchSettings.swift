import AIMCore
import AIMMemory
import AIMSelection
import OrderedCollections

/// What the launch planner needs from the user's settings.
public struct LaunchSettings: Sendable {
    public var identity: ModelIdentity
    public var gpu: GPURequest
    public var engine: EngineKind
    public var metric: Metric
    /// nil means `auto`.
    public var precision: Precision?
    public var allowGeneralFallback: Bool
    /// AIM_PROFILE_ID: this profile, without compatibility checks.
    public var forcedProfileID: String?
    public var profileRoot: String
    public var cacheRoot: String
    /// AIM_CUSTOM_MODEL_NAME: the cache directory of an S3 model.
    public var customModelName: String?
    public var port: Int
    public var engineArgs: OrderedDictionary<String, StructuredValue>?
    /// See `EngineCommandSettings.shutdownTimeoutSeconds`.
    public var engineShutdownTimeoutSeconds: Int?
    /// AIM_MEMORY_CHECK.
    public var memoryCheck: MemoryCheck = .warn
    /// AIM_AUTO_MAX_MODEL_LEN: where the wanted context does not fit but a shorter one does, serve the longest.
    public var autoMaxModelLen = false
    /// Nodes in the group; profiles are chosen for exactly this many.
    public var nodeCount = 1
    /// This node's place in the group, which decides its part of the engine's command; nil on one node.
    public var group: NodeGroup?
    /// Names set in serve's own environment: a network variable among them is the user's choice and stays.
    public var inheritedVariableNames: Set<String> = []
    /// serve needs the route to the leader; a dry-run shows the plan without it when there is none here.
    public var requireGroupRoute = false

    public init(
        identity: ModelIdentity, gpu: GPURequest, engine: EngineKind, metric: Metric, precision: Precision?,
        allowGeneralFallback: Bool, forcedProfileID: String?, profileRoot: String, cacheRoot: String,
        customModelName: String? = nil, port: Int, engineArgs: OrderedDictionary<String, StructuredValue>?,
        engineShutdownTimeoutSeconds: Int? = nil
    ) {
        self.identity = identity
        self.gpu = gpu
        self.engine = engine
        self.metric = metric
        self.precision = precision
        self.allowGeneralFallback = allowGeneralFallback
        self.forcedProfileID = forcedProfileID
        self.profileRoot = profileRoot
        self.cacheRoot = cacheRoot
        self.customModelName = customModelName
        self.port = port
        self.engineArgs = engineArgs
        self.engineShutdownTimeoutSeconds = engineShutdownTimeoutSeconds
    }

    /// - Parameter memory: each profile's estimate, keyed by its file's path.
    public func selectionRequest(gpu target: GPUTarget, memory: [String: MemoryEstimate] = [:]) -> SelectionRequest {
        SelectionRequest(
            aimID: identity.aimID, engine: engine, metric: metric, precision: precision, gpu: target,
            allowGeneralFallback: allowGeneralFallback, gpuCountIsAuto: gpu.count == nil, memoryCheck: memoryCheck,
            memory: memory, nodeCount: nodeCount)
    }

    public var engineCommand: EngineCommandSettings {
        EngineCommandSettings(
            aimID: identity.aimID, port: port, engineArgs: engineArgs,
            shutdownTimeoutSeconds: engineShutdownTimeoutSeconds, group: group)
    }
}
