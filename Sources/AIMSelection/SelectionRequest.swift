import AIMCore
import AIMMemory
import AIMProfiles

/// What the user asked for, with `auto` resolved the reference's way.
public struct SelectionRequest: Equatable, Sendable {
    public let aimID: String?
    public let engine: EngineKind
    public let metric: Metric
    /// nil: any precision, smaller first.
    public let precision: Precision?
    public let gpu: GPUTarget
    public let allowGeneralFallback: Bool
    /// True when AIM_GPU_COUNT is auto: a base AIM's model may then use fewer GPUs than there are.
    public let gpuCountIsAuto: Bool
    public let memoryCheck: MemoryCheck
    /// Each profile's memory estimate, keyed by the profile file's path.
    public let memory: [String: MemoryEstimate]
    /// Nodes in the group (AIM_NODE_COUNT or LeaderWorkerSet's group size): only profiles for that many qualify.
    public let nodeCount: Int

    /// A base AIM (no AIM_ID) with AIM_GPU_COUNT auto, where the model is known to fit a general profile
    /// that uses fewer GPUs than there are: the smallest tensor parallelism that fits is chosen.
    public func fitsOnFewerGPUs(_ profile: Profile) -> Bool {
        aimID == nil && gpuCountIsAuto && memoryCheck != .off && profile.isGeneral && nodeCount == 1
            && profile.metadata.gpuCount < gpu.count && memory[profile.location.path]?.verdict == .fits
    }

    /// With AIM_PRECISION auto, a base AIM's general profiles rank first where their precision is the one the
    /// model's checkpoint is stored in (bf16 and fp16 count as one); known only from its config.json.
    public func precisionDiffersFromModel(_ profile: Profile) -> Bool {
        guard precision == nil, aimID == nil, profile.isGeneral,
            let model = memory[profile.location.path]?.modelPrecision
        else { return false }
        let sixteen: Set<Precision> = [.fp16, .bf16]
        let wanted = profile.metadata.precision
        return !(wanted == model || (sixteen.contains(wanted) && sixteen.contains(model)))
    }

    public init(
        aimID: String?, engine: EngineKind, metric: Metric, precision: Precision?, gpu: GPUTarget,
        allowGeneralFallback: Bool, gpuCountIsAuto: Bool = false, memoryCheck: MemoryCheck = .off,
        memory: [String: MemoryEstimate] = [:], nodeCount: Int = 1
    ) {
        self.aimID = aimID
        self.engine = engine
        self.metric = metric
        self.precision = precision
        self.gpu = gpu
        self.allowGeneralFallback = allowGeneralFallback
        self.gpuCountIsAuto = gpuCountIsAuto
        self.memoryCheck = memoryCheck
        self.memory = memory
        self.nodeCount = nodeCount
    }
}
