import AIMCore
import AIMMemory
import AIMProfiles
import AIMSelection
import AIMTestSupport
import Testing

/// Selection with memory estimates: what cannot fit is skipped, a forced one is refused or warned about,
/// and a base AIM's model takes the fewest GPUs it fits on.
@Suite struct MemorySelectionTests {
    let root: TemporaryDirectory

    init() throws {
        root = try TemporaryDirectory()
        for count in ["1", "2", "4", "8"] {
            try root.write(
                "general/vllm-mi300x-fp16-tp\(count)-latency.yaml", ProfileFixture.general(gpuCount: count))
        }
    }

    var catalog: ProfileCatalog { ProfileCatalogLoader().load(root: root.path, aimID: nil) }

    func estimate(_ verdict: MemoryEstimate.Verdict) -> MemoryEstimate {
        MemoryEstimate(
            verdict: verdict, requiredBytesPerGPU: 1, availableBytesPerGPU: 2,
            maxModelLenThatFits: verdict == .doesNotFit ? nil : 4096, reason: "\(verdict.rawValue) because")
    }

    /// Estimates by tensor parallelism (the profile's gpu_count).
    func request(
        _ verdicts: [Int: MemoryEstimate.Verdict], count: Int = 8, auto: Bool = true, check: MemoryCheck = .warn
    ) -> SelectionRequest {
        var memory: [String: MemoryEstimate] = [:]
        for profile in catalog.profiles {
            memory[profile.location.path] = verdicts[profile.metadata.gpuCount].map(estimate)
        }
        return SelectionRequest(
            aimID: nil, engine: .vllm, metric: .latency, precision: nil,
            gpu: GPUTarget(model: .mi300x, count: count, source: "test"), allowGeneralFallback: true,
            gpuCountIsAuto: auto, memoryCheck: check, memory: memory)
    }

    @Test func aBaseAIMsModelTakesTheSmallestTensorParallelismItFitsWithItsFullContext() throws {
        let selector = ProfileSelector()
        let fitsAtTwo = request([1: .fitsWithMaxModelLen, 2: .fits, 4: .fits, 8: .fits])
        #expect(try selector.select(from: catalog, for: fitsAtTwo, forcedID: nil).profile.metadata.gpuCount == 2)
        // AIM_GPU_COUNT given: the reference's rule, every GPU.
        let counted = request([1: .fits, 2: .fits, 4: .fits, 8: .fits], auto: false)
        #expect(try selector.select(from: catalog, for: counted, forcedID: nil).profile.metadata.gpuCount == 8)
        // Unknown memory: the reference's rule too.
        let unknown = request([1: .unknown, 2: .unknown, 4: .unknown, 8: .unknown])
        #expect(try selector.select(from: catalog, for: unknown, forcedID: nil).profile.metadata.gpuCount == 8)
        // Never more GPUs than there are.
        let four = request([1: .doesNotFit, 2: .doesNotFit, 4: .fits, 8: .fits], count: 4)
        #expect(try selector.select(from: catalog, for: four, forcedID: nil).profile.metadata.gpuCount == 4)
    }

    /// With AIM_PRECISION auto, a bf16 checkpoint takes the 16-bit general profile over an fp8 one that
    /// would otherwise rank first (smaller precision); an fp8 checkpoint takes the fp8 one.
    @Test func aBaseAIMsProfilePrecisionFollowsTheCheckpoint() throws {
        try root.write(
            "general/vllm-mi300x-fp8-tp8-latency.yaml", ProfileFixture.general(gpuCount: "8", precision: "fp8"))
        func chosen(_ model: Precision) throws -> String {
            var memory: [String: MemoryEstimate] = [:]
            for profile in catalog.profiles {
                memory[profile.location.path] = MemoryEstimate(
                    verdict: .fitsWithMaxModelLen, requiredBytesPerGPU: 1, availableBytesPerGPU: 1,
                    maxModelLenThatFits: 4096, reason: "", modelPrecision: model)
            }
            let request = SelectionRequest(
                aimID: nil, engine: .vllm, metric: .latency, precision: nil,
                gpu: GPUTarget(model: .mi300x, count: 8, source: "test"), allowGeneralFallback: true,
                gpuCountIsAuto: true, memoryCheck: .warn, memory: memory)
            return try ProfileSelector().select(from: catalog, for: request, forcedID: nil).profile.id
        }
        #expect(try chosen(.bf16) == "general/vllm-mi300x-fp16-tp8-latency")
        #expect(try chosen(.fp8) == "general/vllm-mi300x-fp8-tp8-latency")
    }

    @Test func whatCannotFitIsSkippedAndSaysWhy() throws {
        let selector = ProfileSelector()
        let nothing = request([1: .doesNotFit, 2: .doesNotFit, 4: .doesNotFit, 8: .doesNotFit])
        let assessments = selector.assess(catalog, for: nothing)
        let full = try #require(assessments.first { $0.profile.metadata.gpuCount == 8 })
        #expect(full.state == .insufficientMemory)
        #expect(full.reason == "does not fit in memory: does_not_fit because")
        let error = #expect(throws: AIMError.self) { try selector.select(from: catalog, for: nothing, forcedID: nil) }
        #expect(error?.status == .noCompatibleProfile)
        #expect(error?.message.contains("1 insufficient_memory") == true, "\(error?.message ?? "")")
        // Off: nothing is estimated or skipped.
        let off = request([8: .doesNotFit], check: .off)
        #expect(try selector.select(from: catalog, for: off, forcedID: nil).profile.metadata.gpuCount == 8)
    }

    @Test func aForcedProfileThatCannotFitIsRefusedWhenStrictAndStartedWhenWarned() throws {
        let selector = ProfileSelector()
        let id = "general/vllm-mi300x-fp16-tp1-latency"
        let strict = #expect(throws: AIMError.self) {
            try selector.select(from: catalog, for: request([1: .doesNotFit], check: .strict), forcedID: id)
        }
        #expect(strict?.status == .insufficientMemory)
        #expect(strict?.message.contains("AIM_MEMORY_CHECK=warn") == true)
        #expect(try selector.select(from: catalog, for: request([1: .doesNotFit]), forcedID: id).forced)
    }
}
