import AIMConfiguration
import AIMCore
import AIMProfiles
import AIMSelection
import AIMTestSupport
import Testing

@Suite struct CatalogAndSelectionTests {
    let root: TemporaryDirectory

    init() throws {
        root = try TemporaryDirectory()
        try root.write("org/model/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.yaml())
        try root.write(
            "org/model/vllm-mi300x-fp8-tp1-latency.yaml", ProfileFixture.yaml(precision: "fp8", type: "unoptimized"))
        try root.write(
            "org/model/vllm-mi300x-fp4-tp1-latency.yaml", ProfileFixture.yaml(precision: "fp4", manual: "true"))
        try root.write(
            "org/model/vllm-mi300x-fp16-tp2-throughput.yaml", ProfileFixture.yaml(gpuCount: "2", metric: "throughput"))
        try root.write("org/other/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.yaml(aimID: "org/other"))
        try root.write("general/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.general())
        try root.write(
            "general/vllm-mi325x-fp16-tp2-latency.yaml", ProfileFixture.general(gpu: "MI325X", gpuCount: "2"))
        try root.write("general/notes.yml", "not a profile")
    }

    func request(
        aimID: String? = "org/model", gpu: GPUModel = .mi300x, count: Int = 1, metric: Metric = .latency,
        precision: Precision? = nil, engine: EngineKind = .vllm, fallback: Bool = true
    ) -> SelectionRequest {
        SelectionRequest(
            aimID: aimID, engine: engine, metric: metric, precision: precision,
            gpu: GPUTarget(model: gpu, count: count, source: "test"), allowGeneralFallback: fallback)
    }

    var catalog: ProfileCatalog { ProfileCatalogLoader().load(root: root.path, aimID: "org/model") }

    @Test func searchesCustomThenModelThenGeneral() {
        let catalog = self.catalog
        #expect(catalog.searchPaths.map(\.priority) == [1, 2, 3])
        #expect(catalog.profiles.count == 6)
        #expect(!catalog.profiles.contains { $0.aimID == "org/other" })
        #expect(catalog.profile(withID: "general/vllm-mi300x-fp16-tp1-latency")?.location.searchPriority == 3)
        let withoutModel = ProfileCatalogLoader().load(root: root.path, aimID: "nodash")
        #expect(withoutModel.searchPaths.map(\.priority) == [1, 2])
    }

    @Test func ranksByPriorityThenPrecisionThenType() throws {
        let selector = ProfileSelector()
        let ranked = selector.rank(selector.assess(catalog, for: request()))
        #expect(
            ranked.map(\.profile.id) == [
                "vllm-mi300x-fp4-tp1-latency", "vllm-mi300x-fp8-tp1-latency", "vllm-mi300x-fp16-tp1-latency",
                "general/vllm-mi300x-fp16-tp1-latency",
            ])
        // fp4 is manual-only, so the unoptimized fp8 profile wins: precision outranks type.
        #expect(
            try selector.select(from: catalog, for: request(), forcedID: nil).profile.id
                == "vllm-mi300x-fp8-tp1-latency")
        let fp16 = try selector.select(from: catalog, for: request(precision: .fp16), forcedID: nil)
        #expect(fp16.profile.id == "vllm-mi300x-fp16-tp1-latency")
    }

    @Test func statesFollowTheReferenceOrderOfChecks() {
        let selector = ProfileSelector()
        let states = Dictionary(
            uniqueKeysWithValues: selector.assess(catalog, for: request(count: 2, metric: .throughput)).map {
                ($0.profile.id, $0.state)
            })
        #expect(states["vllm-mi300x-fp16-tp2-throughput"] == .compatible)
        #expect(states["vllm-mi300x-fp16-tp1-latency"] == .metricMismatch)
        let engine = selector.assess(catalog, for: request(engine: .sglang))
        #expect(engine.allSatisfy { $0.state == .engineMismatch })
        let model = selector.assess(catalog, for: request(aimID: nil))
        #expect(
            model.filter { !$0.profile.isGeneral && $0.profile.metadata.metric == .latency }.allSatisfy {
                $0.state == .modelMismatch
            })
        let gpu = selector.assess(catalog, for: request(gpu: .mi325x, count: 1))
        #expect(gpu.first { $0.profile.id == "general/vllm-mi325x-fp16-tp2-latency" }?.reason == "gpu_count 2, want 1")
    }

