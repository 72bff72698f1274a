import AIMConfiguration
import AIMCore
import AIMEngine
import AIMReports

/// `select --dry-run`: the complete launch plan, started nowhere.
public struct SelectCommand: RuntimeCommand {
    public var format: LaunchPlanReport.Format
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]
    /// In a group: the role whose command to show; nil for this node's own.
    public var role: NodeGroup.Role?

    public init(
        format: LaunchPlanReport.Format = .text, overrides: [ConfigVariable: String] = [:], role: NodeGroup.Role? = nil
    ) {
        self.format = format
        self.overrides = overrides
        self.role = role
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: true, role: role)
        let plan = try await stages.plan()
        context.standardOutput.write(
            try LaunchPlanReport.render(plan, presence: ModelPresence.inspect(plan.model), format: format))
        return ExitStatus.success.rawValue
    }

    /// The JSON form is a contract (docs/select-json.md): on failure it is `{"error": …}`.
    public func failureOutput(_ failure: AIMError) -> String? {
        format == .json ? ErrorReport.json(failure) : nil
    }
}
