import AIMCore

/// Every environment variable aim-runtime reads, with its flag, default and meaning.
///
/// This table drives parsing, `--help` and docs/configuration.md, so the three
/// cannot drift apart (a test compares the doc with it).
public enum ConfigVariable: String, CaseIterable, Sendable {
    case aimID = "AIM_ID"
    case modelID = "AIM_MODEL_ID"
    case precision = "AIM_PRECISION"
    case gpuCount = "AIM_GPU_COUNT"
    case gpuModel = "AIM_GPU_MODEL"
    case engine = "AIM_ENGINE"
    case metric = "AIM_METRIC"
    case profileID = "AIM_PROFILE_ID"
    case cachePath = "AIM_CACHE_PATH"
    case port = "AIM_PORT"
    case engineArgs = "AIM_ENGINE_ARGS"
    case logLevelRoot = "AIM_LOG_LEVEL_ROOT"
    case logLevel = "AIM_LOG_LEVEL"
    case logFormat = "AIM_LOG_FORMAT"
    case customModelName = "AIM_CUSTOM_MODEL_NAME"
    case allowGeneralFallback = "AIM_ALLOW_GENERAL_PROFILE_FALLBACK"
    case profileBasePath = "AIM_PROFILE_BASE_PATH"
    case gpuSource = "AIM_GPU_SOURCE"
    case sysfsPath = "AIM_SYSFS_PATH"
    case gpuDetectTimeout = "AIM_GPU_DETECT_TIMEOUT_SECONDS"
    case downloadStallSeconds = "AIM_DOWNLOAD_STALL_SECONDS"
    case downloadConnectTimeout = "AIM_DOWNLOAD_CONNECT_TIMEOUT_SECONDS"
    case downloadConnections = "AIM_DOWNLOAD_CONNECTIONS"
    case downloadMaxConnections = "AIM_DOWNLOAD_MAX_CONNECTIONS"
    case downloadChunkMiB = "AIM_DOWNLOAD_CHUNK_MIB"
    case downloadInclude = "AIM_DOWNLOAD_INCLUDE"
    case downloadExclude = "AIM_DOWNLOAD_EXCLUDE"
    case startupTimeout = "AIM_STARTUP_TIMEOUT_SECONDS"
    case startupSilence = "AIM_STARTUP_SILENCE_SECONDS"
    case healthInterval = "AIM_HEALTH_INTERVAL_SECONDS"
    case healthFailures = "AIM_HEALTH_FAILURE_THRESHOLD"
    case restartPolicy = "AIM_RESTART_POLICY"
    case maxRestarts = "AIM_MAX_RESTARTS"
    case shutdownGrace = "AIM_SHUTDOWN_GRACE_SECONDS"
    case terminationMessagePath = "AIM_TERMINATION_MESSAGE_PATH"
    case statusPath = "AIM_STATUS_PATH"
    case hostRoot = "AIM_HOST_ROOT"
    case preflight = "AIM_PREFLIGHT"
    case memoryCheck = "AIM_MEMORY_CHECK"
    case autoMaxModelLen = "AIM_AUTO_MAX_MODEL_LEN"
    case nodeCount = "AIM_NODE_COUNT"
    case nodeRank = "AIM_NODE_RANK"
    case leaderAddress = "AIM_LEADER_ADDRESS"
    case masterPort = "AIM_MASTER_PORT"
    case groupPort = "AIM_GROUP_PORT"
    case groupTimeout = "AIM_GROUP_TIMEOUT_SECONDS"
    case lwsGroupSize = "LWS_GROUP_SIZE"
    case lwsWorkerIndex = "LWS_WORKER_INDEX"
    case lwsLeaderAddress = "LWS_LEADER_ADDRESS"
    case lwsGroupIndex = "LWS_GROUP_INDEX"

    public var name: String { rawValue }

    /// The command-line flag that overrides the variable, if it has one.
    public var flag: String? {
        switch self {
        case .aimID: return "--aim-id"
        case .modelID: return "--model-id"
        case .precision: return "--precision"
        case .gpuCount: return "--gpu-count"
        case .gpuModel: return "--gpu-model"
        case .engine: return "--engine"
        case .metric: return "--metric"
        case .profileID: return "--profile-id"
        case .cachePath: return "--cache-path"
        case .port: return "--port"
        case .engineArgs: return "--engine-args"
        case .logLevel: return "--log-level"
        case .logFormat: return "--log-format"
        case .allowGeneralFallback: return "--allow-general-fallback"
        case .profileBasePath: return "--profile-base-path"
        case .gpuSource: return "--gpu-source"
        case .sysfsPath: return "--sysfs-path"
        case .logLevelRoot, .customModelName, .gpuDetectTimeout, .downloadStallSeconds, .downloadConnectTimeout,
            .downloadConnections, .downloadMaxConnections, .downloadChunkMiB,
            .downloadInclude, .downloadExclude, .startupTimeout, .startupSilence, .healthInterval, .healthFailures,
            .restartPolicy, .maxRestarts, .shutdownGrace, .terminationMessagePath, .statusPath, .hostRoot, .preflight,
            .nodeRank, .leaderAddress, .masterPort, .groupPort, .groupTimeout, .lwsGroupSize, .lwsWorkerIndex,
            .lwsLeaderAddress, .lwsGroupIndex:
            return nil
        case .nodeCount: return "--node-count"
        case .memoryCheck: return "--memory-check"
        case .autoMaxModelLen: return "--auto-max-model-len"
        }
    }

