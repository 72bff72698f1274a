import AIMCore
import OrderedCollections

/// Reads a `config.json` (outside data) into a `ModelShape`, strictly: a missing or out-of-range
/// dimension is a reason the estimate is unknown, never a guess.
public enum ModelShapeReader {
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Architectures whose MLP has two matrices (up, down) rather than three (gate, up, down).
    static let ungatedModelTypes: Set<String> = ["gpt2", "gpt_bigcode", "gpt_neox", "falcon", "opt", "phi", "bloom"]

    public static func read(json text: String) throws(Problem) -> ModelShape {
        guard text.utf8.count <= 4 << 20 else { throw Problem(description: "config.json is larger than 4 MiB") }
        let document: StructuredValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw Problem(description: "config.json is not valid JSON")
        }
        guard document.mappingValue != nil else { throw Problem(description: "config.json is not a JSON object") }
        return try read(document)
    }

    public static func read(_ root: StructuredValue) throws(Problem) -> ModelShape {
        // Multimodal models keep the language model's dimensions in text_config.
        let config = root[key: "text_config"].flatMap { $0[key: "num_hidden_layers"] != nil ? $0 : nil } ?? root
        let fields = Fields(config, fallback: root)
        let modelType = fields.string("model_type") ?? ""
        let architecture =
            root[key: "architectures"].flatMap { value -> String? in
                if case .list(let items) = value { return items.first?.stringValue }
                return nil
            } ?? (modelType.isEmpty ? "unknown" : modelType)
        let layers = try fields.required(["num_hidden_layers", "n_layer", "num_layers"], 1...2048)
        let hidden = try fields.required(["hidden_size", "n_embd", "d_model"], 1...1_048_576)
        let heads = try fields.required(["num_attention_heads", "n_head"], 1...16384)
        let vocabulary = try fields.required(["vocab_size"], 1...100_000_000)
        let maxPositions = try fields.optional(
            ["max_position_embeddings", "n_positions", "seq_length"], 1...1_000_000_000)

        // Products of outside numbers in Double: no dimension, however large, can overflow; a total beyond
        // any real model is refused by `count`.
        let (h, n) = (Double(hidden), Double(heads))
        let attention: ModelShape.Attention
        let attentionParameters: Double
        if let rank = try fields.optional(["kv_lora_rank"], 1...1_048_576) {
            let rope = try fields.required(["qk_rope_head_dim"], 0...65536)
            let nope = try fields.optional(["qk_nope_head_dim"], 0...65536) ?? 0
            let valueDim = try fields.optional(["v_head_dim"], 1...65536) ?? nope
            let queryRank = try fields.optional(["q_lora_rank"], 1...1_048_576)
            attention = .latent(kvLoraRank: rank, ropeHeadDim: rope)
            let (r, qk, v) = (Double(rank), Double(nope + rope), Double(valueDim))
            let query = queryRank.map { h * Double($0) + Double($0) * n * qk } ?? h * n * qk
            attentionParameters = query + h * (r + Double(rope)) + r * n * (Double(nope) + v) + n * v * h
        } else {
            let multiQuery = fields.bool("multi_query") == true || fields.bool("multi_query_attention") == true
            let kvHeads =
                try fields.optional(["num_key_value_heads", "n_head_kv", "num_kv_heads"], 1...heads)
                ?? (multiQuery ? 1 : heads)
            let headDim = try fields.optional(["head_dim"], 1...65536) ?? max(1, hidden / heads)
            attention = .standard(kvHeads: kvHeads, headDim: headDim)
            attentionParameters = 2 * h * Double(headDim) * (n + Double(kvHeads))
        }

        let (slidingLayers, window) = try sliding(fields, layers: layers)
        let parts = try mlp(fields, hidden: hidden, layers: layers, ungated: ungatedModelTypes.contains(modelType))
        let tied = fields.bool("tie_word_embeddings") ?? false
        let other = Double(vocabulary) * h * (tied ? 1 : 2) + Double(layers) * 2 * h + h + parts.routers
        let (quantization, width) = try quantization(
            root[key: "quantization_config"] ?? config[key: "quantization_config"])
        return ModelShape(
            architecture: architecture, layers: layers, hiddenSize: hidden, attentionHeads: heads,
            attention: attention, slidingLayers: slidingLayers, slidingWindow: window, vocabularySize: vocabulary,
            maxPositionEmbeddings: maxPositions,
            dtypeBytes: dtypeBytes(fields.string("torch_dtype") ?? fields.string("dtype")),
            quantizedBytes: width, quantization: quantization,
            parameters: ParameterCount(
                attention: try count(Double(layers) * attentionParameters), mlp: try count(parts.dense),
                experts: try count(parts.experts), other: try count(other)))
    }

    /// Which layers slide, from `layer_types`, Gemma 2's alternation, a `sliding_window_pattern`, or a window on every layer
    /// (Mistral), unless `use_sliding_window` is false (Qwen2 keeps a window it does not use).
    static func sliding(_ fields: Fields, layers: Int) throws(Problem) -> (layers: Int, window: Int?) {
        guard let window = try fields.optional(["sliding_window"], 1...1_000_000_000),
            fields.bool("use_sliding_window") != false
        else { return (0, nil) }
        if case .list(let types)? = fields.value("layer_types") {
            let sliding = types.filter { $0.stringValue == "sliding_attention" }.count
            return (min(sliding, layers), window)
        }
        // Gemma 2 alternates sliding and full layers without saying so in its config.
        if fields.string("model_type") == "gemma2" { return (layers / 2, window) }
        if let pattern = try fields.optional(["sliding_window_pattern"], 1...4096) {
            return (layers - layers / pattern, window)
        }
        if fields.bool("use_sliding_window") == true,
            let full = try fields.optional(["max_window_layers"], 0...1_000_000)
        {
            return (layers - min(full, layers), window)
        }
        return (layers, window)
    }

    /// Dense MLP and shared-expert parameters, routed experts, and the routers.
    static func mlp(
        _ fields: Fields, hidden: Int, layers: Int, ungated: Bool
    ) throws(Problem) -> (dense: Double, experts: Double, routers: Double) {
        let matrices: Double = ungated ? 2 : 3
        let h = Double(hidden)
        let named = try fields.optional(["intermediate_size", "n_inner", "ffn_dim", "ffn_hidden_size"], 1...10_000_000)
        let intermediate = Double(named ?? 4 * hidden)
        let experts = Double(
            try fields.optional(["num_local_experts", "num_experts", "n_routed_experts"], 0...65536) ?? 0)
        guard experts > 1 else { return (Double(layers) * matrices * h * intermediate, 0, 0) }
        let expertSize =
            try fields.optional(["moe_intermediate_size", "expert_intermediate_size"], 1...10_000_000).map(Double.init)
            ?? intermediate
        let denseLayers = Double(try fields.optional(["first_k_dense_replace"], 0...layers) ?? 0)
        let moeLayers = Double(layers) - denseLayers
        let shared = Double(try fields.optional(["n_shared_experts", "num_shared_experts"], 0...65536) ?? 0)
        let sharedSize = try fields.optional(["shared_expert_intermediate_size"], 1...10_000_000).map(Double.init)
        let perLayerShared = shared * matrices * h * expertSize + (sharedSize.map { matrices * h * $0 } ?? 0)
        return (
            denseLayers * matrices * h * intermediate + moeLayers * perLayerShared,
            moeLayers * experts * matrices * h * expertSize,
            moeLayers * h * experts
        )
    }

    /// A parameter count as a whole number; beyond a quadrillion it is no real model's.
    static func count(_ value: Double) throws(Problem) -> Int {
        guard value.isFinite, value >= 0, value <= 1e15 else {
            throw Problem(description: "config.json's dimensions imply \(value) parameters, more than any real model")
        }
        return Int(value)
    }

    /// The quantization method and its stored bytes per weight.
    static func quantization(_ config: StructuredValue?) throws(Problem) -> (String?, Double?) {
        guard let config, config.mappingValue != nil else { return (nil, nil) }
        let method = (config[key: "quant_method"]?.stringValue ?? "unknown").lowercased()
        let bits = Fields(config, fallback: config)
        switch method {
        case "fp8", "fbgemm_fp8", "ptpc_fp8": return (method, 1)
        case "mxfp4": return (method, 4.25 / 8)  // 4-bit values and one 8-bit scale per 32
        case "bitsandbytes": return (method, bits.bool("load_in_4bit") == true ? 0.5 : 1)
        default:
            // awq, gptq, compressed-tensors, quark…: the first bit width the config names, else 8-bit.
            if let width = firstNumber(named: ["bits", "num_bits", "w_bit"], in: config), (1...16).contains(width) {
                return (method, Double(width) / 8 + (width < 8 ? 0.03 : 0))  // group scales and zeros
            }
            if let dtype = firstString(named: "dtype", in: config)?.lowercased() {
                if dtype.hasPrefix("fp8") || dtype == "int8" { return (method, 1) }
                if dtype.hasPrefix("fp4") || dtype == "int4" || dtype.hasPrefix("mxfp4") { return (method, 4.25 / 8) }
            }
            return (method, 1)
        }
    }

    static func dtypeBytes(_ dtype: String?) -> Double {
        switch dtype?.lowercased() {
        case "float32", "fp32": return 4
        case "float8_e4m3fn", "float8_e5m2", "fp8": return 1
        default: return 2
        }
    }

    static func firstNumber(named names: [String], in value: StructuredValue, depth: Int = 0) -> Int? {
        guard depth < 8 else { return nil }
        switch value {
        case .mapping(let items):
            for name in names { if case .int(let number)? = items[name] { return number } }
            for item in items.values {
                if let found = firstNumber(named: names, in: item, depth: depth + 1) { return found }
            }
        case .list(let items):
            for item in items { if let found = firstNumber(named: names, in: item, depth: depth + 1) { return found } }
        default: break
        }
        return nil
    }

    static func firstString(named name: String, in value: StructuredValue, depth: Int = 0) -> String? {
        guard depth < 8 else { return nil }
        switch value {
        case .mapping(let items):
            if let found = items[name]?.stringValue { return found }
            for item in items.values {
                if let found = firstString(named: name, in: item, depth: depth + 1) { return found }
            }
        case .list(let items):
            for item in items { if let found = firstString(named: name, in: item, depth: depth + 1) { return found } }
        default: break
        }
        return nil
    }
}

