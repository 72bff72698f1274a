import AIMCore
import AIMMemory
import AIMProfiles
import AIMTestSupport
import Foundation
import OrderedCollections
import Testing

@testable import AIMEngine

/// The estimator against hand-computed values for real model configs (Tests/Fixtures/models).
@Suite struct MemoryEstimateTests {
    static let gib = 1_073_741_824.0
    static let mi300x: Int64 = 206_141_652_992

    func shape(_ name: String) throws -> ModelShape {
        let text = try String(
            contentsOfFile: CLI.packageRoot + "/Tests/Fixtures/models/\(name)/config.json", encoding: .utf8)
        return try ModelShapeReader.read(json: text)
    }

    func request(
        tp: Int = 1, pp: Int = 1, length: Int? = nil, kvBytes: Double? = nil, vram: Int64 = mi300x
    )
        -> MemoryRequest
    {
        MemoryRequest(
            tensorParallel: tp, pipelineParallel: pp, memoryFraction: 0.9, kvBytes: kvBytes, maxModelLen: length,
            vramBytesPerGPU: vram)
    }

    /// Parameters counted by hand from each config: attention, MLP (3 matrices) or experts, embeddings and
    /// head, and per-layer norms. They match the published sizes (8.03B, 70.6B, 32.8B, 46.7B, 671B, 20.9B, 111B).
    @Test func parameterCountsMatchTheModelsPublishedSizes() throws {
        #expect(try shape("llama-3.1-8b").parameters.total == 8_030_261_248)
        #expect(try shape("llama-3.1-70b").parameters.total == 70_553_706_496)
        #expect(try shape("qwen3-32b").parameters.total == 32_762_106_880)
        #expect(try shape("mixtral-8x7b").parameters.total == 46_702_792_704)
        let deepseek = try shape("deepseek-v3").parameters
        // MLA attention 187,105,280 a layer × 61; 3 dense MLPs; 58 MoE layers of 256 routed + 1 shared expert.
        #expect(deepseek.attention == 61 * 187_105_280)
        #expect(deepseek.experts == 58 * 256 * 3 * 7168 * 2048)
        #expect(deepseek.mlp == 3 * 3 * 7168 * 18432 + 58 * 3 * 7168 * 2048)
        #expect(abs(Double(deepseek.total) / 1e9 - 671.0) < 1)
        #expect(try shape("gpt-oss-20b").parameters.total == 20_907_927_360)
        #expect(abs(Double(try shape("command-a").parameters.total) / 1e9 - 111.06) < 0.1)
    }

    @Test func theCheckpointsPrecisionComesFromItsQuantizationElseItsDtype() throws {
        #expect(try shape("llama-3.1-8b").precision == .bf16)
        #expect(try shape("deepseek-v3").precision == .fp8)
        #expect(try shape("gpt-oss-20b").precision == .fp4)
    }

    @Test func attentionLayoutsAndSlidingLayersComeFromTheConfig() throws {
        #expect(try shape("llama-3.1-8b").attention == .standard(kvHeads: 8, headDim: 128))
        #expect(try shape("deepseek-v3").attention == .latent(kvLoraRank: 512, ropeHeadDim: 64))
        let gptOSS = try shape("gpt-oss-20b")
        #expect(gptOSS.slidingLayers == 12 && gptOSS.slidingWindow == 128)
        let commandA = try shape("command-a")
        #expect(commandA.slidingLayers == 48 && commandA.slidingWindow == 4096)
        // Qwen3 names a window it does not use.
        #expect(try shape("qwen3-32b").slidingLayers == 0)
    }

    /// Quantized weights as stored: fp8 at one byte, mxfp4 experts at 4.25 bits, the rest at bf16.
    @Test func derivedWeightsFollowTheQuantization() throws {
        #expect(try shape("llama-3.1-8b").derivedWeightBytes == 2 * 8_030_261_248)
        let gptOSS = try shape("gpt-oss-20b")
        let expected = 19_110_297_600 * 4.25 / 8 + Double(20_907_927_360 - 19_110_297_600) * 2
        #expect(gptOSS.derivedWeightBytes == expected)
        #expect(abs(expected / 1e9 - 13.75) < 0.05, "the checkpoint is 13.8 GB")
        let deepseek = try shape("deepseek-v3")
        let quantized = Double(deepseek.parameters.total - deepseek.parameters.other)
        #expect(deepseek.derivedWeightBytes == quantized + Double(deepseek.parameters.other) * 2)
    }

