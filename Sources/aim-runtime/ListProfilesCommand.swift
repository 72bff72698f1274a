import AIMCore
import AIMReports
import AIMSelection
import ArgumentParser

struct ListProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-profiles",
        abstract: "List every profile with its compatibility state and the reason for it.",
        discussion: "States: compatible, manual_only, gpu_mismatch, precision_mismatch, model_mismatch, "
            + "engine_mismatch, metric_mismatch, invalid. The profile that would be chosen is marked '*'. "
            + "Colour only on a terminal; NO_COLOR turns it off.\n\n" + EnvironmentHelp.section())

    @Option(help: "Output format: table, text or json.") var format: ProfileListReport.Format = .table
    @Option(help: "Show only one state, or all.") var state: StateFilter = .all
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var settings: SettingsOptions

    func run() throws {
        try Failure.reporting(body)
    }

    private func body() throws {
        let context = try CommandContext(settings: settings, identity: identity, requireModel: true)
        let survey = try context.planner.survey(context.configuration)
        var selectedID: String?
        var problem: String?
        do {
            selectedID = try context.planner.plan(context.configuration, gpu: survey.gpu, catalog: survey.catalog).profile.id
        } catch let error as AIMError {
            problem = error.message
        }
        let rows = ProfileListing.rows(assessments: survey.assessments, invalid: survey.catalog.invalid, selectedID: selectedID)
            .filter { state.matches($0.state) }
        let report = ProfileListReport(configuration: context.configuration, gpu: survey.gpu, rows: rows, selectionProblem: problem)
        print(report.render(format: format, colour: context.useColour), terminator: "")
    }
}

extension ProfileListReport.Format: ExpressibleByArgument {}

/// `--state`: one compatibility state, or all of them.
enum StateFilter: ExpressibleByArgument, CaseIterable {
    case all
    case only(CompatibilityState)

    init?(argument: String) {
        if argument.lowercased() == "all" {
            self = .all
        } else if let state = CompatibilityState(rawValue: argument.lowercased()) {
            self = .only(state)
        } else {
            return nil
        }
    }

    static var allCases: [StateFilter] { [.all] + CompatibilityState.allCases.map(StateFilter.only) }

    var defaultValueDescription: String {
        switch self {
        case .all: return "all"
        case .only(let state): return state.rawValue
        }
    }

    static var allValueStrings: [String] { allCases.map(\.defaultValueDescription) }

    func matches(_ candidate: CompatibilityState) -> Bool {
        switch self {
        case .all: return true
        case .only(let state): return state == candidate
        }
    }
}