/// A config's fields, looked up in the language model's part first, then at the top.
struct Fields {
    let config: StructuredValue
    let fallback: StructuredValue

    init(_ config: StructuredValue, fallback: StructuredValue) {
        self.config = config
        self.fallback = fallback
    }

    func value(_ name: String) -> StructuredValue? {
        let found = config[key: name] ?? fallback[key: name]
        return found == .null ? nil : found
    }

    func string(_ name: String) -> String? { value(name)?.stringValue }

    func bool(_ name: String) -> Bool? {
        if case .bool(let flag)? = value(name) { return flag }
        return nil
    }

    /// The first of `names` present, as a whole number in `range`; nil when none is present.
    func optional(_ names: [String], _ range: ClosedRange<Int>) throws(ModelShapeReader.Problem) -> Int? {
        for name in names {
            guard let found = value(name) else { continue }
            let number: Int?
            switch found {
            case .int(let whole): number = whole
            case .double(let real) where real.rounded() == real && abs(real) < 1e15: number = Int(real)
            default: number = nil
            }
            guard let number, range.contains(number) else {
                throw ModelShapeReader.Problem(
                    description:
                        "config.json's \(name) is \(found.kindDescription == "an integer" ? "out of range" : "not a whole number"); expected \(range.lowerBound)…\(range.upperBound)"
                )
            }
            return number
        }
        return nil
    }

    func required(_ names: [String], _ range: ClosedRange<Int>) throws(ModelShapeReader.Problem) -> Int {
        guard let number = try optional(names, range) else {
            throw ModelShapeReader.Problem(description: "config.json has no \(names[0])")
        }
        return number
    }
}