    /// The default as `--help` and docs/configuration.md show it, from `ConfigurationDefaults`.
    public var defaultDescription: String {
        typealias Defaults = ConfigurationDefaults
        switch self {
        case .aimID, .modelID, .profileID, .engineArgs, .customModelName, .downloadInclude, .downloadExclude:
            return "unset"
        case .precision, .gpuCount, .gpuSource: return "auto"
        case .metric: return Defaults.metric.rawValue
        case .gpuModel: return "\(Defaults.gpuModel.rawValue) (detect)"
        case .engine: return Defaults.engine.rawValue
        case .cachePath: return Defaults.cachePath
        case .port: return String(Defaults.port)
        case .logLevelRoot: return LogLevelSetting.name(Defaults.logLevelRoot)
        case .logLevel: return LogLevelSetting.name(Defaults.logLevel)
        case .logFormat: return Defaults.logFormat.rawValue
        case .allowGeneralFallback: return String(Defaults.allowGeneralFallback)
        case .profileBasePath:
            return "\(Defaults.containerProfileRoot) if it exists, else the profiles/ shipped with the build"
        case .sysfsPath: return "\(Defaults.sysfsPath) (under AIM_HOST_ROOT)"
        case .gpuDetectTimeout: return String(Defaults.gpuDetectTimeoutSeconds)
        case .downloadStallSeconds: return String(Defaults.downloadStallSeconds)
        case .downloadConnectTimeout: return String(Defaults.downloadConnectTimeoutSeconds)
        case .downloadConnections: return String(Defaults.downloadConnections)
        case .downloadMaxConnections: return String(Defaults.downloadMaxConnections)
        case .downloadChunkMiB: return String(Defaults.downloadChunkMiB)
        case .startupTimeout: return String(Defaults.startupTimeoutSeconds)
        case .startupSilence: return String(Defaults.startupSilenceSeconds)
        case .healthInterval: return String(Defaults.healthIntervalSeconds)
        case .healthFailures: return String(Defaults.healthFailureThreshold)
        case .restartPolicy: return Defaults.restartOnFailure ? "on-failure" : "never"
        case .maxRestarts: return String(Defaults.maxRestarts)
        case .shutdownGrace: return String(Defaults.shutdownGraceSeconds)
        case .terminationMessagePath: return Defaults.terminationMessagePath
        case .statusPath: return Defaults.statusPath
        case .hostRoot: return Defaults.hostRoot
        case .preflight: return Defaults.preflight ? "on" : "off"
        case .memoryCheck: return Defaults.memoryCheck.rawValue
        case .autoMaxModelLen: return String(Defaults.autoMaxModelLen)
        case .nodeCount: return "LWS_GROUP_SIZE, else 1"
        case .nodeRank: return "LWS_WORKER_INDEX, else 0"
        case .leaderAddress: return "LWS_LEADER_ADDRESS"
        case .masterPort: return String(Defaults.masterPort)
        case .groupPort: return String(Defaults.groupPort)
        case .groupTimeout: return String(Defaults.groupTimeoutSeconds)
        case .lwsGroupSize, .lwsWorkerIndex, .lwsLeaderAddress: return "set by LeaderWorkerSet"
        case .lwsGroupIndex: return "set by the shipped manifest"
        }
    }

