import AIMCommands
import AIMReports
import ArgumentParser

struct ListProfilesArguments: CommandDeclaration {
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

    var command: any RuntimeCommand {
        ListProfilesCommand(
            format: format, state: state, overrides: settings.overrides.merging(identity.overrides) { $1 })
    }
}
