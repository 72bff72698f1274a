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

    public init(
        engine: EngineKind, gpu: GPUModel, precision: Precision, gpuCount: Int, metric: Metric,
        manualSelectionOnly: Bool, type: ProfileType
    ) {
        self.engine = engine
        self.gpu = gpu
        self.precision = precision
        self.gpuCount = gpuCount
        self.metric = metric
        self.manualSelectionOnly = manualSelectionOnly
        self.type = type
    }

    /// The id the metadata implies, e.g. `vllm-mi300x-fp8-tp1-latency`.
    /// Files usually carry it as their name, but the file name is the real id.
    public var impliedID: String {
        "\(engine.rawValue)-\(gpu.rawValue.lowercased())-\(precision.rawValue)-tp\(gpuCount)-\(metric.rawValue)"
    }
}
