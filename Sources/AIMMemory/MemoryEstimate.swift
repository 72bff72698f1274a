import AIMCore

/// Whether a model fits a profile's GPUs, per GPU: its weights, a runtime reserve and the KV cache of one
/// sequence of the wanted length, against VRAM × the engine's memory fraction. docs/memory.md explains it.
public struct MemoryEstimate: Equatable, Sendable {
    public enum Verdict: String, Sendable {
        case fits
        case fitsWithMaxModelLen = "fits_with_max_model_len"
        case doesNotFit = "does_not_fit"
        case unknown
    }

    public let verdict: Verdict
    public let requiredBytesPerGPU: Double?
    public let availableBytesPerGPU: Double?
    /// The longest context that fits (at most the wanted one); nil when none does or it is unknown.
    public let maxModelLenThatFits: Int?
    public let reason: String
    /// The precision the model's checkpoint is stored in, as its config says; nil when unknown.
    public let modelPrecision: Precision?
    /// KV cache bytes one token takes on one GPU (every layer, sliding ones while within their window).
    public let kvBytesPerToken: Double?

    public init(
        verdict: Verdict, requiredBytesPerGPU: Double?, availableBytesPerGPU: Double?, maxModelLenThatFits: Int?,
        reason: String, modelPrecision: Precision? = nil, kvBytesPerToken: Double? = nil
    ) {
        self.verdict = verdict
        self.requiredBytesPerGPU = requiredBytesPerGPU
        self.availableBytesPerGPU = availableBytesPerGPU
        self.maxModelLenThatFits = maxModelLenThatFits
        self.reason = reason
        self.modelPrecision = modelPrecision
        self.kvBytesPerToken = kvBytesPerToken
    }

    public static func unknown(_ reason: String) -> MemoryEstimate {
        MemoryEstimate(
            verdict: .unknown, requiredBytesPerGPU: nil, availableBytesPerGPU: nil, maxModelLenThatFits: nil,
            reason: reason)
    }
}

/// What the estimate needs from a profile and the hardware.
public struct MemoryRequest: Equatable, Sendable {
    public var tensorParallel: Int
    public var pipelineParallel: Int
    /// vLLM's `gpu-memory-utilization`, SGLang's `mem-fraction-static`.
    public var memoryFraction: Double
    /// The KV cache's bytes per value: 1 for an fp8 KV cache, else the model's activation width.
    public var kvBytes: Double?
    /// The context to plan for: `max-model-len`, else the model's own maximum.
    public var maxModelLen: Int?
    public var vramBytesPerGPU: Int64
    /// The engine's `--dtype` in bytes, where it sets one; else the config's.
    public var dtypeBytes: Double?

    public init(
        tensorParallel: Int, pipelineParallel: Int, memoryFraction: Double, kvBytes: Double?, maxModelLen: Int?,
        vramBytesPerGPU: Int64, dtypeBytes: Double? = nil
    ) {
        self.tensorParallel = tensorParallel
        self.pipelineParallel = pipelineParallel
        self.memoryFraction = memoryFraction
        self.kvBytes = kvBytes
        self.maxModelLen = maxModelLen
        self.vramBytesPerGPU = vramBytesPerGPU
        self.dtypeBytes = dtypeBytes
    }
}

public enum MemoryEstimator {
    /// Per GPU, beyond weights and KV cache: the engine's activation peak while it profiles a full batch,
    /// the HIP context, RCCL buffers and graphs. A fixed, documented allowance.
    public static let reserveBytesPerGPU: Double = 2 * 1_073_741_824
    /// The shortest context counted as usable: below it (or the wanted length, if shorter) nothing fits.
    public static let shortestUsefulContext = 2048
    /// Lengths suggested are whole KV blocks.
    static let blockTokens = 16

    /// KV cache bytes one token takes on one GPU in a layer that keeps every token (for the full model on
    /// one rank: times the layers).
    public static func kvBytesPerTokenPerLayer(_ shape: ModelShape, tensorParallel: Int, kvBytes: Double) -> Double {
        switch shape.attention {
        case .standard(let kvHeads, let headDim):
            // K and V; heads split across ranks, replicated where there are more ranks than heads.
            let headsPerRank = (kvHeads + tensorParallel - 1) / tensorParallel
            return 2 * Double(headsPerRank) * Double(headDim) * kvBytes
        case .latent(let rank, let rope):
            return Double(rank + rope) * kvBytes
        }
    }

