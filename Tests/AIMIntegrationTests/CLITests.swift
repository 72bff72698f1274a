import AIMConfiguration
import AIMCore
import AIMTestSupport
import Foundation
import Testing

/// The built binary, end to end: exit codes, stdout/stderr discipline and output contracts.
@Suite struct CLITests {
    let root: TemporaryDirectory
    var base: [String: String] {
        ["AIM_PROFILE_BASE_PATH": root.path, "AIM_ID": "org/model", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1"]
    }

    init() throws {
        root = try TemporaryDirectory()
        try root.write(
            "org/model/vllm-mi300x-fp16-tp1-latency.yaml",
            ProfileFixture.yaml(envVars: "  VLLM_USE_V1: '1'\n  HF_TOKEN: 'hf_secret'\n"))
        try root.write("general/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.general())
        try root.write("custom/broken.yaml", "metadata: [unclosed\n")
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: [
        ("AIM_GPU_COUNT", "two"), ("AIM_GPU_COUNT", "-2"), ("AIM_PRECISION", "fp64"), ("AIM_ENGINE", "tgi"),
        ("AIM_METRIC", "speed"), ("AIM_GPU_MODEL", "MI999"), ("AIM_PORT", "70000"), ("AIM_ENGINE_ARGS", "[1]"),
        ("AIM_ALLOW_GENERAL_PROFILE_FALLBACK", "maybe"),
    ])
    func badVariablesExitTwoWithOneLineNamingThem(variable: String, value: String) throws {
        let outcome = try CLI.run(["select", "--dry-run"], environment: base.merging([variable: value]) { $1 })
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(lines.first?.contains(variable) == true)
        #expect(lines.first?.contains(value) == true)
    }

    @Test func bothOrNeitherModelIdentityExitsTwo() throws {
        var both = base
        both["AIM_MODEL_ID"] = "c/d"
        #expect(try CLI.run(["select", "--dry-run"], environment: both).status == 2)
        var neither = base
        neither["AIM_ID"] = nil
        let outcome = try CLI.run(["select", "--dry-run"], environment: neither)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("AIM_MODEL_ID"))
    }

    @Test func selectJSONIsOneDocumentOnStdoutWithSecretsHidden() throws {
        let outcome = try CLI.run(["select", "--dry-run", "--format", "json"], environment: base)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let plan = try json(outcome.stdout)
        let profile = try #require(plan["profile"] as? [String: Any])
        #expect(profile["id"] as? String == "vllm-mi300x-fp16-tp1-latency")
        #expect(profile["path"] as? String == "org/model/vllm-mi300x-fp16-tp1-latency.yaml")
        #expect(profile["source"] as? String == "model")
        let command = try #require(plan["command"] as? [String])
        #expect(
            Array(command.dropFirst()) == [
                "-m", "vllm.entrypoints.openai.api_server", "--model", "org/model", "--tensor-parallel-size", "1",
                "--port", "8000", "--served-model-name", "org/model",
            ])
        let env = try #require(plan["env"] as? [String: String])
        // A Hub model is loaded from the hub cache serve fills first: the engine never goes to the network.
        #expect(
            env == [
                "VLLM_USE_V1": "1", "HF_TOKEN": "***", "HF_HOME": "/workspace/model-cache", "HF_HUB_OFFLINE": "1",
            ])
        let model = try #require(plan["model"] as? [String: Any])
        #expect(
            model["download"] as? Bool == true
                && model["location"] as? String == "/workspace/model-cache/hub/models--org--model")
        let readiness = try #require(plan["readiness"] as? [String: Any])
        #expect(readiness["port"] as? Int == 8000 && readiness["model_name"] as? String == "org/model")
        #expect(plan["served_model_names"] as? [String] == ["org/model"])
        let engine = try #require(plan["engine"] as? [String: Any])
        #expect(engine["installed"] as? Bool == false && engine["entrypoint"] as? String == "module")
        #expect(!outcome.stdout.contains("hf_secret") && !outcome.stderr.contains("hf_secret"))
        let gpu = try #require(plan["gpu"] as? [String: Any])
        #expect(gpu["model"] as? String == "MI300X" && gpu["count"] as? Int == 1)
    }

    @Test func noCompatibleProfileExitsThreeWithABreakdown() throws {
        let outcome = try CLI.run(
            ["select", "--format", "json"], environment: base.merging(["AIM_GPU_COUNT": "4"]) { $1 })
        #expect(outcome.status == 3)
        let error = try #require(try json(outcome.stdout)["error"] as? [String: Any])
        #expect(error["code"] as? String == "no_compatible_profile")
        #expect((error["message"] as? String)?.contains("2 gpu_mismatch, 1 invalid") == true)
        #expect(outcome.stderr.contains("list-profiles"))
    }

    @Test func referenceDryRunJSONKeepsTheOperatorShape() throws {
        let outcome = try CLI.run(["dry-run", "--format", "json"], environment: base)
        #expect(outcome.status == 0)
        let entries = try #require(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries[0]["filename"] as? String == "vllm-mi300x-fp16-tp1-latency.yaml")
        let models = try #require(entries[0]["models"] as? [[String: Any]])
        #expect(models[0]["name"] as? String == "org/model")
        #expect(models[0]["source"] as? String == "hf://org/model")
        #expect(models[0]["size_gb"] is NSNull)
        let none = try CLI.run(
            ["dry-run", "--format", "json"], environment: base.merging(["AIM_GPU_COUNT": "8"]) { $1 })
        #expect(none.status == 0)
        #expect(none.stdout == "[]\n")
    }

    @Test func referenceDryRunTextShowsProfileAndScriptWithoutWritingIt() throws {
        let outcome = try CLI.run(["dry-run"], environment: base.merging(["TMPDIR": root.path]) { $1 })
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("SELECTED PROFILE"))
        #expect(outcome.stdout.contains("GENERATED SCRIPT"))
        #expect(outcome.stdout.contains("exec python3 -m vllm.entrypoints.openai.api_server --model org/model"))
        #expect(outcome.stdout.contains("export HF_TOKEN='***'"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".sh") }
        #expect(leftovers.isEmpty)
    }

    @Test func listProfilesShowsInvalidAndTheChoiceWithoutColourOffATerminal() throws {
        let outcome = try CLI.run(["list-profiles", "--format", "json"], environment: base)
        #expect(outcome.status == 0)
        let report = try json(outcome.stdout)
        #expect(report["selected"] as? String == "vllm-mi300x-fp16-tp1-latency")
        let profiles = try #require(report["profiles"] as? [[String: Any]])
        #expect(profiles.map { $0["state"] as? String } == ["compatible", "compatible", "invalid"])
        #expect(outcome.stderr.contains("custom/broken.yaml:"))
        let table = try CLI.run(["list-profiles", "--state", "invalid"], environment: base)
        #expect(table.stdout.contains("invalid"))
        #expect(!table.stdout.contains("\u{1B}["))
        #expect(!table.stdout.contains("general/vllm"))
    }

    @Test func validateProfilesExitsFourOnAnInvalidFile() throws {
        let good = try CLI.run(["validate-profiles", root.path + "/org"], environment: [:])
        #expect(good.status == 0)
        #expect(good.stdout.hasSuffix("1 valid, 0 invalid\n"))
        let bad = try CLI.run(["validate-profiles", root.path], environment: [:])
        #expect(bad.status == 4)
        #expect(bad.stdout.contains("YAML syntax error"))
    }

    @Test func forcedProfileAndUnknownID() throws {
        let forced = try CLI.run(
            ["select", "--format", "json"],
            environment: base.merging([
                "AIM_PROFILE_ID": "general/vllm-mi300x-fp16-tp1-latency", "AIM_GPU_MODEL": "MI325X",
            ]) { $1 })
        #expect(forced.status == 0)
        let invalid = try CLI.run(["select"], environment: base.merging(["AIM_PROFILE_ID": "custom/broken"]) { $1 })
        #expect(invalid.status == 4)
        let unknown = try CLI.run(
            ["select"], environment: base.merging(["AIM_PROFILE_ID": "vllm-mi300x-fp16-tp1-latenc"]) { $1 })
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("nearest: vllm-mi300x-fp16-tp1-latency"))
    }

    @Test func usageErrorsExitTwoAndHelpListsVariables() throws {
        #expect(try CLI.run(["select", "--format", "xml"]).status == 2)
        #expect(try CLI.run(["no-such-command"]).status == 2)
        let help = try CLI.run(["select", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("AIM_GPU_COUNT") && help.stdout.contains("--gpu-count"))
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let outcome = try CLI.run(["select"], environment: base.merging(["AIM_LOG_FORMAT": "json"]) { $1 })
        #expect(outcome.status == 0)
        for line in outcome.stderr.split(separator: "\n") {
            let record = try json(String(line))
            #expect(Set(record.keys) == ["time", "level", "logger", "message", "metadata", "stream", "pid"])
        }
        #expect(!outcome.stderr.isEmpty)
    }

    @Test func theShippedCatalogServesTheReadmeExample() throws {
        let outcome = try CLI.run(
            ["select", "--dry-run", "--format", "json"],
            environment: [
                "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "8", "AIM_ID": "CohereLabs/command-a-reasoning-08-2025",
                "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles",
            ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let profile = try #require(try json(outcome.stdout)["profile"] as? [String: Any])
        #expect(profile["id"] as? String == "vllm-mi300x-fp16-tp8-latency")
    }

    /// A local model directory is served where it is: the plan says whether it exists, never "will download".
    @Test func planReportsALocalModelDirectoryAsPresentOrMissing() throws {
        let work = try TemporaryDirectory()
        try work.write("model/config.json", "{}")
        let environment = ["AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1"]
        let present = try CLI.run(
            ["select", "--dry-run"], environment: environment.merging(["AIM_MODEL_ID": work.path + "/model"]) { $1 })
        #expect(
            present.status == 0 && present.stdout.contains("(local); local directory (1 files"), "\(present.stdout)")
        let missing = try CLI.run(
            ["select", "--dry-run", "--format", "json"],
            environment: environment.merging(["AIM_MODEL_ID": work.path + "/none"]) { $1 })
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any])
        #expect(((plan["model"] as? [String: Any])?["cache"] as? [String: Any])?["state"] as? String == "missing")
        #expect((plan["model"] as? [String: Any])?["download"] as? Bool == false, "a local path is never downloaded")
    }

    /// An endpoint that refuses is named as such, by IP address and by host name (Happy Eyeballs reports it differently),
    /// and at once: a refusal is permanent, not retried.
    @Test(arguments: ["127.0.0.1", "localhost"])
    func aRefusedEndpointSaysWhatToCheck(host: String) throws {
        let cache = try TemporaryDirectory()
        let result = try CLI.run(
            ["download-to-cache", "--model-id", "org/model"],
            environment: [
                "AIM_CACHE_PATH": cache.path, "HF_ENDPOINT": "http://\(host):\(LocalServer.freePort())",
                "AIM_DOWNLOAD_CONNECT_TIMEOUT_SECONDS": "1",
            ])
        #expect(result.status == 6, "\(result.stderr)")
        #expect(result.stderr.contains("error: model download failed: cannot connect to \(host):"), "\(result.stderr)")
        #expect(result.stderr.contains(": connection refused; check HF_ENDPOINT"), "\(result.stderr)")
        #expect(!result.stderr.contains("retrying in"), "a refused connection is not retried: \(result.stderr)")
    }

    /// docs/configuration.md names a flag for these variables: every command that takes the settings accepts it.
    @Test func everyDocumentedFlagIsAccepted() throws {
        let help = try CLI.run(["select", "--help"])
        #expect(help.status == 0, "\(help.stderr)")
        for flag in ConfigVariable.allCases.compactMap(\.flag) {
            #expect(help.stdout.contains(flag + " "), "select --help does not offer \(flag)")
        }
        let gpus = try CLI.run([
            "gpus", "--format", "json", "--gpu-source", "sysfs", "--sysfs-path", gpuFixtures + "/mi300x-8/sys",
        ])
        #expect(gpus.status == 0, "\(gpus.stderr)")
        #expect(gpus.stdout.contains("\"source\": \"sysfs\""))
    }

    @Test func aCommandGroupWithoutASubcommandShowsItsHelp() throws {
        let outcome = try CLI.run(["cache"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("SUBCOMMANDS:") && outcome.stdout.contains("verify"))
    }
}

