import AIMCore
import AIMGPU
import Logging

/// Decides the GPU target with the reference's rules.
///
/// A concrete AIM_GPU_MODEL wins and skips detection, with AIM_GPU_COUNT or 1.
/// Otherwise the first visible GPU's model is used, with AIM_GPU_COUNT or the
/// visible count. With no GPU the target is `NONE` × 0, which is an error
/// where a GPU is needed (choosing a profile without AIM_PROFILE_ID).
public struct GPUTargetResolver: Sendable {
    private let detector: any GPUDetecting
    private let logger: Logger

    public init(detector: any GPUDetecting, logger: Logger = Logger(label: "aim_runtime.gpu")) {
        self.detector = detector
        self.logger = logger
    }

    /// Why detection found nothing, source by source, and how to plan without a GPU.
    public static func noGPU(_ report: GPUReport) -> AIMError {
        let tried = report.attemptSummary.isEmpty ? "no source was tried" : report.attemptSummary
        return AIMError(
            .noGPU,
            "no AMD GPU found; tried \(tried). Set AIM_GPU_MODEL and AIM_GPU_COUNT to plan for "
                + "other hardware, or AIM_GPU_SOURCE/AIM_SYSFS_PATH to read another source")
    }

    /// - Parameter requireGPU: throw `noGPU` rather than return the `NONE` target.
    public func resolve(_ request: GPURequest, requireGPU: Bool) async throws -> GPUTarget {
        if request.model.isConcrete {
            if request.count == nil {
                logger.warning(
                    "AIM_GPU_MODEL is set but AIM_GPU_COUNT is auto; assuming 1 GPU. Set AIM_GPU_COUNT to use more.")
            }
            return GPUTarget(model: request.model, count: request.count ?? 1, source: "AIM_GPU_MODEL")
        }
        let report = try await detector.detect()
        for warning in report.warnings {
            logger.warning("\(warning)")
        }
        guard let source = report.source, !report.gpus.isEmpty else {
            let failure = Self.noGPU(report)
            if requireGPU { throw failure }
            logger.warning("\(failure.message)")
            return GPUTarget(model: .none, count: 0, source: "none", report: report)
        }
        logger.info("Detected \(report.gpus.count) visible GPU(s) with \(source.rawValue): \(report.model.rawValue)")
        return GPUTarget(
            model: report.model, count: request.count ?? report.gpus.count, source: source.rawValue, report: report)
    }
}
