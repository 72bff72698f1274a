import AIMCore

/// How `serve` runs and watches the engine.
public struct SupervisorSettings: Sendable {
    public var port: Int
    /// The name `/v1/models` must list before the engine counts as ready.
    public var servedModelName: String
    public var startupTimeout: Duration
    public var healthInterval: Duration
    public var healthFailureThreshold: Int
    public var restartOnFailure: Bool
    public var maxRestarts: Int
    public var shutdownGrace: Duration
    public var logFormat: LogOutputFormat
    /// Print a progress line at least this often while the engine starts.
    public var progressInterval: Duration
    /// While it starts, an engine that writes nothing for this long gets its processes described, once a silence.
    public var startupSilence: Duration
    public var terminationMessagePath: String
    public var statusPath: String
    /// nil on one node; a headless worker has no API: it is ready while its engine runs.
    public var groupRole: NodeGroup.Role?
    public var groupRank = 0

    public var servesAPI: Bool { groupRole != .worker }

    public init(
        port: Int, servedModelName: String, startupTimeout: Duration, healthInterval: Duration,
        healthFailureThreshold: Int, restartOnFailure: Bool, maxRestarts: Int, shutdownGrace: Duration,
        logFormat: LogOutputFormat, progressInterval: Duration = .seconds(30), startupSilence: Duration = .seconds(300),
        terminationMessagePath: String, statusPath: String
    ) {
        self.port = port
        self.servedModelName = servedModelName
        self.startupTimeout = startupTimeout
        self.healthInterval = healthInterval
        self.healthFailureThreshold = healthFailureThreshold
        self.restartOnFailure = restartOnFailure
        self.maxRestarts = maxRestarts
        self.shutdownGrace = shutdownGrace
        self.logFormat = logFormat
        self.progressInterval = progressInterval
        self.startupSilence = startupSilence
        self.terminationMessagePath = terminationMessagePath
        self.statusPath = statusPath
    }

    /// The wait before restart `number` (1, 2, …): 2, 4, 8 … seconds, at most 30.
    static func backoff(beforeRestart number: Int) -> Duration {
        .seconds(min(30, 1 << min(max(number, 1), 5)))
    }
}
