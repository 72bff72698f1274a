import AIMCore

/// What the user asked for, with `auto` resolved the reference's way.
public struct SelectionRequest: Equatable, Sendable {
    public let aimID: String?
    public let engine: EngineKind
    public let metric: Metric
    /// nil: any precision, smaller first.
    public let precision: Precision?
    public let gpu: GPUTarget
    public let allowGeneralFallback: Bool

    public init(
        aimID: String?, engine: EngineKind, metric: Metric, precision: Precision?, gpu: GPUTarget,
        allowGeneralFallback: Bool
    ) {
        self.aimID = aimID
        self.engine = engine
        self.metric = metric
        self.precision = precision
        self.gpu = gpu
        self.allowGeneralFallback = allowGeneralFallback
    }
}
