import AIMCommands
import AIMConfiguration
import ArgumentParser

struct ValidateProfilesArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "validate-profiles",
        abstract: "Check profile files for profile authors; exit 4 if any is invalid.",
        discussion: "Each PATH is a profile file or a directory searched for *.yaml. With no PATH, the whole "
            + "profile root is checked (AIM_PROFILE_BASE_PATH). A file's place decides its rules: files under "
            + "a general/ directory need no aim_id or model_id.\n\n"
            + EnvironmentHelp.section([.profileBasePath, .logLevel, .logLevelRoot, .logFormat]))

    @Argument(help: "Profile files or directories.") var paths: [String] = []
    @OptionGroup var settings: SettingsOptions

    var command: any RuntimeCommand {
        ValidateProfilesCommand(paths: paths, overrides: settings.overrides)
    }
}
