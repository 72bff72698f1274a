import AIMCommands
import AIMConfiguration
import AIMCore
import AIMEngine
import AIMModelStore
import AIMProfiles
import AIMSelection
import AIMTestSupport
import OrderedCollections
import Testing

@Suite struct EngineCommandTests {
    func profile(_ text: String, relativePath: String = "org/model/p.yaml") throws -> Profile {
        try ProfileValidator().validate(
            text: text,
            location: ProfileLocation(path: "/r/" + relativePath, relativePath: relativePath, searchPriority: 2))
    }

    func settings(_ environment: [String: String]) throws -> LaunchSettings {
        try ConfigurationLoader(bundledProfileRoot: "/x", directoryExists: { _ in false })
            .load(ConfigurationInput(environment: environment), requireModel: true).launchSettings
    }

    let modelProfile = ProfileFixture.yaml(
        aimID: "meta-llama/Llama-3.1-8B-Instruct", modelID: "amd/Llama-3.1-8B-Instruct-FP8-KV",
        engineArgs: """
              async-scheduling: null
              distributed_executor_backend: mp
              gpu-memory-utilization: 0.9
              max-model-len: 32768
              no-enable-prefix-caching: null
              enable-log-requests: false
              tensor-parallel-size: 1

            """,
        envVars: "  GPU_ARCHS: gfx942\n  VLLM_ROCM_USE_AITER: '1'\n")

