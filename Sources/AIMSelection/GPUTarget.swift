import AIMCore
import AIMGPU

/// The GPU model and count that selection matches profiles against.
public struct GPUTarget: Equatable, Sendable {
    public let model: GPUModel
    public let count: Int
    /// How the target was found: `AIM_GPU_MODEL`, a detector's name, or `none`.
    public let source: String
    /// What detection found, where it ran (not when AIM_GPU_MODEL names the hardware).
    public let report: GPUReport?

    public init(model: GPUModel, count: Int, source: String, report: GPUReport? = nil) {
        self.model = model
        self.count = count
        self.source = source
        self.report = report
    }

    /// The same target, however it was found: the report is a record, not part of the choice.
    public static func == (lhs: GPUTarget, rhs: GPUTarget) -> Bool {
        lhs.model == rhs.model && lhs.count == rhs.count && lhs.source == rhs.source
    }
}
