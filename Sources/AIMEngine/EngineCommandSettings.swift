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

    public init(
        aimID: String?, port: Int, engineArgs: OrderedDictionary<String, StructuredValue>?,
        shutdownTimeoutSeconds: Int? = nil
    ) {
        self.aimID = aimID
        self.port = port
        self.engineArgs = engineArgs
        self.shutdownTimeoutSeconds = shutdownTimeoutSeconds
    }
}
