import AIMConfiguration
import AIMCore
import AIMSupervisor

/// `health`: the probe for Docker HEALTHCHECK and Kubernetes exec probes.
public struct HealthCommand: RuntimeCommand {
    /// Ready (the engine serves the model) rather than only live (serve is running).
    public var ready: Bool
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(ready: Bool = true, overrides: [ConfigVariable: String] = [:]) {
        self.ready = ready
        self.overrides = overrides
    }

    /// One line, and 0 or 1: a probe reads the status, not an error line.
    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: false)
        let result = await HealthCheck.check(
            ready: ready, statusPath: stages.configuration.statusPath, port: stages.configuration.port)
        context.standardOutput.writeLine(result.line)
        return result.healthy ? ExitStatus.success.rawValue : ExitStatus.failure.rawValue
    }
}
