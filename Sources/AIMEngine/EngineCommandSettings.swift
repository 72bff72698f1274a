import AIMCore
import OrderedCollections

/// What an engine command takes from the user besides the profile and the model.
public struct EngineCommandSettings: Sendable {
    /// The AIM id, served as a second (vLLM) or the only (SGLang) model name.
    public var aimID: String?
    public var port: Int
    /// AIM_ENGINE_ARGS, merged over the profile's engine_args.
    public var engineArgs: OrderedDictionary<String, StructuredValue>?
    /// vLLM's `--shutdown-timeout`, for engines that know it; nil leaves the flag out.
    public var shutdownTimeoutSeconds: Int?
    /// This node's part in a group of nodes; nil on one node.
    public var group: NodeGroup?
    /// Variables that make the engines' collectives use the interface that reaches the leader.
    public var groupEnvironment: [(key: String, value: String)] = []

    public init(
        aimID: String?, port: Int, engineArgs: OrderedDictionary<String, StructuredValue>?,
        shutdownTimeoutSeconds: Int? = nil, group: NodeGroup? = nil
    ) {
        self.group = group
        self.aimID = aimID
        self.port = port
        self.engineArgs = engineArgs
        self.shutdownTimeoutSeconds = shutdownTimeoutSeconds
    }
}