    public var summary: String {
        switch self {
        case .aimID:
            return "Model-specific AIM id (org/model). Selects the model's own profiles; exclusive with AIM_MODEL_ID."
        case .modelID: return "Model to serve from a base AIM (general profiles only); exclusive with AIM_ID."
        case .precision: return "auto, or one of fp4 fp8 fp16 fp32 bf16 int4 int8."
        case .gpuCount: return "auto, or the number of GPUs to use (a whole number from 0 to 1024)."
        case .gpuModel: return "GPU model override, e.g. MI300X; NONE or UNKNOWN means detect."
        case .engine: return "auto, vllm or sglang (auto means vllm)."
        case .metric: return "auto, latency or throughput (auto means latency)."
        case .profileID: return "Force one profile by id, ignoring compatibility."
        case .cachePath: return "Model cache root."
        case .port: return "Port the engine listens on (1-65535)."
        case .engineArgs: return "JSON object of engine flags merged over the profile's engine_args."
        case .logLevelRoot: return "Log level for third-party output (DEBUG INFO WARNING ERROR CRITICAL)."
        case .logLevel: return "Log level of aim-runtime (DEBUG INFO WARNING ERROR CRITICAL)."
        case .logFormat: return "text or json (one JSON object a line)."
        case .customModelName: return "Cache directory name for S3 models (may contain '/')."
        case .allowGeneralFallback:
            return "Whether general profiles may be chosen automatically (true/false, yes/no, 1/0)."
        case .profileBasePath: return "Profile root holding custom/, <org>/<model>/ and general/."
        case .gpuSource: return "GPU detection source: auto, rocm-smi-lib, rocm-smi, amd-smi or sysfs."
        case .sysfsPath: return "Root of the sysfs tree read for KFD topology and DRM devices."
        case .gpuDetectTimeout:
            return "Seconds a GPU tool (rocm-smi, amd-smi) may take before the next source is tried."
        case .downloadStallSeconds: return "Seconds a download may move no byte before it is aborted and retried."
        case .downloadConnectTimeout:
            return "Seconds to keep trying to connect to the Hub or S3 endpoint before an attempt fails."
        case .downloadConnections:
            return "Parallel transfers a model's download starts with (files and ranges of large files)."
        case .downloadMaxConnections:
            return "The most parallel transfers a download grows to while throughput keeps rising."
        case .downloadChunkMiB: return "Size in MiB of the ranges large files are split into."
        case .downloadInclude:
            return "Comma-separated globs of repository files to download (default: all but duplicate weights)."
        case .downloadExclude: return "Comma-separated globs of repository files to skip."
        case .startupTimeout: return "Seconds the engine may take to become ready before serve stops it (exit 12)."
        case .startupSilence:
            return
                "Seconds without an engine line during start after which serve logs what each engine process is doing (10-86400)."
        case .healthInterval:
            return "Seconds between liveness checks once the engine is ready (and between a group's heartbeats)."
        case .healthFailures:
            return
                "Consecutive failed liveness checks that make the engine unhealthy (and heartbeats a group member may miss)."
        case .restartPolicy: return "never (stop and exit) or on-failure (restart a crashed or unhealthy engine)."
        case .maxRestarts: return "Restarts allowed with on-failure before serve gives up (exit 14)."
        case .shutdownGrace: return "Seconds the engine gets to stop after SIGTERM before it is killed."
        case .statusPath: return "Where serve keeps its status (pid, phase, port, model) for `aim-runtime health`."
        case .memoryCheck:
            return
                "strict, warn or off: whether profiles whose model cannot fit in GPU memory are skipped, and a forced one refused (strict) or warned about (warn)."
        case .autoMaxModelLen:
            return
                "Where the wanted context does not fit in GPU memory but a shorter one does, serve the longest that fits (true/false)."
        case .terminationMessagePath:
            return
                "Where serve writes the one-line reason of an abnormal end, if the file exists (Kubernetes' terminationMessagePath)."
        case .hostRoot: return "Directory under which doctor and serve's preflight read /proc, /sys and /dev."
        case .preflight:
            return "on or off: whether serve runs the host checks (doctor's fast ones) before the engine starts."
        case .nodeCount:
            return "Nodes that run one engine together (1-64); only profiles with that metadata.node_count are chosen."
        case .nodeRank: return "This node's rank in the group: 0 is the leader (API server), others run headless."
        case .leaderAddress:
            return "DNS name or IP address of the group's leader (rank 0); required with 2 or more nodes."
        case .masterPort:
            return "Port on the leader where the engines rendezvous (vLLM --master-port, SGLang --dist-init-addr)."
        case .groupPort: return "Port on the leader where the workers' aim-runtime joins the leader's (TCP)."
        case .groupTimeout:
            return
                "Seconds the leader waits for every worker to join, and a worker for the leader, before giving up (exit 18)."
        case .lwsGroupSize: return "The group's size, from LeaderWorkerSet; read when AIM_NODE_COUNT is unset."
        case .lwsWorkerIndex:
            return "This pod's index in its group (0 = leader), from LeaderWorkerSet; read when AIM_NODE_RANK is unset."
        case .lwsLeaderAddress:
            return "The leader pod's address, from LeaderWorkerSet; read when AIM_LEADER_ADDRESS is unset."
        case .lwsGroupIndex:
            return
                "Which replica group this pod belongs to (the shipped LeaderWorkerSet sets it from the pod's label); logged."
        }
    }
}