    @Test func generalFallbackOffMakesGeneralProfilesManual() throws {
        let selector = ProfileSelector()
        let noModel = request(aimID: nil, fallback: false)
        let assessments = selector.assess(catalog, for: noModel)
        #expect(assessments.first { $0.profile.id == "general/vllm-mi300x-fp16-tp1-latency" }?.state == .manualOnly)
        let error = #expect(throws: AIMError.self) { try selector.select(from: catalog, for: noModel, forcedID: nil) }
        #expect(error?.status == .noCompatibleProfile)
        #expect(error?.message.contains("1 manual_only") == true)
        #expect(error?.message.contains("list-profiles") == true)
        let allowed = try selector.select(from: catalog, for: request(aimID: nil), forcedID: nil)
        #expect(allowed.profile.id == "general/vllm-mi300x-fp16-tp1-latency")
    }

    @Test func noMatchGivesABreakdownByReason() {
        let error = #expect(throws: AIMError.self) {
            try ProfileSelector().select(from: catalog, for: request(count: 3), forcedID: nil)
        }
        #expect(error?.status == .noCompatibleProfile)
        #expect(error?.message.contains("5 gpu_mismatch, 1 metric_mismatch") == true, "\(error?.message ?? "")")
    }

    @Test func aForcedIDSkipsEveryCheck() throws {
        let selection = try ProfileSelector().select(
            from: catalog, for: request(gpu: .none, count: 0), forcedID: "vllm-mi300x-fp4-tp1-latency")
        #expect(selection.forced)
        #expect(selection.profile.metadata.manualSelectionOnly)
    }

    @Test func anUnknownForcedIDListsTheNearestIDs() {
        let error = #expect(throws: AIMError.self) {
            try ProfileSelector().select(from: catalog, for: request(), forcedID: "vllm-mi300x-fp16-tp1-latncy")
        }
        #expect(error?.status == .configuration)
        #expect(error?.message.contains("nearest: vllm-mi300x-fp16-tp1-latency") == true)
    }

    @Test func aBrokenCustomProfileIsSkippedListedAndFatalOnlyWhenForced() throws {
        try root.write("custom/broken.yaml", ProfileFixture.yaml(aimID: "org/model", gpu: "MI301X"))
        try root.write("custom/fine.yaml", ProfileFixture.yaml(aimID: "org/model"))
        let catalog = self.catalog
        #expect(catalog.invalid.map(\.id) == ["custom/org/model/broken"])
        #expect(catalog.invalid[0].message.contains("custom/broken.yaml:"))
        let selection = try ProfileSelector().select(from: catalog, for: request(), forcedID: nil)
        #expect(selection.profile.id == "custom/org/model/fine")
        let forced = #expect(throws: AIMError.self) {
            try ProfileSelector().select(from: catalog, for: request(), forcedID: "custom/org/model/broken")
        }
        #expect(forced?.status == .invalidProfile)
    }

    @Test func duplicateIDsKeepTheFirstInPathOrder() throws {
        try root.write("org/model/a/dup.yaml", ProfileFixture.yaml(metric: "throughput"))
        try root.write("org/model/b/dup.yaml", ProfileFixture.yaml())
        let duplicates = catalog.profiles.filter { $0.id == "dup" }
        #expect(duplicates.count == 1)
        #expect(duplicates.first?.location.relativePath == "org/model/a/dup.yaml")
    }
}
