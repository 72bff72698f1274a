import AIMCore
import AIMGPU
import AIMMemory
import AIMModelStore
import AIMProfiles
import AIMSelection
import Foundation
import OrderedCollections

/// Estimates whether each profile's model fits its GPUs, from the model's config.json and weights on
/// this machine (the cache or a local directory): planning never downloads or asks the network for this.
public struct MemoryFit: Sendable {
    private let modelResolver: ModelResolver

    public init(modelResolver: ModelResolver = ModelResolver()) {
        self.modelResolver = modelResolver
    }

    /// One estimate a profile, keyed by the profile file's path; a model read once however many profiles
    /// serve it.
    public func estimates(
        for profiles: [Profile], settings: LaunchSettings, gpu: GPUTarget
    ) -> [String: MemoryEstimate] {
        var models: [String: Result<ModelFiles, ModelShapeReader.Problem>] = [:]
        var result: [String: MemoryEstimate] = [:]
        for profile in profiles {
            guard
                let model = try? modelResolver.resolve(
                    profile: profile, identity: settings.identity, cacheRoot: settings.cacheRoot,
                    customModelName: settings.customModelName)
            else {
                result[profile.location.path] = .unknown("the profile's model id is not valid")
                continue
            }
            // One read a model: by its directory, or by its id while it is not on disk (the reason names it).
            let key = model.cachedPath ?? "uncached:" + model.id
            if models[key] == nil { models[key] = ModelFiles.read(model.cachedPath ?? "", model: model) }
            result[profile.location.path] = estimate(profile, files: models[key]!, settings: settings, gpu: gpu)
        }
        return result
    }

    /// Whether AIM_ENGINE_ARGS names the context length (in either engine's spelling).
    public static func setsMaxModelLen(_ overrides: OrderedDictionary<String, StructuredValue>?) -> Bool {
        (overrides ?? [:]).keys.contains {
            ["max-model-len", "context-length"].contains($0.replacingOccurrences(of: "_", with: "-"))
        }
    }

    func estimate(
        _ profile: Profile, files found: Result<ModelFiles, ModelShapeReader.Problem>, settings: LaunchSettings,
        gpu: GPUTarget
    ) -> MemoryEstimate {
        let files: ModelFiles
        switch found {
        case .success(let found): files = found
        case .failure(let problem): return .unknown(problem.description)
        }
        let arguments = ProfileMemoryArguments(profile: profile, overrides: settings.engineArgs)
        let detected =
            gpu.model == profile.metadata.gpu ? gpu.report?.gpus.first?.vramTotalBytes.map { Int64(clamping: $0) } : nil
        guard let vram = detected ?? GPUMemoryTable.bytes(for: profile.metadata.gpu) else {
            return .unknown("the memory of a \(profile.metadata.gpu.rawValue) GPU is not known")
        }
        return MemoryEstimator.estimate(
            files.shape, weightBytes: files.weightBytes,
            request: MemoryRequest(
                tensorParallel: arguments.tensorParallel, pipelineParallel: arguments.pipelineParallel,
                memoryFraction: arguments.memoryFraction, kvBytes: arguments.kvBytes,
                maxModelLen: arguments.maxModelLen, vramBytesPerGPU: vram, dtypeBytes: arguments.dtypeBytes))
    }
}

/// What of a model on disk the estimate reads: its config and the size of its weight files.
struct ModelFiles: Sendable {
    let shape: ModelShape
    /// nil when no weight file is there (a config-only directory): the weights are then derived.
    let weightBytes: Int64?

    static func read(_ directory: String, model: ModelResolution) -> Result<ModelFiles, ModelShapeReader.Problem> {
        guard !directory.isEmpty else {
            return .failure(
                .init(
                    description: model.source == .local
                        ? "the local model directory \(OneLineText.quoted(model.location)) does not exist"
                        : "\(OneLineText.quoted(model.id)) is not in the cache yet, so its config.json cannot be read "
                            + "(aim-runtime download-to-cache fetches it)"))
        }
        guard let text = BoundedFile.text(directory + "/config.json", limit: 4 << 20) else {
            return .failure(.init(description: "\(OneLineText.quoted(directory))/config.json cannot be read"))
        }
        do {
            return .success(
                ModelFiles(shape: try ModelShapeReader.read(json: text), weightBytes: weightBytes(directory)))
        } catch {
            return .failure(error)
        }
    }
}

