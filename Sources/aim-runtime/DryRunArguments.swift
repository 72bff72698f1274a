import AIMCommands
import ArgumentParser

struct DryRunArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Show the selected profile and launch script, as the reference runtime's dry-run does.",
        discussion: "Kept for tools that parse the reference's output. With --format json it prints "
            + "[{filename, profile, models: [{name, source, size_gb}]}], or [] when no profile matches "
            + "(exit 0, as the reference). size_gb is the cached model's size on disk, else from the Hub's file list or "
            + "the S3 listing (null offline or on error): the only network call a dry run makes.\n\n"
            + EnvironmentHelp.section())

    @Option(help: "Output format: yaml or json.") var format: DryRunCommand.Format = .yaml
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var settings: SettingsOptions

    var command: any RuntimeCommand {
        DryRunCommand(format: format, overrides: settings.overrides.merging(identity.overrides) { $1 })
    }
}
