import AIMConfiguration
import AIMCore
import AIMEngine
import AIMProfiles
import Testing

@Suite struct EngineCommandTests {
    func profile(_ text: String, relativePath: String = "org/model/p.yaml") throws -> Profile {
        try ProfileValidator().validate(
            text: text,
            location: ProfileLocation(path: "/r/" + relativePath, relativePath: relativePath, searchPriority: 2))
    }

    func configuration(_ environment: [String: String]) throws -> RuntimeConfiguration {
        try ConfigurationLoader(bundledProfileRoot: "/x", directoryExists: { _ in false })
            .load(ConfigurationInput(environment: environment), requireModel: true)
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
        let configuration = try configuration(["AIM_ID": "meta-llama/Llama-3.1-8B-Instruct"])
        let model = try ModelResolver(directoryExists: { _ in false }).resolve(profile: profile, configuration: configuration)
        let command = try VLLMCommandBuilder(pythonName: "python").command(profile: profile, model: model, configuration: configuration)
        #expect(command.argv == [
            "python", "-m", "vllm.entrypoints.openai.api_server", "--model", "amd/Llama-3.1-8B-Instruct-FP8-KV",
            "--async-scheduling", "--distributed_executor_backend", "mp", "--gpu-memory-utilization", "0.9",
            "--max-model-len", "32768", "--no-enable-prefix-caching", "--tensor-parallel-size", "1",
            "--port", "8000", "--served-model-name", "amd/Llama-3.1-8B-Instruct-FP8-KV", "meta-llama/Llama-3.1-8B-Instruct",
        ])
        #expect(command.environment.map(\.key) == ["GPU_ARCHS", "VLLM_ROCM_USE_AITER"])
        #expect(command.environment.map(\.value) == ["gfx942", "1"])
    }

    @Test func overridesKeepExistingPositionsAndAppendNewKeys() throws {
        let profile = try profile(modelProfile)
        let configuration = try configuration([
            "AIM_ID": "meta-llama/Llama-3.1-8B-Instruct", "AIM_PORT": "9000",
            "AIM_ENGINE_ARGS": #"{"max-model-len": 4096, "port": 1234, "rope-scaling": {"type":"linear","factor":2.0}, "enforce-eager": true, "served-model-name": "x", "mixed": [1, "a", 2.5, true]}"#,
        ])
        let model = try ModelResolver(directoryExists: { _ in false }).resolve(profile: profile, configuration: configuration)
        let argv = try VLLMCommandBuilder(pythonName: "python3").command(profile: profile, model: model, configuration: configuration).argv
        #expect(Array(argv.drop { $0 != "--max-model-len" }.prefix(2)) == ["--max-model-len", "4096"])
        #expect(Array(argv.suffix(15)) == [
            "--tensor-parallel-size", "1", "--port", "9000", "--rope-scaling", #"{"type": "linear", "factor": 2.0}"#,
            "--enforce-eager", "--served-model-name", "amd/Llama-3.1-8B-Instruct-FP8-KV", "meta-llama/Llama-3.1-8B-Instruct",
            "--mixed", "1", "a", "2.5", "True",
        ])
    }

    @Test func aBadOverrideIsAConfigurationError() throws {
        let profile = try profile(modelProfile)
        let configuration = try configuration(["AIM_ID": "meta-llama/Llama-3.1-8B-Instruct", "AIM_ENGINE_ARGS": #"{"max-model-len": "4096"}"#])
        let error = #expect(throws: AIMError.self) {
            try VLLMCommandBuilder(pythonName: "python").command(
                profile: profile, model: ModelResolution(id: "m", argument: "m", source: .huggingFace), configuration: configuration)
        }
        #expect(error?.status == .configuration)
        #expect(error?.message.contains("max-model-len must be an integer, got a string") == true)
    }

    @Test func modelComesFromProfileThenModelIDThenAimIDAndCachedDirectoriesWin() throws {
        let general = try profile(ProfileFixture.general(), relativePath: "general/g.yaml")
        let cached = ModelResolver(directoryExists: { $0 == "/cache/Qwen/Qwen3-32B" })
        let base = try configuration(["AIM_MODEL_ID": "Qwen/Qwen3-32B", "AIM_CACHE_PATH": "/cache"])
        #expect(try cached.resolve(profile: general, configuration: base) == ModelResolution(id: "Qwen/Qwen3-32B", argument: "/cache/Qwen/Qwen3-32B", source: .cache, cachedPath: "/cache/Qwen/Qwen3-32B"))
        let modelContainer = try configuration(["AIM_ID": "org/model"])
        #expect(try cached.resolve(profile: general, configuration: modelContainer).argument == "org/model")
        let s3 = try configuration(["AIM_MODEL_ID": "s3://bucket/org/model"])
        #expect(try cached.resolve(profile: general, configuration: s3).source == .s3)
    }

    @Test func sglangMapsVLLMNamesAndDefaultsTensorParallelism() throws {
        let profile = try profile(ProfileFixture.yaml(
            aimID: "Qwen/Qwen3-32B", modelID: "Qwen/Qwen3-32B", engine: "sglang", gpuCount: "2",
            engineArgs: "  gpu-memory-utilization: 0.85\n  context-length: 32768\n", envVars: ""))
        let configuration = try configuration(["AIM_ID": "Qwen/Qwen3-32B", "AIM_ENGINE": "sglang", "AIM_ENGINE_ARGS": #"{"max-num-seqs": 64}"#])
        let model = ModelResolution(id: "Qwen/Qwen3-32B", argument: "Qwen/Qwen3-32B", source: .huggingFace)
        let argv = try SGLangCommandBuilder(pythonName: "python3").command(profile: profile, model: model, configuration: configuration).argv
        #expect(argv == [
            "python3", "-m", "sglang.launch_server", "--model-path", "Qwen/Qwen3-32B",
            "--mem-fraction-static", "0.85", "--context-length", "32768", "--tp-size", "2", "--max-running-requests", "64",
            "--port", "8000", "--served-model-name", "Qwen/Qwen3-32B",
        ])
    }
}
