import AIMCore
import AIMProfiles
import AIMTestSupport
import Testing

@Suite struct ShippedCatalogTests {
    let root = CLI.packageRoot + "/profiles"

    @Test func everyShippedProfileValidates() {
        let loader = ProfileCatalogLoader()
        let files = ProfileFileFinder.yamlFiles(under: root)
        #expect(files.count >= 60)
        for file in files {
            if case .failure(let problem) = loader.validateFile(at: root + "/" + file) {
                Issue.record("\(problem.message)")
            }
        }
    }

    @Test func generalProfilesCoverMI300XMI325XAndMI355X() {
        let catalog = ProfileCatalogLoader().load(root: root, aimID: nil)
        let general = Set(catalog.profiles.filter(\.isGeneral).map(\.metadata.impliedID))
        for gpu in ["mi300x", "mi325x", "mi355x"] {
            for tp in [1, 2, 4, 8] {
                for metric in ["latency", "throughput"] {
                    #expect(general.contains("vllm-\(gpu)-fp16-tp\(tp)-\(metric)"))
                }
            }
        }
    }

    /// Every model row of the Command A Reasoning AIM's profile table (seed 001).
    @Test func commandAReasoningHasEverySeedRow() {
        let rows: [(String, String)] = [
            ("vllm-mi300x-fp16-tp8-latency", "unoptimized"), ("vllm-mi300x-fp16-tp1-latency", "unoptimized"),
            ("vllm-mi250x-fp16-tp8-latency", "unoptimized"), ("vllm-mi250x-fp16-tp8-throughput", "unoptimized"),
            ("vllm-mi300x-fp16-tp2-latency", "preview"), ("vllm-mi300x-fp16-tp2-throughput", "preview"),
            ("vllm-mi300x-fp16-tp4-latency", "preview"), ("vllm-mi300x-fp16-tp4-throughput", "optimized"),
            ("vllm-mi300x-fp16-tp8-latency", "optimized"), ("vllm-mi300x-fp16-tp8-throughput", "optimized"),
            ("vllm-mi325x-fp16-tp2-latency", "unoptimized"), ("vllm-mi325x-fp16-tp2-throughput", "unoptimized"),
            ("vllm-mi325x-fp16-tp4-latency", "unoptimized"), ("vllm-mi325x-fp16-tp4-throughput", "unoptimized"),
            ("vllm-mi325x-fp16-tp8-latency", "unoptimized"), ("vllm-mi325x-fp16-tp8-throughput", "unoptimized"),
        ]
        let aimID = "CohereLabs/command-a-reasoning-08-2025"
        let shipped = ProfileCatalogLoader().load(root: root, aimID: aimID).profiles.filter { $0.aimID == aimID }
        var remaining = shipped.map { ($0.metadata.impliedID, $0.metadata.type.rawValue) }
        for row in rows {
            if let index = remaining.firstIndex(where: { $0 == row }) {
                remaining.remove(at: index)
            } else {
                Issue.record("missing \(row)")
            }
        }
        #expect(remaining.isEmpty, "unexpected extra profiles: \(remaining)")
        // Unoptimized profiles are not validated on their hardware: manual selection only.
        #expect(shipped.allSatisfy { $0.metadata.manualSelectionOnly == ($0.metadata.type == .unoptimized) })
    }

    @Test func atLeastFourModelsAndAnSGLangModelShip() {
        let modelDirectories = Set(
            ProfileFileFinder.yamlFiles(under: root).filter { !$0.hasPrefix("general/") }
                .map { $0.split(separator: "/").prefix(2).joined(separator: "/") })
        #expect(modelDirectories.count >= 4)
        let qwen = ProfileCatalogLoader().load(root: root, aimID: "Qwen/Qwen3-32B")
        #expect(qwen.profiles.contains { $0.metadata.engine == .sglang })
    }
}
