import AIMConfiguration
import ArgumentParser

/// The model identity flags, for the commands that choose a profile.
struct IdentityOptions: ParsableArguments {
    @Option(name: .customLong("aim-id"), help: "Overrides AIM_ID.") var aimID: String?
    @Option(name: .customLong("model-id"), help: "Overrides AIM_MODEL_ID.") var modelID: String?

    var overrides: [ConfigVariable: String] {
        var flags: [ConfigVariable: String] = [:]
        flags[.aimID] = aimID
        flags[.modelID] = modelID
        return flags
    }
}

/// Flags for the common settings; each beats its environment variable.
struct SettingsOptions: ParsableArguments {
    @Option(help: "Overrides AIM_PRECISION.") var precision: String?
    @Option(name: .customLong("gpu-count"), help: "Overrides AIM_GPU_COUNT.") var gpuCount: String?
    @Option(name: .customLong("gpu-model"), help: "Overrides AIM_GPU_MODEL.") var gpuModel: String?
    @Option(help: "Overrides AIM_ENGINE.") var engine: String?
    @Option(help: "Overrides AIM_METRIC.") var metric: String?
    @Option(name: .customLong("profile-id"), help: "Overrides AIM_PROFILE_ID.") var profileID: String?
    @Option(name: .customLong("cache-path"), help: "Overrides AIM_CACHE_PATH.") var cachePath: String?
    @Option(help: "Overrides AIM_PORT.") var port: String?
    @Option(name: .customLong("engine-args"), help: "Overrides AIM_ENGINE_ARGS (a JSON object).") var engineArgs:
        String?
    @Option(name: .customLong("log-level"), help: "Overrides AIM_LOG_LEVEL.") var logLevel: String?
    @Option(name: .customLong("log-format"), help: "Overrides AIM_LOG_FORMAT (text or json).") var logFormat: String?
    @Option(name: .customLong("allow-general-fallback"), help: "Overrides AIM_ALLOW_GENERAL_PROFILE_FALLBACK.")
    var allowGeneralFallback: String?
    @Option(name: .customLong("profile-base-path"), help: "Overrides AIM_PROFILE_BASE_PATH.") var profileBasePath:
        String?
    @Option(name: .customLong("gpu-source"), help: "Overrides AIM_GPU_SOURCE.") var gpuSource: String?
    @Option(name: .customLong("sysfs-path"), help: "Overrides AIM_SYSFS_PATH.") var sysfsPath: String?
    @Option(name: .customLong("memory-check"), help: "Overrides AIM_MEMORY_CHECK (strict, warn or off).")
    var memoryCheck: String?
    @Option(name: .customLong("auto-max-model-len"), help: "Overrides AIM_AUTO_MAX_MODEL_LEN.")
    var autoMaxModelLen: String?
    @Option(name: .customLong("node-count"), help: "Overrides AIM_NODE_COUNT (nodes in the group, 1-64).")
    var nodeCount: String?

    /// The flags given, keyed by the variable each overrides.
    var overrides: [ConfigVariable: String] {
        let pairs: [(ConfigVariable, String?)] = [
            (.precision, precision), (.gpuCount, gpuCount),
            (.gpuModel, gpuModel), (.engine, engine), (.metric, metric), (.profileID, profileID),
            (.cachePath, cachePath), (.port, port), (.engineArgs, engineArgs), (.logLevel, logLevel),
            (.logFormat, logFormat), (.allowGeneralFallback, allowGeneralFallback), (.profileBasePath, profileBasePath),
            (.gpuSource, gpuSource), (.sysfsPath, sysfsPath), (.memoryCheck, memoryCheck),
            (.autoMaxModelLen, autoMaxModelLen), (.nodeCount, nodeCount),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { variable, value in value.map { (variable, $0) } })
    }
}
