import AIMCore

/// The `metadata:` block of a profile: what hardware and goal it is for.
public struct ProfileMetadata: Equatable, Sendable {
    public var engine: EngineKind
    public var gpu: GPUModel
    public var precision: Precision
    public var gpuCount: Int
    public var metric: Metric
    public var manualSelectionOnly: Bool
    public var type: ProfileType
    /// Nodes that run the engine together, each with `gpuCount` GPUs (`metadata.node_count`, default 1).
    public var nodeCount: Int

    public init(
        engine: EngineKind, gpu: GPUModel, precision: Precision, gpuCount: Int, metric: Metric,
        manualSelectionOnly: Bool, type: ProfileType, nodeCount: Int = 1
    ) {
        self.engine = engine
        self.gpu = gpu
        self.precision = precision
        self.gpuCount = gpuCount
        self.metric = metric
        self.manualSelectionOnly = manualSelectionOnly
        self.type = type
        self.nodeCount = nodeCount
    }

    /// GPUs across the group: what tensor × pipeline parallelism spans.
    public var totalGPUs: Int { gpuCount * nodeCount }

    /// The id the metadata implies, e.g. `vllm-mi300x-fp8-tp1-latency`, or `vllm-mi300x-bf16-2x8-latency` for
    /// 2 nodes of 8 GPUs.
    /// Files usually carry it as their name, but the file name is the real id.
    public var impliedID: String {
        let layout = nodeCount > 1 ? "\(nodeCount)x\(gpuCount)" : "tp\(gpuCount)"
        return "\(engine.rawValue)-\(gpu.rawValue.lowercased())-\(precision.rawValue)-\(layout)-\(metric.rawValue)"
    }
}
