import AIMCore
import AIMReports
import ArgumentParser

struct SelectCommand: ParsableCommand {
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

    func run() throws {
        do {
            let context = try CommandContext(settings: settings, identity: identity, requireModel: true)
            let plan = try context.planner.plan(context.configuration)
            print(try LaunchPlanReport.render(plan, format: format), terminator: "")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            if format == .json { print(ErrorReport.json(ErrorReport.classify(error)), terminator: "") }
            throw Failure.report(error)
        }
    }
}

extension LaunchPlanReport.Format: ExpressibleByArgument {}
