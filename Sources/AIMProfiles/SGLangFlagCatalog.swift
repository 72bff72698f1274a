/// The value types of the SGLang `launch_server` flags that AIM profiles use
/// most, keyed by the dashed flag name without `--`. Others pass unchecked.
public enum SGLangFlagCatalog {
    public static func rule(for flag: String) -> FlagRule? { rules[flag] }

    private static let rules: [String: FlagRule] = [
        "tp-size": .integer(nullable: false, minimum: 1),
        "dp-size": .integer(nullable: false, minimum: 1),
        "ep-size": .integer(nullable: false, minimum: 1),
        "pp-size": .integer(nullable: false, minimum: 1),
        "mem-fraction-static": .fraction(nullable: true),
        "context-length": .integer(nullable: true, minimum: 1),
        "max-running-requests": .integer(nullable: true, minimum: 1),
        "max-prefill-tokens": .integer(nullable: false, minimum: 1),
        "chunked-prefill-size": .integer(nullable: true),
        "max-total-tokens": .integer(nullable: true, minimum: 1),
        "cuda-graph-max-bs": .integer(nullable: true, minimum: 1),
        "dtype": .choice(["auto", "half", "float16", "bfloat16", "float", "float32"], nullable: false),
        "kv-cache-dtype": .choice(["auto", "fp8_e5m2", "fp8_e4m3"], nullable: false),
        "attention-backend": .string(nullable: true),
        "schedule-policy": .choice(["lpm", "random", "fcfs", "dfs-weight", "lof"], nullable: false),
        "trust-remote-code": .boolean(nullable: true),
        "enable-torch-compile": .boolean(nullable: true),
        "disable-radix-cache": .boolean(nullable: true),
        "disable-cuda-graph": .boolean(nullable: true),
        "enable-metrics": .boolean(nullable: true),
        "reasoning-parser": .string(nullable: true),
        "tool-call-parser": .string(nullable: true),
        "served-model-name": .string(nullable: true),
        "json-model-override-args": .string(nullable: true),
    ]
}
