import AIMCore

/// What detection found: the visible GPUs, where the facts came from, and why
/// earlier sources were passed over.
public struct GPUReport: Equatable, Sendable {
    public struct Attempt: Equatable, Sendable {
        public let source: GPUSource
        /// nil when the source answered and was used.
        public let skippedBecause: String?

        public init(source: GPUSource, skippedBecause: String?) {
            self.source = source
            self.skippedBecause = skippedBecause
        }
    }

    /// The source used, or nil when no source found a GPU.
    public let source: GPUSource?
    /// GPUs after *_VISIBLE_DEVICES; `index` is still each GPU's position before filtering.
    public let gpus: [GPUDevice]
    /// How many GPUs the source saw before filtering.
    public let detectedCount: Int
    public let attempts: [Attempt]
    public let visibilityFilters: [String]
    public let warnings: [String]

    public init(
        source: GPUSource?, gpus: [GPUDevice], detectedCount: Int, attempts: [Attempt], visibilityFilters: [String],
        warnings: [String]
    ) {
        self.source = source
        self.gpus = gpus
        self.detectedCount = detectedCount
        self.attempts = attempts
        self.visibilityFilters = visibilityFilters
        self.warnings = warnings
    }

    /// The first GPU's model; mixed hosts get a warning.
    public var model: GPUModel { gpus.first?.model ?? .none }

    /// e.g. `rocm-smi-lib: librocm_smi64.so is not installed; sysfs: …`.
    public var attemptSummary: String {
        attempts.map { "\($0.source.rawValue): \($0.skippedBecause ?? "used")" }.joined(separator: "; ")
    }
}
