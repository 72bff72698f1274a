import AIMConfiguration
import AIMCore
import AIMSupervisor

/// `health`: the probe for Docker HEALTHCHECK and Kubernetes exec probes.
public struct HealthCommand: RuntimeCommand {
    public enum Format: String, CaseIterable, Sendable {
        /// One line.
        case text
        /// One JSON object: healthy, message, and serve's status (with the diagnosis of a failure).
        case json
    }

    /// Ready (the engine serves the model) rather than only live (serve is running).
    public var ready: Bool
    public var format: Format
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(ready: Bool = true, format: Format = .text, overrides: [ConfigVariable: String] = [:]) {
        self.ready = ready
        self.format = format
        self.overrides = overrides
    }

    /// One line, and 0 or 1: a probe reads the status, not an error line.
    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: false)
        let report = await HealthCheck.report(
            ready: ready, statusPath: stages.configuration.statusPath, port: stages.configuration.port)
        switch format {
        case .text: context.standardOutput.writeLine(report.line)
        case .json: context.standardOutput.writeLine(JSONWriter.write(report.document))
        }
        return report.healthy ? ExitStatus.success.rawValue : ExitStatus.failure.rawValue
    }
}
