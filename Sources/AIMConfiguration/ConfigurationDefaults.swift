import AIMCore
import Logging

/// What each setting is when neither its variable nor its flag is given: the one place defaults
/// are written. The loader applies them, and `ConfigVariable.defaultDescription` shows them in
/// `--help` and docs/configuration.md (a test compares the doc with it). Stage settings have no
/// defaults of their own: the composition layer fills them from the loaded configuration.
public enum ConfigurationDefaults {
    public static let engine = EngineKind.vllm
    public static let metric = Metric.latency
    /// Detect the GPUs.
    public static let gpuModel = GPUModel.none
    public static let cachePath = "/workspace/model-cache"
    public static let port = 8000
    public static let logLevelRoot = Logger.Level.warning
    public static let logLevel = Logger.Level.info
    public static let logFormat = LogOutputFormat.text
    public static let allowGeneralFallback = true
    /// Used when it exists; else the profiles shipped with the build.
    public static let containerProfileRoot = "/workspace/aim-runtime/profiles"
    public static let sysfsPath = "/sys"
    public static let gpuDetectTimeoutSeconds = 10
    public static let downloadStallSeconds = 60
    public static let downloadConnectTimeoutSeconds = 15
    public static let downloadConnections = 4
    public static let downloadMaxConnections = 32
    public static let downloadChunkMiB = 8
    public static let startupTimeoutSeconds = 1800
    /// Model loading prints progress; five silent minutes is a hang more often than a slow disk.
    public static let startupSilenceSeconds = 300
    public static let healthIntervalSeconds = 10
    public static let healthFailureThreshold = 3
    /// `never`: stop and exit when the engine fails.
    public static let restartOnFailure = false
    public static let memoryCheck = MemoryCheck.warn
    public static let autoMaxModelLen = false
    public static let maxRestarts = 3
    public static let shutdownGraceSeconds = 30
    public static let terminationMessagePath = "/dev/termination-log"
    public static let statusPath = "/tmp/aim-runtime/serve-status.json"
    /// The host itself; a fixture tree in tests.
    public static let hostRoot = "/"
    /// serve checks the host before it starts the engine.
    public static let preflight = true
    /// torch.distributed's customary rendezvous port.
    public static let masterPort = 29500
    public static let groupPort = 29600
    /// Every worker downloads the model before it joins: a large model on a slow link takes a while.
    public static let groupTimeoutSeconds = 1800
}