    @Test func rendersVLLMFlagsInFileOrderThenPortAndServedNames() throws {
        let profile = try profile(modelProfile)
        let settings = try settings(["AIM_ID": "meta-llama/Llama-3.1-8B-Instruct"])
        let model = try ModelResolver(directoryExists: { _ in false }).resolve(
            profile: profile, identity: settings.identity, cacheRoot: settings.cacheRoot)
        let command = try VLLMCommandBuilder(pythonName: "python").command(
            profile: profile, model: model, settings: settings.engineCommand)
        #expect(
            command.argv == [
                "python", "-m", "vllm.entrypoints.openai.api_server", "--model", "amd/Llama-3.1-8B-Instruct-FP8-KV",
                "--async-scheduling", "--distributed_executor_backend", "mp", "--gpu-memory-utilization", "0.9",
                "--max-model-len", "32768", "--no-enable-prefix-caching", "--tensor-parallel-size", "1",
                "--port", "8000", "--served-model-name", "amd/Llama-3.1-8B-Instruct-FP8-KV",
                "meta-llama/Llama-3.1-8B-Instruct",
            ])
        #expect(command.environment.map(\.key) == ["GPU_ARCHS", "VLLM_ROCM_USE_AITER"])
        #expect(command.environment.map(\.value) == ["gfx942", "1"])
    }

    @Test func overridesKeepExistingPositionsAndAppendNewKeys() throws {
        let profile = try profile(modelProfile)
        let settings = try settings([
            "AIM_ID": "meta-llama/Llama-3.1-8B-Instruct", "AIM_PORT": "9000",
            "AIM_ENGINE_ARGS":
                #"{"max-model-len": 4096, "port": 1234, "rope-scaling": {"type":"linear","factor":2.0}, "enforce-eager": true, "served-model-name": "x", "mixed": [1, "a", 2.5, true]}"#,
        ])
        let model = try ModelResolver(directoryExists: { _ in false }).resolve(
            profile: profile, identity: settings.identity, cacheRoot: settings.cacheRoot)
        let argv = try VLLMCommandBuilder(pythonName: "python3").command(
            profile: profile, model: model, settings: settings.engineCommand
        ).argv
        #expect(Array(argv.drop { $0 != "--max-model-len" }.prefix(2)) == ["--max-model-len", "4096"])
        #expect(
            Array(argv.suffix(15)) == [
                "--tensor-parallel-size", "1", "--port", "9000", "--rope-scaling",
                #"{"type": "linear", "factor": 2.0}"#,
                "--enforce-eager", "--served-model-name", "amd/Llama-3.1-8B-Instruct-FP8-KV",
                "meta-llama/Llama-3.1-8B-Instruct",
                "--mixed", "1", "a", "2.5", "True",
            ])
    }

    @Test func aBadOverrideIsAConfigurationError() throws {
        let profile = try profile(modelProfile)
        let settings = try settings([
            "AIM_ID": "meta-llama/Llama-3.1-8B-Instruct", "AIM_ENGINE_ARGS": #"{"max-model-len": "4096"}"#,
        ])
        let error = #expect(throws: AIMError.self) {
            try VLLMCommandBuilder(pythonName: "python").command(
                profile: profile, model: ModelResolution(id: "m", argument: "m", source: .huggingFace),
                settings: settings.engineCommand)
        }
        #expect(error?.status == .configuration)
        #expect(error?.message.contains("max-model-len must be an integer, got a string") == true)
    }

    @Test func modelComesFromProfileThenModelIDThenAimIDAndCachedDirectoriesWin() throws {
        let general = try profile(ProfileFixture.general(), relativePath: "general/g.yaml")
        let cached = ModelResolver(directoryExists: { $0 == "/cache/Qwen/Qwen3-32B" })
        let base = try settings(["AIM_MODEL_ID": "Qwen/Qwen3-32B", "AIM_CACHE_PATH": "/cache"])
        #expect(
            try cached.resolve(profile: general, identity: base.identity, cacheRoot: base.cacheRoot)
                == ModelResolution(
                    id: "Qwen/Qwen3-32B", argument: "/cache/Qwen/Qwen3-32B", source: .cache,
                    cachedPath: "/cache/Qwen/Qwen3-32B"))
        let modelContainer = try settings(["AIM_ID": "org/model"])
        #expect(
            try cached.resolve(profile: general, identity: modelContainer.identity, cacheRoot: modelContainer.cacheRoot)
                .argument == "org/model")
        let s3 = try settings(["AIM_MODEL_ID": "s3://bucket/org/model"])
        #expect(try cached.resolve(profile: general, identity: s3.identity, cacheRoot: s3.cacheRoot).source == .s3)
    }

    @Test func sglangMapsVLLMNamesAndDefaultsTensorParallelism() throws {
        let profile = try profile(
            ProfileFixture.yaml(
                aimID: "Qwen/Qwen3-32B", modelID: "Qwen/Qwen3-32B", engine: "sglang", gpuCount: "2",
                engineArgs: "  gpu-memory-utilization: 0.85\n  context-length: 32768\n", envVars: ""))
        let settings = try settings([
            "AIM_ID": "Qwen/Qwen3-32B", "AIM_ENGINE": "sglang", "AIM_ENGINE_ARGS": #"{"max-num-seqs": 64}"#,
        ])
        let model = ModelResolution(id: "Qwen/Qwen3-32B", argument: "Qwen/Qwen3-32B", source: .huggingFace)
        let argv = try SGLangCommandBuilder(pythonName: "python3").command(
            profile: profile, model: model, settings: settings.engineCommand
        ).argv
        #expect(
            argv == [
                "python3", "-m", "sglang.launch_server", "--model-path", "Qwen/Qwen3-32B",
                "--mem-fraction-static", "0.85", "--context-length", "32768", "--tp-size", "2",
                "--max-running-requests", "64",
                "--port", "8000", "--served-model-name", "Qwen/Qwen3-32B",
            ])
    }

    @Test func theShutdownTimeoutComesLastAndNeverOverridesAChosenValue() throws {
        let profile = try profile(modelProfile)
        var settings = try settings(["AIM_ID": "meta-llama/Llama-3.1-8B-Instruct"]).engineCommand
        let model = ModelResolution(id: "m", argument: "m", source: .huggingFace)
        #expect(
            !(try VLLMCommandBuilder(pythonName: "python").command(profile: profile, model: model, settings: settings)
                .argv.contains("--shutdown-timeout")))
        settings.shutdownTimeoutSeconds = 25
        let argv = try VLLMCommandBuilder(pythonName: "python").command(
            profile: profile, model: model, settings: settings
        ).argv
        #expect(Array(argv.suffix(2)) == ["--shutdown-timeout", "25"])
        settings.engineArgs = ["shutdown-timeout": .int(3)]
        let chosen = try VLLMCommandBuilder(pythonName: "python").command(
            profile: profile, model: model, settings: settings
        ).argv
        #expect(chosen.filter { $0 == "--shutdown-timeout" }.count == 1)
        #expect(Array(chosen.drop { $0 != "--shutdown-timeout" }.prefix(2)) == ["--shutdown-timeout", "3"])
    }

    /// serve plans again once the store has the model, rather than editing the argv it planned.
    @Test func aRefreshedPlanServesTheModelFromWhereTheStorePutIt() async throws {
        let root = try TemporaryDirectory()
        try root.write("general/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.general())
        var settings = try settings([
            "AIM_MODEL_ID": "s3://bucket/org/model", "AIM_PROFILE_BASE_PATH": root.path, "AIM_GPU_MODEL": "MI300X",
        ])
        let planner = LaunchPlanner(
            gpuResolver: GPUTargetResolver(detector: FixedDetector(models: [])),
            executables: ExecutableLocator(path: "/nonexistent"))
        let plan = try await planner.plan(settings)
        #expect(plan.model.source == .s3)
        #expect(Array(plan.command.argv.drop { $0 != "--model" }.prefix(2)) == ["--model", "s3://bucket/org/model"])
        let stored = CachedModel(
            source: .s3, path: "/cache/bucket/org/model", commit: nil, inHubCache: false, fileCount: 1, bytes: 1,
            downloadedBytes: 1)
        settings.engineShutdownTimeoutSeconds = 25
        let launch = try planner.refresh(plan, settings: settings, stored: stored)
        #expect(
            launch.model
                == ModelResolution(
                    id: "s3://bucket/org/model", argument: "/cache/bucket/org/model", source: .cache,
                    cachedPath: "/cache/bucket/org/model"))
        #expect(
            Array(launch.command.argv.drop { $0 != "--model" }.prefix(2)) == ["--model", "/cache/bucket/org/model"])
        #expect(Array(launch.command.argv.suffix(2)) == ["--shutdown-timeout", "25"])
        #expect(
            launch.command.argv.contains("--served-model-name") && launch.command.argv.contains("s3://bucket/org/model")
        )
    }
}
