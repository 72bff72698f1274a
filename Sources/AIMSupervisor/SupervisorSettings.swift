import AIMConfiguration
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
    public var progressInterval: Double = 30
    public var terminationMessagePath: String
    public var statusPath: String

    public init(configuration: RuntimeConfiguration, servedModelName: String) {
        port = configuration.port
        self.servedModelName = servedModelName
        startupTimeout = Double(configuration.startupTimeoutSeconds)
        healthInterval = Double(configuration.healthIntervalSeconds)
        healthFailureThreshold = configuration.healthFailureThreshold
        restartOnFailure = configuration.restartOnFailure
        maxRestarts = configuration.maxRestarts
        shutdownGrace = Double(configuration.shutdownGraceSeconds)
        logFormat = configuration.logFormat
        terminationMessagePath = configuration.terminationMessagePath
        statusPath = configuration.statusPath
    }
}
