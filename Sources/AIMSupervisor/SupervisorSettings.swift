import AIMCore

/// How `serve` runs and watches the engine.
public struct SupervisorSettings: Sendable {
    public var port: Int
    /// The name `/v1/models` must list before the engine counts as ready.
    public var servedModelName: String
    public var startupTimeout: Double
    public var healthInterval: Double
    public var healthFailureThreshold: Int
    public var restartOnFailure: Bool
    public var maxRestarts: Int
    public var shutdownGrace: Double
    public var logFormat: LogOutputFormat
    /// Print a progress line at least this often while the engine starts.
    public var progressInterval: Double
    public var terminationMessagePath: String
    public var statusPath: String

    public init(
        port: Int, servedModelName: String, startupTimeout: Double, healthInterval: Double, healthFailureThreshold: Int,
        restartOnFailure: Bool, maxRestarts: Int, shutdownGrace: Double, logFormat: LogOutputFormat,
        progressInterval: Double = 30, terminationMessagePath: String, statusPath: String
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
        self.terminationMessagePath = terminationMessagePath
        self.statusPath = statusPath
    }
}
