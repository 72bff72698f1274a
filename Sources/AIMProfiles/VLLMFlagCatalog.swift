/// The value types of vLLM's OpenAI server flags (vLLM 0.10–0.11), keyed by the
/// dashed flag name without `--`.
///
/// Flags not listed here are passed through unchecked, so a newer vLLM flag
/// still works; the listed ones catch typos such as `max-model-len: "4096"`.
public enum VLLMFlagCatalog {
    public static func rule(for flag: String) -> FlagRule? { rules[flag] }

    private static let rules: [String: FlagRule] = {
        var rules: [String: FlagRule] = [:]
        func add(_ rule: FlagRule, _ flags: [String]) {
            for flag in flags { rules[flag] = rule }
        }
        add(
            .boolean(nullable: true),
            [
                "async-scheduling", "calculate-kv-scales", "data-parallel-hybrid-lb", "disable-async-output-proc",
                "disable-cascade-attn", "disable-chunked-mm-input", "disable-custom-all-reduce",
                "disable-hybrid-kv-cache-manager", "disable-log-requests", "disable-log-stats",
                "disable-mm-preprocessor-cache", "disable-sliding-window", "enable-chunked-prefill", "enable-eplb",
                "enable-expert-parallel", "enable-log-requests", "enable-lora", "enable-lora-bias",
                "enable-multimodal-encoder-data-parallel", "enable-prefix-caching", "enable-prompt-embeds",
                "enable-sleep-mode", "enforce-eager", "eplb-log-balancedness", "fully-sharded-loras",
                "guided-decoding-disable-additional-properties", "guided-decoding-disable-any-whitespace",
                "guided-decoding-disable-fallback", "interleave-mm-strings", "kv-sharing-fast-prefill",
                "ray-workers-use-nsight", "skip-mm-profiling", "skip-tokenizer-init", "trust-remote-code",
                "use-tqdm-on-load",
            ])
        add(
            .bareOnly,
            [
                "no-async-scheduling", "no-calculate-kv-scales", "no-data-parallel-hybrid-lb",
                "no-disable-cascade-attn", "no-disable-chunked-mm-input", "no-disable-custom-all-reduce",
                "no-disable-hybrid-kv-cache-manager", "no-disable-log-requests", "no-disable-sliding-window",
                "no-enable-chunked-prefill", "no-enable-eplb", "no-enable-expert-parallel", "no-enable-log-requests",
                "no-enable-lora", "no-enable-lora-bias", "no-enable-prefix-caching", "no-enable-prompt-embeds",
                "no-enable-sleep-mode", "no-enforce-eager", "no-eplb-log-balancedness", "no-fully-sharded-loras",
                "no-guided-decoding-disable-additional-properties", "no-guided-decoding-disable-any-whitespace",
                "no-guided-decoding-disable-fallback", "no-interleave-mm-strings", "no-kv-sharing-fast-prefill",
                "no-ray-workers-use-nsight", "no-skip-mm-profiling", "no-skip-tokenizer-init",
                "no-trust-remote-code", "no-use-tqdm-on-load",
            ])
        add(.integer(nullable: true), ["seed"])
        add(
            .integer(nullable: true, minimum: 0),
            [
                "data-parallel-rank", "data-parallel-rpc-port", "data-parallel-start-rank", "eplb-step-interval",
                "eplb-window-size", "max-parallel-loading-workers", "num-gpu-blocks-override", "num-redundant-experts",
            ])
        add(
            .integer(nullable: true, minimum: 1),
            [
                "data-parallel-size-local", "max-cpu-loras", "max-model-len", "max-num-batched-tokens", "max-num-seqs",
            ])
        add(.integer(nullable: false), ["max-logprobs"])
        add(
            .integer(nullable: false, minimum: 0),
            [
                "cpu-offload-gb", "long-prefill-token-threshold", "lora-extra-vocab-size", "max-seq-len-to-capture",
                "mm-processor-cache-gb", "num-lookahead-slots", "swap-space",
            ])
        add(
            .integer(nullable: false, minimum: 1),
            [
                "data-parallel-size", "max-long-partial-prefills", "max-lora-rank", "max-loras",
                "max-num-partial-prefills",
                "pipeline-parallel-size", "tensor-parallel-size",
            ])
        add(.fraction(nullable: false), ["gpu-memory-utilization"])
        add(.number(nullable: false), ["scheduler-delay-factor"])
        add(.number(nullable: true), ["rope-theta"])
        add(
            .string(nullable: true),
            [
                "code-revision", "data-parallel-address", "download-dir", "hf-config-path", "hf-token",
                "ignore-patterns",
                "logits-processor-pattern", "logits-processors", "otlp-traces-endpoint", "override-attention-dtype",
                "quantization", "reasoning-parser", "revision", "show-hidden-metrics-for-version", "tokenizer",
                "tokenizer-revision",
            ])
        add(
            .string(nullable: false),
            [
                "allowed-local-media-path", "distributed-executor-backend", "generation-config", "model",
                "pt-load-map-location", "scheduler-cls", "worker-cls", "worker-extension-cls",
            ])
        add(
            .object(nullable: false),
            [
                "additional-config", "compilation-config", "eplb-config", "hf-overrides", "limit-mm-per-prompt",
                "media-io-kwargs", "model-loader-extra-config", "override-generation-config", "override-neuron-config",
                "rope-scaling",
            ])
        add(
            .object(nullable: true),
            [
                "default-mm-loras", "kv-events-config", "kv-transfer-config", "mm-processor-kwargs",
                "override-pooler-config", "speculative-config",
            ])
        add(.list, ["cuda-graph-sizes"])
        add(.stringOrStringList, ["served-model-name"])
        let choices: [String: [String]] = [
            "config-format": ["auto", "hf", "mistral"],
            "convert": ["auto", "classify", "embed", "none", "reward"],
            "data-parallel-backend": ["mp", "ray"],
            "dtype": ["auto", "bfloat16", "float", "float16", "float32", "half"],
            "guided-decoding-backend": ["auto", "guidance", "outlines", "xgrammar"],
            "kv-cache-dtype": ["auto", "fp8", "fp8_e4m3", "fp8_e5m2", "fp8_inc"],
            "load-format": [
                "auto", "pt", "safetensors", "npcache", "dummy", "tensorizer", "runai_streamer", "bitsandbytes",
                "sharded_state", "gguf", "mistral",
            ],
            "logprobs-mode": ["raw_logits", "raw_logprobs", "processed_logits", "processed_logprobs"],
            "lora-dtype": ["auto", "bfloat16", "float16"],
            "mamba-cache-dtype": ["auto", "float32"],
            "mamba-ssm-cache-dtype": ["auto", "float32"],
            "mm-encoder-tp-mode": ["data", "weights"],
            "model-impl": ["auto", "vllm", "transformers"],
            "prefix-caching-hash-algo": ["builtin", "sha256", "sha256_cbor_64bit"],
            "runner": ["auto", "draft", "generate", "pooling"],
            "scheduling-policy": ["fcfs", "priority"],
            "tokenizer-mode": ["auto", "custom", "mistral", "slow"],
        ]
        for (flag, options) in choices { rules[flag] = .choice(options, nullable: false) }
        rules["task"] = .choice(
            ["auto", "classify", "draft", "embed", "embedding", "generate", "reward", "score", "transcription"],
            nullable: true)
        rules["preemption-mode"] = .choice(["recompute", "swap"], nullable: true)
        rules["collect-detailed-traces"] = .choice(
            [
                "all", "model", "worker", "model,worker", "model,all", "worker,model", "worker,all", "all,model",
                "all,worker",
            ],
            nullable: true)
        rules["block-size"] = .integerChoice([1, 8, 16, 32, 64, 128], nullable: true)
        return rules
    }()
}
