import AIMTestSupport
import Foundation
import Testing

/// What `select --dry-run` shows is what `serve` runs: for every shipped profile, the argv and the
/// variables of the dry-run JSON equal, byte for byte, what the engine received, and the engine got
/// nothing else beyond serve's own environment. The engine is a stand-in vLLM or SGLang package whose
/// server module records /proc/self/cmdline and /proc/self/environ (Tests/Servers/record_engine.py); the
/// interpreter is the real one, under the name `python`, so argv[0] is checked too. The stand-in vLLM
/// defines `--shutdown-timeout`, so the flag that depends on the installed version is in both.
@Suite struct SpecFidelityTests {
    let work: TemporaryDirectory

    init() throws {
        work = try TemporaryDirectory()
        let recorder = try String(contentsOfFile: CLI.packageRoot + "/Tests/Servers/record_engine.py", encoding: .utf8)
        try work.write("site/vllm/__init__.py", "")
        try work.write("site/vllm/entrypoints/openai/api_server.py", recorder)
        try work.write("site/vllm/engine/arg_utils.py", #"parser.add_argument("--shutdown-timeout", type=int)"#)
        try work.write("site/vllm-0.32.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: vllm\nVersion: 0.32.0\n")
        try work.write("site/sglang/__init__.py", "")
        try work.write("site/sglang/launch_server.py", recorder)
        try work.write(
            "site/sglang-0.5.23.dist-info/METADATA", "Metadata-Version: 2.1\nName: sglang\nVersion: 0.5.23\n")
        try FileManager.default.createDirectory(atPath: work.path + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: work.path + "/bin/python", withDestinationPath: "/usr/bin/python3")
    }

    static let pythonPresent = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    @Test(.enabled(if: pythonPresent, "no /usr/bin/python3 to stand in for the engines' interpreter"))
    func everyShippedProfileRunsExactlyWhatTheDryRunShows() throws {
        let profiles = EngineParserTests.shippedProfiles
        #expect(profiles.count >= 60)
        for profile in profiles {
            try check(profile)
        }
    }

    func check(_ profile: (file: String, id: String, aimID: String?, gpu: String)) throws {
        let port = LocalServer.freePort()
        var environment = [
            "PATH": work.path + "/bin:/usr/bin:/bin", "HOME": work.path, "PYTHONPATH": work.path + "/site",
            "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles", "AIM_PROFILE_ID": profile.id,
            "AIM_GPU_MODEL": profile.gpu, "AIM_GPU_COUNT": "8", "AIM_CACHE_PATH": work.path + "/cache",
            "AIM_PORT": String(port), "AIM_STATUS_PATH": work.path + "/status/serve-status.json",
            "AIM_LOG_LEVEL": "WARNING", "SPEC_RECORD": work.path + "/record.json",
        ]
        environment[profile.aimID == nil ? "AIM_MODEL_ID" : "AIM_ID"] = profile.aimID ?? "org/any-model"
        // The model, complete in the cache, so serve loads it as it is and nothing goes to the network.
        let first = try plan(environment, profile.file)
        let modelID = try #require(first.model["id"] as? String, "\(profile.file)")
        try work.write("cache/\(modelID)/config.json", "{}")
        let shown = try plan(environment, profile.file)
        #expect(shown.model["source"] as? String == "cache", "\(profile.file)")
        try? FileManager.default.removeItem(atPath: work.path + "/record.json")

        let served = try CLI.runProgram(CLI.binary, ["serve"], environment: environment)
        let recordText = try #require(
            try? String(contentsOfFile: work.path + "/record.json", encoding: .utf8),
            "\(profile.file): the engine never started: \(served.stderr.suffix(800))")
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(recordText.utf8)) as? [String: Any], "\(profile.file)")
        let argv = try #require(record["argv"] as? [String])
        let engineEnvironment = try #require(record["env"] as? [String: String])
        #expect(argv == shown.command, "\(profile.file): the engine got \(argv), the dry run shows \(shown.command)")
        for (key, value) in shown.env {
            #expect(engineEnvironment[key] == value, "\(profile.file): \(key)")
        }
        #expect(
            Set(engineEnvironment.keys) == Set(environment.keys).union(shown.env.keys),
            "\(profile.file): the engine's environment is serve's plus the plan's, nothing else")
        for (key, value) in environment where shown.env[key] == nil {
            #expect(engineEnvironment[key] == value, "\(profile.file): \(key) passed on unchanged")
        }
        // The installed engine's version-dependent flag is in both, where the engine is vLLM.
        if profile.file.split(separator: "/").last!.hasPrefix("vllm-") {
            #expect(argv.contains("--shutdown-timeout"), "\(profile.file)")
        }
        #expect(
            served.status == 3, "\(profile.file): serve ends with the engine's own code: \(served.stderr.suffix(400))")

        // The receipt says what ran: the same argv, the profile's hash, the engine's version.
        let receipt = try CLI.runProgram(CLI.binary, ["receipt"], environment: environment)
        #expect(receipt.status == 0, "\(receipt.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(receipt.stdout.utf8)) as? [String: Any])
        #expect(document["command"] as? [String] == shown.command, "\(profile.file)")
        #expect((document["profile"] as? [String: Any])?["sha256"] as? String == Self.sha256(of: profile.file))
        let engine = document["engine"] as? [String: Any]
        #expect(engine?["version"] as? String == (argv.contains("sglang.launch_server") ? "0.5.23" : "0.32.0"))
        let phases = try #require(document["phases"] as? [String: Any])
        for phase in ["detect", "select", "download", "spawn"] {
            #expect(phases[phase] is String, "\(profile.file): \(phase) has a time")
        }
        #expect(phases["ready"] is NSNull, "the engine never became ready")
    }

    /// The dry run's command, the variables it adds, and its model.
    func plan(
        _ environment: [String: String], _ file: String
    ) throws -> (
        command: [String], env: [String: String], model: [String: Any]
    ) {
        let outcome = try CLI.runProgram(
            CLI.binary, ["select", "--dry-run", "--format", "json"], environment: environment)
        #expect(outcome.status == 0, "\(file): \(outcome.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], "\(file)")
        return (
            try #require(document["command"] as? [String]), try #require(document["env"] as? [String: String]),
            try #require(document["model"] as? [String: Any])
        )
    }

    static func sha256(of profile: String) -> String? {
        let outcome = try? CLI.runProgram(
            "/usr/bin/sha256sum", [CLI.packageRoot + "/profiles/" + profile], environment: ["PATH": "/usr/bin:/bin"])
        return outcome?.stdout.split(separator: " ").first.map(String.init)
    }
}
