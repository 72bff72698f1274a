import AIMConfiguration
import AIMCore
import AIMEngine
import AIMProfiles
import AIMReports
import AIMSelection

/// `list-profiles`: every profile with its compatibility state, and the one that would be chosen.
public struct ListProfilesCommand: RuntimeCommand {
    public var format: ProfileListReport.Format
    public var state: StateFilter
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(
        format: ProfileListReport.Format = .table, state: StateFilter = .all, overrides: [ConfigVariable: String] = [:]
    ) {
        self.format = format
        self.state = state
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: true)
        let settings = stages.configuration.launchSettings
        let survey = try await stages.planner.survey(settings)
        var selectedID: String?
        var problem: String?
        do {
            selectedID = try stages.planner.choose(settings, gpu: survey.gpu, catalog: survey.catalog).profile.id
        } catch let error as AIMError {
            problem = error.message  // Shown in the listing's footer; listing is not choosing.
        }
        let rows = ProfileListing.rows(
            assessments: survey.assessments, invalid: survey.catalog.invalid, selectedID: selectedID
        )
        .filter { state.matches($0.state) }
        let report = ProfileListReport(
            heading: stages.configuration.profileListHeading, gpu: survey.gpu, rows: rows, selectionProblem: problem)
        context.standardOutput.write(report.render(format: format, colour: context.useColour))
        return ExitStatus.success.rawValue
    }
}
