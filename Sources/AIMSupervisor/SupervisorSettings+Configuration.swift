import AIMConfiguration

extension SupervisorSettings {
    public init(configuration: RuntimeConfiguration, servedModelName: String) {
        self.init(
            port: configuration.port, servedModelName: servedModelName,
            startupTimeout: .seconds(configuration.startupTimeoutSeconds),
            healthInterval: .seconds(configuration.healthIntervalSeconds),
            healthFailureThreshold: configuration.healthFailureThreshold,
            restartOnFailure: configuration.restartOnFailure, maxRestarts: configuration.maxRestarts,
            shutdownGrace: .seconds(configuration.shutdownGraceSeconds), logFormat: configuration.logFormat,
            terminationMessagePath: configuration.terminationMessagePath, statusPath: configuration.statusPath)
    }
}
