import AIMCore

/// The GPUs the user named, if any: AIM_GPU_MODEL and AIM_GPU_COUNT.
public struct GPURequest: Equatable, Sendable {
    /// `.none` or `.unknown` mean "detect".
    public var model: GPUModel
    /// nil means `auto`.
    public var count: Int?

    public init(model: GPUModel, count: Int?) {
        self.model = model
        self.count = count
    }
}
