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
        // A group's profiles need their group to serve: MultiNodeGroupTests runs serve on two nodes.
        for profile in profiles where profile.nodes == 1 {
            try check(profile)
        }
    }

    func check(_ profile: (file: String, id: String, aimID: String?, gpu: String, nodes: Int)) throws {
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

    /// A Hub model's command is final before the download: shown while nothing is cached, it is what serve
    /// runs once the model is in the hub cache (here put there by hand, as the store lays it out, and served
    /// offline), and the receipt names the commit and each file's hash.
    @Test(.enabled(if: pythonPresent, "no /usr/bin/python3 to stand in for the engines' interpreter"))
    func aHubModelsCommandIsTheSameBeforeAndAfterTheDownload() throws {
        var environment = [
            "PATH": work.path + "/bin:/usr/bin:/bin", "HOME": work.path, "PYTHONPATH": work.path + "/site",
            "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles",
            "AIM_PROFILE_ID": "general/vllm-mi300x-fp16-tp1-latency", "AIM_GPU_MODEL": "MI300X",
            "AIM_GPU_COUNT": "1", "AIM_CACHE_PATH": work.path + "/cache", "AIM_MODEL_ID": "org/hub-model",
            "AIM_PORT": String(LocalServer.freePort()), "AIM_STATUS_PATH": work.path + "/status/serve-status.json",
            "SPEC_RECORD": work.path + "/record.json", "HF_HUB_OFFLINE": "1",
        ]
        let before = try plan(environment, "hub")
        #expect(before.model["download"] as? Bool == true && before.model["source"] as? String == "huggingface")
        let text = "{}"
        let blob = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"  // sha256("{}")
        let commit = String(repeating: "a", count: 40)
        let repo = work.path + "/cache/hub/models--org--hub-model"
        try work.write("cache/hub/models--org--hub-model/blobs/\(blob)", text)
        try work.write("cache/hub/models--org--hub-model/refs/main", commit)
        try FileManager.default.createDirectory(
            atPath: repo + "/snapshots/\(commit)", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: repo + "/snapshots/\(commit)/config.json", withDestinationPath: "../../blobs/\(blob)")
        let after = try plan(environment, "hub")
        #expect(after.model["source"] as? String == "hub-cache" && after.model["download"] as? Bool == false)
        #expect(after.command == before.command && after.env == before.env)
        #expect(after.env["HF_HOME"] == work.path + "/cache" && after.env["HF_HUB_OFFLINE"] == "1")

        environment["HF_HUB_OFFLINE"] = "1"
        let served = try CLI.runProgram(CLI.binary, ["serve"], environment: environment)
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work.path + "/record.json")))
                as? [String: Any], "\(served.stderr.suffix(800))")
        #expect(record["argv"] as? [String] == before.command)
        let engineEnvironment = try #require(record["env"] as? [String: String])
        for (key, value) in before.env { #expect(engineEnvironment[key] == value, "\(key)") }
        let receipt = try CLI.runProgram(CLI.binary, ["receipt"], environment: environment)
        let model = try #require(
            (try JSONSerialization.jsonObject(with: Data(receipt.stdout.utf8)) as? [String: Any])?["model"]
                as? [String: Any], "\(receipt.stderr)")
        #expect(model["revision"] as? String == commit)
        #expect(model["path"] as? String == repo + "/snapshots/\(commit)")
        let files = try #require(model["files"] as? [[String: Any]])
        #expect(files.count == 1 && files.first?["hash"] as? String == "sha256:\(blob)", "\(files)")
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