    /// KV per token: layers × KV heads per rank × head dim × 2 (K and V) × 2 bytes; MLA: layers × (512 + 64) × 2.
    /// A group's profile (2 nodes of 8 MI300X, TP 8 × PP 2): the weights spread over all 16 GPUs and each
    /// pipeline stage holds the KV cache of half the layers.
    @Test func aGroupSplitsTheWeightsAndLayersOverEveryNodesGPUs() throws {
        let llama = try shape("llama-3.1-405b")
        // Per layer: attention 570,425,344, MLP 3 × 16384 × 53248, two norms; × 126, + embeddings, head, norm.
        #expect(llama.parameters.total == 405_853_388_800)
        let group = MemoryEstimator.estimate(llama, weightBytes: nil, request: request(tp: 8, pp: 2))
        #expect(group.verdict == .fits, "\(group.reason)")
        // 63 layers a stage × 1 KV head a GPU × 128 × K and V × 2 bytes = 32,256 bytes a token.
        #expect(
            group.requiredBytesPerGPU == 2 * 405_853_388_800 / 16 + 2 * Self.gib + 131072 * 63 * 1 * 128 * 2 * 2,
            "\(group.reason)")
        // The shipped profiles ask for exactly that layout.
        let profile = ProfileCatalogLoader().load(
            root: CLI.packageRoot + "/profiles", aimID: "meta-llama/Llama-3.1-405B-Instruct"
        ).profiles.first { $0.id == "vllm-mi300x-bf16-2x8-latency" }
        let arguments = ProfileMemoryArguments(profile: try #require(profile), overrides: nil)
        #expect(arguments.tensorParallel * arguments.pipelineParallel == 16)
    }

    @Test func kvCachePerTokenByHand() throws {
        let llama = try shape("llama-3.1-8b")
        #expect(MemoryEstimator.kvBytes(llama, tokens: 1, request: request()) == 32 * 8 * 128 * 2 * 2)
        #expect(MemoryEstimator.kvBytes(llama, tokens: 1, request: request(tp: 8)) == 32 * 1 * 128 * 2 * 2)
        #expect(MemoryEstimator.kvBytes(llama, tokens: 1, request: request(kvBytes: 1)) == 32 * 8 * 128 * 2)
        let deepseek = try shape("deepseek-v3")
        #expect(MemoryEstimator.kvBytes(deepseek, tokens: 1, request: request(tp: 8)) == 61 * 576 * 2)
        // gpt-oss: 12 full layers hold every token, 12 sliding ones at most 128.
        let gptOSS = try shape("gpt-oss-20b")
        #expect(
            MemoryEstimator.kvBytes(gptOSS, tokens: 131072, request: request())
                == 2 * 8 * 64 * 2 * (12 * 131072 + 12 * 128))
        let commandA = try shape("command-a")
        #expect(
            MemoryEstimator.kvBytes(commandA, tokens: 131072, request: request(tp: 4))
                == 2 * 2 * 128 * 2 * (16 * 131072 + 48 * 4096))
        // Pipeline stages split the layers.
        #expect(MemoryEstimator.kvBytes(llama, tokens: 1, request: request(pp: 2)) == 32 * 8 * 128 * 2 * 2 / 2)
    }

    /// vLLM on CPU 0.32.0 allocated these tokens in 1 GiB of KV cache for these two real models
    /// (Tests/Fixtures/models/README.md); the estimate's bytes per token give the same to within 0.1%.
    @Test(arguments: [("smollm2-135m-instruct", 46_592), ("tiny-random-llama", 1_048_576)])
    func theKVCapacityMatchesWhatVLLMAllocated(model: String, vllmTokens: Int) throws {
        let perToken = MemoryEstimator.kvBytes(try shape(model), tokens: 1, request: request())
        let estimate = Double(1 << 30) / perToken
        #expect(abs(estimate - Double(vllmTokens)) / Double(vllmTokens) < 0.001, "\(estimate) against \(vllmTokens)")
    }

    @Test func verdictsOnMI300X() throws {
        let available = Double(Self.mi300x) * 0.9
        // Llama 3.1 8B at TP 1: 14.96 GiB of weights + 2 GiB + 16 GiB of KV for 131072 tokens.
        let small = MemoryEstimator.estimate(try shape("llama-3.1-8b"), weightBytes: nil, request: request())
        #expect(small.verdict == .fits && small.maxModelLenThatFits == 131072)
        #expect(small.requiredBytesPerGPU == 2 * 8_030_261_248 + 2 * Self.gib + 131072 * 131072)
        // Llama 3.1 70B at TP 1: 131.4 GiB of weights leave room for ~129k tokens, not 131072.
        let large = MemoryEstimator.estimate(try shape("llama-3.1-70b"), weightBytes: nil, request: request())
        #expect(large.verdict == .fitsWithMaxModelLen)
        let room = available - 2 * 70_553_706_496 - 2 * Self.gib
        let longest = Int(room / 327_680) / 16 * 16
        #expect(large.maxModelLenThatFits == longest, "\(large.reason)")
        #expect(large.reason.contains("max-model-len ≤ \(longest) fits"))
        // At TP 8 it fits with its full context.
        #expect(
            MemoryEstimator.estimate(try shape("llama-3.1-70b"), weightBytes: nil, request: request(tp: 8)).verdict
                == .fits)
        // DeepSeek-V3 (fp8, ~627 GiB): 157 GiB a GPU at TP 4 just fits with its 10.7 GiB context; TP 2 cannot
        // hold the weights.
        let deepseek = try shape("deepseek-v3")
        let two = MemoryEstimator.estimate(deepseek, weightBytes: nil, request: request(tp: 2))
        #expect(two.verdict == .doesNotFit && two.maxModelLenThatFits == nil)
        #expect(two.reason.hasPrefix("needs ≥ "), "\(two.reason)")
        #expect(MemoryEstimator.estimate(deepseek, weightBytes: nil, request: request(tp: 4)).verdict == .fits)
        // Weights as stored beat the derived ones.
        let stored = MemoryEstimator.estimate(
            try shape("llama-3.1-8b"), weightBytes: 1 << 30, request: request(length: 4096))
        #expect(stored.requiredBytesPerGPU == Double(1 << 30) + 2 * Self.gib + 4096 * 131072)
        #expect(stored.reason.contains("as stored"))
    }

    @Test(arguments: [
        #"{"#, #"[]"#, #"{"num_hidden_layers": 32}"#,
        #"{"num_hidden_layers": -1, "hidden_size": 1, "num_attention_heads": 1, "vocab_size": 1}"#,
        #"{"num_hidden_layers": "32", "hidden_size": 1, "num_attention_heads": 1, "vocab_size": 1}"#,
        #"{"num_hidden_layers": 1e300, "hidden_size": 1, "num_attention_heads": 1, "vocab_size": 1}"#,
        #"{"num_hidden_layers": 2, "hidden_size": 8, "num_attention_heads": 2, "num_key_value_heads": 4, "vocab_size": 1}"#,
    ])
    func aBadConfigIsAReasonNotACrash(_ text: String) {
        #expect(throws: ModelShapeReader.Problem.self) { try ModelShapeReader.read(json: text) }
    }
}

