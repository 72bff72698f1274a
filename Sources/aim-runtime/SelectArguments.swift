import AIMCommands
import AIMCore
import AIMReports
import ArgumentParser

struct SelectArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Print the complete launch plan: profile, model, engine argv and env.",
        discussion: "select never starts anything, reads no network and writes no file; --dry-run states that "
            + "and is accepted for clarity. The JSON form is a stable contract (docs/select-json.md); on failure "
            + "it prints {\"error\": {\"code\", \"message\"}} and exits non-zero.\n\n" + EnvironmentHelp.section())

    @Flag(name: .customLong("dry-run"), help: "Plan only (always true for select).") var dryRun = false
    @Option(help: "Output format: text, json or yaml.") var format: LaunchPlanReport.Format = .text
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var settings: SettingsOptions
    @Option(
        help: "In a group of nodes: the leader's or a worker's command (default: this node's role; JSON shows both).")
    var role: NodeGroup.Role?

    var command: any RuntimeCommand {
        SelectCommand(format: format, overrides: settings.overrides.merging(identity.overrides) { $1 }, role: role)
    }
}
