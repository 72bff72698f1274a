import AIMCore

/// What a model's `config.json` says about its size: enough to count its weights and its KV cache.
///
/// Read by `ModelShapeReader`; every number is range-checked there. Multimodal configs are read from
/// their `text_config`, since the language model is what holds the KV cache.
public struct ModelShape: Equatable, Sendable {
    public enum Attention: Equatable, Sendable {
        /// Multi-head or grouped-query: K and V per KV head.
        case standard(kvHeads: Int, headDim: Int)
        /// DeepSeek's multi-head latent attention: one compressed latent and a rope part per token and layer,
        /// the same on every tensor-parallel rank.
        case latent(kvLoraRank: Int, ropeHeadDim: Int)
    }

    public let architecture: String
    public let layers: Int
    public let hiddenSize: Int
    public let attentionHeads: Int
    public let attention: Attention
    /// Layers that attend only to the last `slidingWindow` tokens (their KV stops growing there).
    public let slidingLayers: Int
    public let slidingWindow: Int?
    public let vocabularySize: Int
    public let maxPositionEmbeddings: Int?
    /// The weights' dtype in bytes (2 for bf16/fp16, 4 for fp32).
    public let dtypeBytes: Double
    /// Bytes per parameter of the quantized linear layers, when the config names a quantization.
    public let quantizedBytes: Double?
    public let quantization: String?
    /// Parameters, counted from the config's dimensions.
    public let parameters: ParameterCount

    public init(
        architecture: String, layers: Int, hiddenSize: Int, attentionHeads: Int, attention: Attention,
        slidingLayers: Int, slidingWindow: Int?, vocabularySize: Int, maxPositionEmbeddings: Int?,
        dtypeBytes: Double, quantizedBytes: Double?, quantization: String?, parameters: ParameterCount
    ) {
        self.architecture = architecture
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.attentionHeads = attentionHeads
        self.attention = attention
        self.slidingLayers = slidingLayers
        self.slidingWindow = slidingWindow
        self.vocabularySize = vocabularySize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.dtypeBytes = dtypeBytes
        self.quantizedBytes = quantizedBytes
        self.quantization = quantization
        self.parameters = parameters
    }

    /// The weights' size as the config implies: quantized layers at their stored width, the rest
    /// (embeddings, norms, routers, and whatever the quantization leaves out) at the model's dtype.
    public var derivedWeightBytes: Double { derivedWeightBytes(dtypeBytes: dtypeBytes) }

    /// The same, with the unquantized parts loaded at `dtypeBytes` (the engine's `--dtype`).
    public func derivedWeightBytes(dtypeBytes: Double) -> Double {
        let quantized =
            quantizesOnlyExperts ? parameters.experts : parameters.attention + parameters.mlp + parameters.experts
        let width = quantizedBytes ?? dtypeBytes
        return Double(quantized) * width + Double(parameters.total - quantized) * dtypeBytes
    }

    /// The precision the checkpoint is stored in: its quantization, else its dtype.
    public var precision: Precision {
        guard let quantizedBytes else {
            return dtypeBytes >= 4 ? .fp32 : .bf16
        }
        switch quantization {
        case "mxfp4": return .fp4
        case "fp8", "fbgemm_fp8", "ptpc_fp8": return .fp8
        default: return quantizedBytes <= 0.6 ? .int4 : .int8
        }
    }

    /// MXFP4 checkpoints (gpt-oss) quantize the experts only; attention stays at the model's dtype.
    var quantizesOnlyExperts: Bool { quantization == "mxfp4" }
}

/// A model's parameters, by the part they belong to (quantization treats the parts differently).
public struct ParameterCount: Equatable, Sendable {
    public let attention: Int
    /// Dense MLPs and shared experts.
    public let mlp: Int
    /// Routed experts.
    public let experts: Int
    /// Embeddings, the output head, norms and routers.
    public let other: Int

    public init(attention: Int, mlp: Int, experts: Int, other: Int) {
        self.attention = attention
        self.mlp = mlp
        self.experts = experts
        self.other = other
    }

    public var total: Int { attention + mlp + experts + other }
}