/// Which files count as the weights the engine loads.
@Suite struct WeightFilesTests {
    func directory(_ files: [String: Int]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (name, size) in files { try directory.write(name, String(repeating: "x", count: size)) }
        return directory
    }

    @Test func copiesOfTheWeightsAreNotCountedTwice() throws {
        // Llama 3 ships original/consolidated.00.pth beside the safetensors; repos often keep .bin too.
        let both = try directory([
            "model-00001-of-00002.safetensors": 100, "model-00002-of-00002.safetensors": 50,
            "pytorch_model.bin": 150, "original/consolidated.00.pth": 150, "config.json": 2,
        ])
        #expect(ModelFiles.weightBytes(both.path) == 150)
        // Mistral's consolidated.safetensors is a second copy of the shards.
        let mistral = try directory(["consolidated.safetensors": 80, "model.safetensors": 80])
        #expect(ModelFiles.weightBytes(mistral.path) == 80)
        // The index names the shards.
        let indexed = try directory([
            "a.safetensors": 10, "b.safetensors": 20, "stray.safetensors": 1000,
        ])
        try indexed.write(
            "model.safetensors.index.json",
            #"{"weight_map": {"x": "a.safetensors", "y": "b.safetensors", "z": "a.safetensors"}}"#)
        #expect(ModelFiles.weightBytes(indexed.path) == 30)
        let bin = try directory(["pytorch_model.bin": 7])
        #expect(ModelFiles.weightBytes(bin.path) == 7)
        let configOnly = try directory(["config.json": 2])
        #expect(ModelFiles.weightBytes(configOnly.path) == nil)
    }
}

/// The estimate reads the engine arguments as the command builders merge them: an override in either
/// engine's spelling beats the profile's.
@Suite struct ProfileMemoryArgumentsTests {
    @Test func anOverrideInSGLangsSpellingBeatsTheProfilesVLLMOne() throws {
        let text = ProfileFixture.yaml(
            engine: "sglang", gpuCount: "2", engineArgs: "  max-model-len: 4096\n  gpu-memory-utilization: 0.8\n")
        let profile = try ProfileValidator().validate(
            text: text,
            location: ProfileLocation(path: "/r/org/model/p.yaml", relativePath: "org/model/p.yaml", searchPriority: 2))
        let arguments = ProfileMemoryArguments(
            profile: profile, overrides: ["context-length": .int(32768), "mem_fraction_static": .double(0.7)])
        #expect(arguments.maxModelLen == 32768 && arguments.memoryFraction == 0.7)
        #expect(arguments.tensorParallel == 2, "SGLang's tp-size defaults to the profile's gpu_count")
    }
}
