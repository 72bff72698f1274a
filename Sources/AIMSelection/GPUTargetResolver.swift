import AIMConfiguration
import AIMCore
import Logging

/// Decides the GPU target with the reference's rules.
///
/// A concrete AIM_GPU_MODEL wins and skips detection, with AIM_GPU_COUNT or 1.
/// Otherwise the first detected GPU's model is used, with AIM_GPU_COUNT or the
/// detected count; with no GPU at all the target is `NONE` × 0.
public struct GPUTargetResolver: Sendable {
    private let detector: (any GPUDetecting)?
    private let logger: Logger

    /// - Parameter detector: nil where no detector is available; then only the override can name a GPU.
    public init(detector: (any GPUDetecting)?, logger: Logger = Logger(label: "aim_runtime.gpu")) {
        self.detector = detector
        self.logger = logger
    }

    public func resolve(_ configuration: RuntimeConfiguration) -> GPUTarget {
        if configuration.gpuModel.isConcrete {
            if configuration.gpuCount == nil {
                logger.warning("AIM_GPU_MODEL is set but AIM_GPU_COUNT is auto; assuming 1 GPU. Set AIM_GPU_COUNT to use more.")
            }
            return GPUTarget(model: configuration.gpuModel, count: configuration.gpuCount ?? 1, source: ConfigVariable.gpuModel.name)
        }
        guard let detected = detector?.detect(), let first = detected.models.first else {
            logger.warning("No AMD GPU detected and AIM_GPU_MODEL is not set; only profiles for GPU NONE can match. Set AIM_GPU_MODEL and AIM_GPU_COUNT to plan for other hardware.")
            return GPUTarget(model: .none, count: 0, source: "none")
        }
        if Set(detected.models).count > 1 {
            logger.warning("Mixed GPU models detected; selecting for the first one, \(first.rawValue)")
        }
        return GPUTarget(model: first, count: configuration.gpuCount ?? detected.models.count, source: detected.source)
    }
}
