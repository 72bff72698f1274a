import AIMCommands
import AIMConfiguration
import AIMCore
import AIMGPU
import AIMSelection
import AIMTestSupport
import Testing

/// A detector that reports fixed GPUs.
struct FixedDetector: GPUDetecting {
    let models: [GPUModel]

    func detect() throws -> GPUReport {
        let gpus = models.enumerated().map { GPUDevice(index: $0.offset, deviceID: nil, model: $0.element) }
        let attempts = [GPUReport.Attempt(source: .sysfs, skippedBecause: models.isEmpty ? "found no GPU" : nil)]
        return GPUReport(
            source: models.isEmpty ? nil : .sysfs, gpus: gpus, detectedCount: gpus.count, attempts: attempts,
            visibilityFilters: [], warnings: [])
    }
}

@Suite struct GPUTargetTests {
    func request(_ environment: [String: String]) throws -> GPURequest {
        try ConfigurationLoader(bundledProfileRoot: "/x", directoryExists: { _ in false })
            .load(ConfigurationInput(environment: ["AIM_ID": "a/b"].merging(environment) { $1 }), requireModel: true)
            .gpuRequest
    }

    @Test func anOverrideSkipsDetectionAndAutoCountMeansOne() async throws {
        let resolver = GPUTargetResolver(detector: FixedDetector(models: [.mi325x, .mi325x]))
        let target = try await resolver.resolve(try request(["AIM_GPU_MODEL": "MI300A"]), requireGPU: true)
        #expect(target == GPUTarget(model: .mi300a, count: 1, source: "AIM_GPU_MODEL"))
    }

    @Test func detectionGivesTheFirstModelAndTheVisibleCountUnlessACountIsSet() async throws {
        let resolver = GPUTargetResolver(detector: FixedDetector(models: [.mi325x, .mi325x]))
        #expect(
            try await resolver.resolve(try request([:]), requireGPU: true)
                == GPUTarget(model: .mi325x, count: 2, source: "sysfs"))
        #expect(try await resolver.resolve(try request(["AIM_GPU_COUNT": "8"]), requireGPU: true).count == 8)
    }

    @Test func noGPUIsAnErrorOnlyWhereAGPUIsNeeded() async throws {
        let resolver = GPUTargetResolver(detector: FixedDetector(models: []))
        let error = await #expect(throws: AIMError.self) {
            try await resolver.resolve(try request([:]), requireGPU: true)
        }
        #expect(error?.status == .noGPU)
        #expect(error?.message.contains("no AMD GPU found; tried sysfs: found no GPU") == true)
        #expect(error?.message.contains("AIM_GPU_MODEL") == true)
        #expect(
            try await resolver.resolve(try request([:]), requireGPU: false)
                == GPUTarget(model: .none, count: 0, source: "none"))
    }
}
