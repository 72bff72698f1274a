import AIMCore
import Logging
import OrderedCollections

/// The validated settings of one aim-runtime run.
public struct RuntimeConfiguration: Sendable {
    public var aimID: String?
    public var modelID: String?
    /// nil means `auto`: no precision filter, smaller precisions ranked first.
    public var precision: Precision?
    /// nil means `auto`.
    public var gpuCount: Int?
    /// `.none` or `.unknown` mean "detect".
    public var gpuModel: GPUModel
    public var engine: EngineKind
    public var metric: Metric
    public var profileID: String?
    public var cachePath: String
    public var port: Int
    public var engineArgs: OrderedDictionary<String, StructuredValue>?
    public var logLevelRoot: Logger.Level
    public var logLevel: Logger.Level
    public var logFormat: LogOutputFormat
    public var customModelName: String?
    public var allowGeneralFallback: Bool
    public var profileBasePath: String
    /// nil means `auto`: every source in order of trust.
    public var gpuSource: GPUSource?
    public var sysfsPath: String
    public var gpuDetectTimeoutSeconds: Int
    public var downloadStallSeconds: Int
    public var downloadConnectTimeoutSeconds: Int
    public var downloadConnections: Int
    public var downloadMaxConnections: Int
    public var downloadChunkMiB: Int
    public var downloadInclude: [String]
    public var downloadExclude: [String]
    public var startupTimeoutSeconds: Int
    public var startupSilenceSeconds: Int
    public var healthIntervalSeconds: Int
    public var healthFailureThreshold: Int
    /// True for `on-failure`.
    public var restartOnFailure: Bool
    public var maxRestarts: Int
    public var shutdownGraceSeconds: Int
    public var terminationMessagePath: String
    public var statusPath: String
    /// Where /proc, /sys and /dev are read from (`/` is the host itself).
    public var hostRoot: String
    /// Whether serve runs the host checks before it starts the engine.
    public var preflight: Bool
    public var memoryCheck: MemoryCheck
    public var autoMaxModelLen: Bool
    /// Nodes in this node's group; 1 outside a group.
    public var nodeCount: Int = 1
    /// This node's place in a group of 2 or more nodes; nil on a single node.
    public var nodeGroup: NodeGroup?
    public var groupTimeoutSeconds: Int = ConfigurationDefaults.groupTimeoutSeconds
    /// LWS_GROUP_INDEX: which replica group, for the log.
    public var groupIndex: Int?
}