/// Memory fit through the CLI: list-profiles and select show it, select picks what fits, and the
/// longest context that fits is served when asked.
@Suite struct MemoryFitCLITests {
    let work: TemporaryDirectory

    init() throws {
        work = try TemporaryDirectory()
        for model in ["llama-3.1-8b", "llama-3.1-70b"] {
            let config = try String(
                contentsOfFile: CLI.packageRoot + "/Tests/Fixtures/models/\(model)/config.json", encoding: .utf8)
            try work.write("models/\(model)/config.json", config)
        }
    }

    func environment(_ model: String, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "AIM_MODEL_ID": work.path + "/models/" + model, "AIM_GPU_SOURCE": "sysfs",
            "AIM_SYSFS_PATH": gpuFixtures + "/mi300x-8/sys",
        ].merging(extra) { $1 }
    }

    @Test func listProfilesGivesEachProfileItsMemoryVerdict() throws {
        let outcome = try CLI.run(
            ["list-profiles", "--format", "json"], environment: environment("llama-3.1-70b", ["AIM_GPU_COUNT": "1"]))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let profiles = try #require(document["profiles"] as? [[String: Any]])
        func memory(_ id: String) -> [String: Any]? {
            profiles.first { $0["id"] as? String == id }?["memory"] as? [String: Any]
        }
        let one = try #require(memory("general/vllm-mi300x-fp16-tp1-latency"))
        #expect(one["verdict"] as? String == "fits_with_max_model_len")
        #expect((one["max_model_len_that_fits"] as? Int ?? 0) > 100_000)
        #expect(one["available_gib_per_gpu"] as? Double == 172.79)
        #expect(memory("general/vllm-mi300x-fp16-tp8-latency")?["verdict"] as? String == "fits")
        #expect(memory("general/vllm-mi325x-fp16-tp1-latency")?["verdict"] as? String == "fits", "256 GiB holds it")
    }

    @Test func aBaseAIMTakesTheFewestGPUsItFitsAndTheLongestContextWhenAsked() throws {
        let eight = try CLI.run(["select", "--dry-run", "--format", "json"], environment: environment("llama-3.1-8b"))
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(eight.stdout.utf8)) as? [String: Any])
        #expect((plan["profile"] as? [String: Any])?["id"] as? String == "general/vllm-mi300x-fp16-tp1-latency")
        #expect((plan["memory"] as? [String: Any])?["verdict"] as? String == "fits")
        #expect(eight.stderr.contains("The model fits on 1 of the 8 GPUs"), "\(eight.stderr)")

        let longest = try CLI.run(
            ["select", "--dry-run", "--format", "json"],
            environment: environment("llama-3.1-70b", ["AIM_GPU_COUNT": "1", "AIM_AUTO_MAX_MODEL_LEN": "true"]))
        let auto = try #require(try JSONSerialization.jsonObject(with: Data(longest.stdout.utf8)) as? [String: Any])
        let fits = try #require((auto["memory"] as? [String: Any])?["max_model_len_that_fits"] as? Int)
        let command = try #require(auto["command"] as? [String])
        #expect(Array(command.drop { $0 != "--max-model-len" }.prefix(2)) == ["--max-model-len", String(fits)])
        // Without it, a warning names the length and the fix.
        let warned = try CLI.run(
            ["select", "--dry-run"], environment: environment("llama-3.1-70b", ["AIM_GPU_COUNT": "1"]))
        #expect(warned.stderr.contains(#"set AIM_ENGINE_ARGS='{"max-model-len": \#(fits)}'"#), "\(warned.stderr)")
        #expect(!warned.stdout.contains("--max-model-len"))
    }

    @Test func aForcedProfileThatCannotFitIsExitSeventeenWhenStrict() throws {
        let outcome = try CLI.run(
            ["select", "--dry-run"],
            environment: environment(
                "llama-3.1-70b",
                [
                    "AIM_PROFILE_ID": "general/vllm-mi300x-fp16-tp1-latency", "AIM_MEMORY_CHECK": "strict",
                    "AIM_ENGINE_ARGS": #"{"dtype": "float32"}"#,
                ]))
        #expect(outcome.status == 17, "\(outcome.stderr)")
        let lastLine = outcome.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(
            lastLine.hasPrefix("error: profile general/vllm-mi300x-fp16-tp1-latency does not fit in memory: needs ≥ "),
            "\(outcome.stderr)")
    }
}
