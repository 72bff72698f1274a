import AIMConfiguration
import AIMCore
import AIMGPU
import AIMReports
import AIMSelection

/// `gpus`: what detection finds and what selection will use.
public struct GPUsCommand: RuntimeCommand {
    public var format: GPUReportView.Format
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(format: GPUReportView.Format = .table, overrides: [ConfigVariable: String] = [:]) {
        self.format = format
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: false)
        let report = try await stages.detector.detect()
        context.standardOutput.write(GPUReportView.render(report, format: format))
        if report.gpus.isEmpty {
            throw GPUTargetResolver.noGPU(report)  // The report stays on stdout; the reason is the one error line.
        }
        return ExitStatus.success.rawValue
    }
}
