import AIMCore

/// What a GPU detector reports: the visible GPUs' models, in index order.
public struct DetectedGPUs: Equatable, Sendable {
    public let models: [GPUModel]
    public let source: String

    public init(models: [GPUModel], source: String) {
        self.models = models
        self.source = source
    }
}

/// The seam where real GPU detection (rocm-smi, amd-smi, KFD sysfs) plugs in.
public protocol GPUDetecting: Sendable {
    func detect() -> DetectedGPUs
}
