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
        let command = try VLLMCommandBuilder(engine: .notInstalled(.vllm, pythonName: "python")).command(
            profile: profile, model: model, settings: settings.engineCommand)
        #expect(
            command.argv == [
                "python", "-m", "vllm.entrypoints.openai.api_server", "--model", "amd/Llama-3.1-8B-Instruct-FP8-KV",
                "--async-scheduling", "--distributed_executor_backend", "mp", "--gpu-memory-utilization", "0.9",
                "--max-model-len", "32768", "--no-enable-prefix-caching", "--tensor-parallel-size", "1",
                "--port", "8000", "--served-model-name", "amd/Llama-3.1-8B-Instruct-FP8-KV",
                "meta-llama/Llama-3.1-8B-Instruct",
            ])
        // serve downloads into the hub cache first: the engine finds it there and never goes to the network.
        #expect(command.environment.map(\.key) == ["GPU_ARCHS", "VLLM_ROCM_USE_AITER", "HF_HOME", "HF_HUB_OFFLINE"])
        #expect(command.environment.map(\.value) == ["gfx942", "1", "/workspace/model-cache", "1"])
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
        let argv = try VLLMCommandBuilder(engine: .notInstalled(.vllm, pythonName: "python3")).command(
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

    /// The engine finds the cache serve filled, whatever the profile says; and each variable is shown once.
    @Test func aProfilesHFHomeGivesWayToTheCacheAndEachVariableIsSetOnce() throws {
        let profile = try profile(
            ProfileFixture.yaml(envVars: "  HF_HOME: /elsewhere\n  A: '1'\n  HF_HUB_OFFLINE: '0'\n"))
        let settings = try settings(["AIM_ID": "org/model", "AIM_CACHE_PATH": "/cache"])
        let model = try ModelResolver(directoryExists: { _ in false }).resolve(
            profile: profile, identity: settings.identity, cacheRoot: settings.cacheRoot)
        let command = try VLLMCommandBuilder(engine: .notInstalled(.vllm, pythonName: "python")).command(
            profile: profile, model: model, settings: settings.engineCommand)
        #expect(command.environment.map(\.key) == ["HF_HOME", "A", "HF_HUB_OFFLINE"])
        #expect(command.environment.map(\.value) == ["/cache", "1", "1"])
    }

    @Test func aBadOverrideIsAConfigurationError() throws {
        let profile = try profile(modelProfile)
        let settings = try settings([
            "AIM_ID": "meta-llama/Llama-3.1-8B-Instruct", "AIM_ENGINE_ARGS": #"{"max-model-len": "4096"}"#,
        ])
        let error = #expect(throws: AIMError.self) {
            try VLLMCommandBuilder(engine: .notInstalled(.vllm, pythonName: "python")).command(
                profile: profile,
                model: ModelResolution(id: "m", argument: "m", source: .huggingFace, location: "/cache/hub/models--m"),
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
                    location: "/cache/Qwen/Qwen3-32B", cachedPath: "/cache/Qwen/Qwen3-32B"))
        let modelContainer = try settings(["AIM_ID": "org/model"])
        #expect(
            try cached.resolve(profile: general, identity: modelContainer.identity, cacheRoot: modelContainer.cacheRoot)
                .argument == "org/model")
        let s3 = try settings(["AIM_MODEL_ID": "s3://bucket/org/model"])
        #expect(try cached.resolve(profile: general, identity: s3.identity, cacheRoot: s3.cacheRoot).source == .s3)
    }

    /// The engine's argument is final before any download: serve puts the model exactly there.
    @Test func theModelArgumentIsWhereServeWillPutTheModel() throws {
        let general = try profile(ProfileFixture.general(), relativePath: "general/g.yaml")
        let nothing = ModelResolver(directoryExists: { _ in false })
        func resolve(_ id: String, custom: String? = nil) throws -> ModelResolution {
            try nothing.resolve(
                profile: general, identity: ModelIdentity(aimID: nil, modelID: id), cacheRoot: "/cache",
                customModelName: custom)
        }
        #expect(
            try resolve("s3://bucket/models/org/model")
                == ModelResolution(
                    id: "s3://bucket/models/org/model", argument: "/cache/org/model", source: .s3,
                    location: "/cache/org/model"))
        #expect(try resolve("s3://bucket/models/org/model", custom: "mine/m").argument == "/cache/mine/m")
        // A name that would leave the cache is refused in the plan too, not only when serve downloads.
        let escape = #expect(throws: AIMError.self) { try resolve("s3://bucket/models/org/model", custom: "../../etc") }
        #expect(escape?.status == .configuration && escape?.message.contains("AIM_CUSTOM_MODEL_NAME=") == true)
        let hub = try resolve("Qwen/Qwen3-32B")
        #expect(hub.argument == "Qwen/Qwen3-32B" && hub.source == .huggingFace && hub.cachedPath == nil)
        #expect(hub.location == "/cache/hub/models--Qwen--Qwen3-32B")
        #expect(hub.environment.map(\.key) == ["HF_HOME", "HF_HUB_OFFLINE"])
        #expect(hub.environment.map(\.value) == ["/cache", "1"])
        #expect(try resolve("/models/local").cachedPath == nil)
        #expect(try resolve("file:///models/local").argument == "/models/local")
        // The engine gets the repo id; a revision other than main is its own flag.
        let pinned = try resolve("hf://Qwen/Qwen3-32B@v1.0")
        #expect(pinned.argument == "Qwen/Qwen3-32B" && pinned.revision == "v1.0")
        #expect(try resolve("hf://Qwen/Qwen3-32B").revision == nil)
        let argv = try VLLMCommandBuilder(engine: .notInstalled(.vllm, pythonName: "python")).command(
            profile: general, model: pinned,
            settings: try settings(["AIM_MODEL_ID": "hf://Qwen/Qwen3-32B@v1.0"]).engineCommand
        ).argv
        #expect(Array(argv.drop { $0 != "--model" }.prefix(2)) == ["--model", "Qwen/Qwen3-32B"])
        #expect(Array(argv.drop { $0 != "--revision" }.prefix(2)) == ["--revision", "v1.0"])
        #expect(throws: AIMError.self) { try resolve("gs://bucket/model") }
    }

    @Test func sglangMapsVLLMNamesAndDefaultsTensorParallelism() throws {
        let profile = try profile(
            ProfileFixture.yaml(
                aimID: "Qwen/Qwen3-32B", modelID: "Qwen/Qwen3-32B", engine: "sglang", gpuCount: "2",
                engineArgs: "  gpu-memory-utilization: 0.85\n  context-length: 32768\n", envVars: ""))
        let settings = try settings([
            "AIM_ID": "Qwen/Qwen3-32B", "AIM_ENGINE": "sglang", "AIM_ENGINE_ARGS": #"{"max-num-seqs": 64}"#,
        ])
        let model = ModelResolution(
            id: "Qwen/Qwen3-32B", argument: "Qwen/Qwen3-32B", source: .huggingFace,
            location: "/c/hub/models--Qwen--Qwen3-32B")
        let argv = try SGLangCommandBuilder(engine: .notInstalled(.sglang, pythonName: "python3")).command(
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

    @Test func theShutdownTimeoutComesLastWhereTheInstalledVLLMKnowsItAndNeverOverridesAChosenValue() throws {
        let profile = try profile(modelProfile)
        var settings = try settings(["AIM_ID": "meta-llama/Llama-3.1-8B-Instruct"]).engineCommand
        settings.shutdownTimeoutSeconds = 25
        let model = ModelResolution(id: "m", argument: "m", source: .huggingFace, location: "/cache/hub/models--m")
        let knowing = VLLMCommandBuilder(engine: Self.vllm(files: [EngineInstallation.vllmServerModuleFile]))
        #expect(
            !(try VLLMCommandBuilder(engine: .notInstalled(.vllm, pythonName: "python")).command(
                profile: profile, model: model, settings: settings
            ).argv.contains("--shutdown-timeout")))
        let argv = try knowing.command(profile: profile, model: model, settings: settings).argv
        #expect(Array(argv.suffix(2)) == ["--shutdown-timeout", "25"])
        settings.engineArgs = ["shutdown-timeout": .int(3)]
        let chosen = try knowing.command(profile: profile, model: model, settings: settings).argv
        #expect(chosen.filter { $0 == "--shutdown-timeout" }.count == 1)
        #expect(Array(chosen.drop { $0 != "--shutdown-timeout" }.prefix(2)) == ["--shutdown-timeout", "3"])
    }

    static func vllm(files: Set<String>, version: String = "0.32.0", onPath: Bool = false) -> EngineChoice {
        EngineChoice(
            installation: EngineInstallation(
                kind: .vllm, state: .installed(package: "/site/vllm", version: version), files: files,
                acceptsShutdownTimeout: true),
            pythonName: "python3", vllmProgramOnPath: onPath)
    }

    /// The reference's module while vLLM ships it; `vllm serve` where it is gone; the module with no vLLM.
    @Test func theEntrypointFollowsTheInstalledVLLM() throws {
        let module = Self.vllm(files: [EngineInstallation.vllmServerModuleFile, EngineInstallation.vllmCLIModuleFile])
        #expect(
            module.entrypoint.argv(model: "M") == [
                "python3", "-m", "vllm.entrypoints.openai.api_server", "--model", "M",
            ])
        #expect(module.entrypoint.form == .module && module.entrypoint.reason.contains("0.32.0"))
        let cli = Self.vllm(files: [EngineInstallation.vllmCLIModuleFile], version: "0.40.0", onPath: true)
        #expect(cli.entrypoint.argv(model: "M") == ["vllm", "serve", "M"])
        #expect(
            cli.entrypoint.form == .cli && cli.entrypoint.reason.contains("has no vllm.entrypoints.openai.api_server"))
        let noProgram = Self.vllm(files: [EngineInstallation.vllmCLIModuleFile], onPath: false)
        #expect(noProgram.entrypoint.argv(model: "M") == ["python3", "-m", "vllm.entrypoints.cli.main", "serve", "M"])
        let laptop = EngineChoice.notInstalled(.vllm, pythonName: "python")
        #expect(laptop.entrypoint.form == .module && laptop.entrypoint.reason.contains("not installed"))
        let sglang = EngineChoice.notInstalled(.sglang, pythonName: "python")
        #expect(sglang.entrypoint.argv(model: "M") == ["python", "-m", "sglang.launch_server", "--model-path", "M"])
    }

    /// What the interpreter prints is outside data: read strictly, never guessed from.
    @Test func theProbesAnswerIsReadStrictly() throws {
        let package = try TemporaryDirectory()
        _ = try package.write("entrypoints/openai/api_server.py", "")
        _ = try package.write("engine/arg_utils.py", #"parser.add_argument("--shutdown-timeout", type=int)"#)
        let found = PythonEngineProbe.installation(
            .vllm, answer: #"{"package": "\#(package.path)", "version": "0.32.0"}"#)
        #expect(found.state == .installed(package: package.path, version: "0.32.0"))
        #expect(found.files == [EngineInstallation.vllmServerModuleFile] && found.acceptsShutdownTimeout)
        let cpu = PythonEngineProbe.installation(.vllm, answer: #"{"package": "\#(package.path)", "version": "1 2\n"}"#)
        #expect(cpu.isInstalled && cpu.version == nil)
        #expect(!PythonEngineProbe.installation(.vllm, answer: #"{"package": null, "version": null}"#).isInstalled)
        #expect(!PythonEngineProbe.installation(.vllm, answer: #"{"package": "relative/vllm"}"#).isInstalled)
        for garbage in ["", "Traceback", "[1]", String(repeating: "{", count: 10_000)] {
            guard case .unknown = PythonEngineProbe.installation(.vllm, answer: garbage).state else {
                Issue.record("\(garbage.prefix(20)) was not an unknown answer")
                continue
            }
        }
    }

    /// Planned once, before the download, with the installed engine: nothing edits it afterwards.
    @Test func theSpecIsFinalBeforeTheDownloadAndFollowsTheInstalledEngine() async throws {
        let root = try TemporaryDirectory()
        _ = try root.write("general/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.general())
        let settings = try settings([
            "AIM_MODEL_ID": "s3://bucket/org/model", "AIM_PROFILE_BASE_PATH": root.path, "AIM_GPU_MODEL": "MI300X",
            "AIM_CACHE_PATH": "/cache", "AIM_SHUTDOWN_GRACE_SECONDS": "30",
        ])
        func planner(_ installation: EngineInstallation) -> LaunchPlanner {
            LaunchPlanner(
                gpuResolver: GPUTargetResolver(detector: FixedDetector(models: [])),
                executables: ExecutableLocator(path: "/nonexistent"), probe: FixedProbe(installation: installation))
        }
        let installed = EngineInstallation(
            kind: .vllm, state: .installed(package: "/site/vllm", version: "0.32.0"),
            files: [EngineInstallation.vllmServerModuleFile], acceptsShutdownTimeout: true)
        var steps: [LaunchPlanner.Step] = []
        let spec = try await planner(installed).plan(settings) { steps.append($0) }
        #expect(steps == [.detected, .selected])
        #expect(spec.model.source == .s3 && spec.model.cachedPath == nil)
        #expect(Array(spec.command.argv.drop { $0 != "--model" }.prefix(2)) == ["--model", "/cache/org/model"])
        #expect(Array(spec.command.argv.suffix(2)) == ["--shutdown-timeout", "25"])
        #expect(spec.readiness == EngineReadiness(port: 8000, modelName: "s3://bucket/org/model"))
        #expect(spec.command.servedNames == ["s3://bucket/org/model"])
        let bare = try await planner(EngineInstallation(kind: .vllm, state: .missing("none"))).plan(settings)
        #expect(!bare.command.argv.contains("--shutdown-timeout"))
        #expect(bare.engine.entrypoint.reason.contains("not installed"))
    }
}

/// An engine probe that answers the same for every engine, for planning without Python.
struct FixedProbe: EngineProbing {
    let installation: EngineInstallation

    func inspect(_ kind: EngineKind, python: String?) async -> EngineInstallation {
        installation
    }
}