extension ModelFiles {
    /// The weights the engine loads, as stored: the shards the safetensors index names; else the top-level
    /// `*.safetensors` but Mistral's `consolidated*` copies; else the top-level `pytorch_model*.bin`. A repository
    /// often holds the same weights twice (`original/*.pth`, `.bin` beside `.safetensors`): counting every file
    /// would double them. nil when none is there (a config-only directory): the weights are then derived.
    static func weightBytes(_ directory: String) -> Int64? {
        let files = CachedFile.flatDirectory(directory)
        let sizes = Dictionary(files.map { ($0.path, $0.size) }) { first, _ in first }
        if let index = BoundedFile.text(directory + "/model.safetensors.index.json", limit: 32 << 20),
            let map = (try? JSONParser.parse(index))?[key: "weight_map"]?.mappingValue
        {
            let shards = Set(map.values.compactMap(\.stringValue))
            let known = shards.compactMap { sizes[$0] }
            if !shards.isEmpty && known.count == shards.count { return ByteSum.saturating(known) }
        }
        let topLevel = files.filter { !$0.path.contains("/") }
        let safetensors = topLevel.filter { $0.path.hasSuffix(".safetensors") && !$0.path.hasPrefix("consolidated") }
        if !safetensors.isEmpty { return ByteSum.saturating(safetensors.map(\.size)) }
        let bins = topLevel.filter { $0.path.hasPrefix("pytorch_model") && $0.path.hasSuffix(".bin") }
        return bins.isEmpty ? nil : ByteSum.saturating(bins.map(\.size))
    }
}

/// The engine arguments the estimate depends on, in vLLM's or SGLang's spelling, the override winning.
struct ProfileMemoryArguments {
    let tensorParallel: Int
    let pipelineParallel: Int
    let memoryFraction: Double
    let kvBytes: Double?
    let maxModelLen: Int?
    /// `--dtype`: the width unquantized weights and activations are loaded at.
    let dtypeBytes: Double?

    /// SGLang's names of the memory settings the estimate reads → vLLM's (parallelism: `ProfileParallelism`).
    static let vllmNames = ["mem-fraction-static": "gpu-memory-utilization", "context-length": "max-model-len"]

    /// vLLM's default `gpu-memory-utilization`; SGLang's `mem-fraction-static` on large GPUs.
    static let defaultFraction: [EngineKind: Double] = [.vllm: 0.9, .sglang: 0.88]

    init(profile: Profile, overrides: OrderedDictionary<String, StructuredValue>?) {
        // One spelling a setting (vLLM's), so that an override in either engine's names beats the profile's,
        // as the command builders merge them.
        func canonical(_ key: String) -> String {
            let dashed = key.replacingOccurrences(of: "_", with: "-")
            return ProfileParallelism.vllmName(dashed) ?? Self.vllmNames[dashed] ?? dashed
        }
        var merged: [String: StructuredValue] = [:]
        for (key, value) in profile.engineArgs { merged[canonical(key)] = value }
        for (key, value) in overrides ?? [:] { merged[canonical(key)] = value }
        func number(_ names: String...) -> Double? {
            for name in names {
                switch merged[name] {
                case .int(let whole)?: return Double(whole)
                case .double(let real)?: return real
                case .string(let text)?: if let real = Double(text) { return real }
                default: continue
                }
            }
            return nil
        }
        func whole(_ value: Double?, in range: ClosedRange<Int>) -> Int? {
            // Bounds first, in Double: converting a huge value to Int would trap.
            guard let value, value.rounded() == value, value >= Double(range.lowerBound),
                value <= Double(range.upperBound)
            else { return nil }
            return Int(value)
        }
        let engine = profile.metadata.engine
        tensorParallel =
            whole(number("tensor-parallel-size"), in: 1...1024)
            ?? (engine == .sglang ? profile.metadata.totalGPUs : 1)
        pipelineParallel = whole(number("pipeline-parallel-size"), in: 1...1024) ?? 1
        let fraction = number("gpu-memory-utilization")
        memoryFraction = fraction.flatMap { (0.01...1).contains($0) ? $0 : nil } ?? Self.defaultFraction[engine] ?? 0.9
        maxModelLen = whole(number("max-model-len"), in: 1...1_000_000_000)
        let kvType = merged["kv-cache-dtype"]?.stringValue?.lowercased() ?? "auto"
        kvBytes = kvType.hasPrefix("fp8") || kvType == "int8" ? 1 : nil
        switch merged["dtype"]?.stringValue?.lowercased() {
        case "float32", "float": dtypeBytes = 4
        case "float16", "half", "bfloat16", "bf16", "fp16": dtypeBytes = 2
        default: dtypeBytes = nil
        }
    }
}
