import AIMCore
import AIMProfiles
import AIMReports
import ArgumentParser
import Logging

struct DryRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Show the selected profile and launch script, as the reference runtime's dry-run does.",
        discussion: "Kept for tools that parse the reference's output. With --format json it prints "
            + "[{filename, profile, models: [{name, source, size_gb}]}], or [] when no profile matches "
            + "(exit 0, as the reference). size_gb is null: a dry run makes no network calls.\n\n" + EnvironmentHelp.section())

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yaml, json
    }

    @Option(help: "Output format: yaml or json.") var format: Format = .yaml
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var settings: SettingsOptions

    func run() throws {
        try Failure.reporting(body)
    }

    private func body() throws {
        let context = try CommandContext(settings: settings, identity: identity, requireModel: true)
        switch format {
        case .yaml:
            print(ReferenceDryRunReport.text(try context.planner.plan(context.configuration)), terminator: "")
        case .json:
            // The operator reads an empty list as "no profile", so selection failures print [] and exit 0.
            var selected: Profile?
            do {
                selected = try context.planner.select(context.configuration).profile
            } catch let error as AIMError {
                Logger(label: "aim_runtime.dry_run").warning("No profile selected: \(error.message)")
            }
            print(ReferenceDryRunReport.json(selected, configuration: context.configuration), terminator: "")
        }
    }
}