    /// KV cache bytes on one GPU for one sequence of `tokens`.
    public static func kvBytes(
        _ shape: ModelShape, tokens: Int, request: MemoryRequest
    ) -> Double {
        let kvWidth = request.kvBytes ?? request.dtypeBytes ?? shape.dtypeBytes
        let perLayer = kvBytesPerTokenPerLayer(shape, tensorParallel: request.tensorParallel, kvBytes: kvWidth)
        let stages = Double(request.pipelineParallel)
        let sliding = Double(shape.slidingLayers) / stages
        let full = Double(shape.layers - shape.slidingLayers) / stages
        let windowed = shape.slidingWindow.map { min(tokens, $0) } ?? tokens
        return perLayer * (full * Double(tokens) + sliding * Double(windowed))
    }

    /// - Parameter weightBytes: the weights as stored (the files' sizes); nil derives them from the config.
    public static func estimate(_ shape: ModelShape, weightBytes: Int64?, request: MemoryRequest) -> MemoryEstimate {
        let ranks = Double(request.tensorParallel * request.pipelineParallel)
        let derived = shape.derivedWeightBytes(dtypeBytes: request.dtypeBytes ?? shape.dtypeBytes)
        let weights = (weightBytes.map(Double.init) ?? derived) / ranks
        let available = Double(request.vramBytesPerGPU) * request.memoryFraction
        let wanted = request.maxModelLen ?? shape.maxPositionEmbeddings ?? shortestUsefulContext
        func required(_ tokens: Int) -> Double {
            weights + reserveBytesPerGPU + kvBytes(shape, tokens: tokens, request: request)
        }
        let need = required(wanted)
        let perToken = kvBytes(shape, tokens: 1, request: request)
        let source = weightBytes == nil ? "derived from config.json" : "as stored"
        let parts =
            "weights \(gib(weights)) (\(source)), reserve \(gib(reserveBytesPerGPU)), KV cache for \(wanted) tokens "
            + "\(gib(kvBytes(shape, tokens: wanted, request: request)))"
        let budget =
            "\(gib(available)) (\(gib(Double(request.vramBytesPerGPU))) × \(request.memoryFraction)) per GPU at TP \(request.tensorParallel)"
            + (request.pipelineParallel > 1 ? " × PP \(request.pipelineParallel)" : "")
        if need <= available {
            return MemoryEstimate(
                verdict: .fits, requiredBytesPerGPU: need, availableBytesPerGPU: available,
                maxModelLenThatFits: wanted, reason: "\(parts) fit in \(budget)", modelPrecision: shape.precision,
                kvBytesPerToken: perToken)
        }
        let shortest = min(wanted, shortestUsefulContext)
        guard required(shortest) <= available else {
            return MemoryEstimate(
                verdict: .doesNotFit, requiredBytesPerGPU: need, availableBytesPerGPU: available,
                maxModelLenThatFits: nil,
                reason:
                    "needs ≥ \(gib(required(shortest))) per GPU even for \(shortest) tokens (\(parts)); has \(budget)",
                modelPrecision: shape.precision, kvBytesPerToken: perToken)
        }
        // The longest whole-block length that fits: KV grows with the length, so search it.
        var low = shortest
        var high = wanted
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if required(middle) <= available { low = middle } else { high = middle }
        }
        let longest = max(shortest, low / blockTokens * blockTokens)
        return MemoryEstimate(
            verdict: .fitsWithMaxModelLen, requiredBytesPerGPU: need, availableBytesPerGPU: available,
            maxModelLenThatFits: longest,
            reason: "\(parts) exceed \(budget); max-model-len ≤ \(longest) fits", modelPrecision: shape.precision,
            kvBytesPerToken: perToken)
    }

    static func gib(_ bytes: Double) -> String {
        let value = bytes / 1_073_741_824
        return value >= 100 ? "\(Int(value.rounded())) GiB" : "\((value * 10).rounded() / 10) GiB"
    }
}
