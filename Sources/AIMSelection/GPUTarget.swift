import AIMCore

/// The GPU model and count that selection matches profiles against.
public struct GPUTarget: Equatable, Sendable {
    public let model: GPUModel
    public let count: Int
    /// How the target was found: `AIM_GPU_MODEL`, a detector's name, or `none`.
    public let source: String

    public init(model: GPUModel, count: Int, source: String) {
        self.model = model
        self.count = count
        self.source = source
    }
}
