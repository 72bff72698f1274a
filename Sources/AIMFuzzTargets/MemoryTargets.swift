import AIMCore
import AIMMemory

/// A model's config.json, as the memory estimate reads it, and the estimate itself on what it gives.
enum MemoryTargets {
    static func modelConfig(_ text: String) {
        let shape: ModelShape
        do {
            shape = try ModelShapeReader.read(json: text)
        } catch {
            FuzzInvariant.oneLine(error.description, "a config.json problem")
            return
        }
        FuzzInvariant.check(shape.parameters.total >= 0, "\(shape.parameters.total) parameters")
        for tensorParallel in [1, 8] {
            let estimate = MemoryEstimator.estimate(
                shape, weightBytes: nil,
                request: MemoryRequest(
                    tensorParallel: tensorParallel, pipelineParallel: 1, memoryFraction: 0.9, kvBytes: nil,
                    maxModelLen: nil, vramBytesPerGPU: 206_141_652_992))
            FuzzInvariant.check(
                estimate.requiredBytesPerGPU.map { $0.isFinite && $0 >= 0 } ?? true, "required \(estimate)")
            FuzzInvariant.oneLine(estimate.reason, "an estimate's reason")
        }
    }
}
