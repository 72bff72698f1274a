import AIMCommands
import ArgumentParser

struct ServeArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Select a profile, fetch the model, start the engine and supervise it (the default command).",
        discussion: "serve detects the GPUs, selects the profile, makes sure the model is in the cache (downloading "
            + "and verifying what is missing), starts the engine without a shell in its own process group, waits "
            + "until /health answers and /v1/models lists the model, then watches it. SIGTERM, SIGINT and SIGHUP go "
            + "to the engine's process group; after AIM_SHUTDOWN_GRACE_SECONDS the rest is killed, and a second "
            + "SIGTERM kills at once. As a container's PID 1 it reaps every orphan. The exit code is the engine's "
            + "own, 128+N for signal N, or one of docs/exit-codes.md.\n\n" + EnvironmentHelp.section())

    @OptionGroup var identity: IdentityOptions
    @OptionGroup var settings: SettingsOptions

    var command: any RuntimeCommand {
        ServeCommand(overrides: settings.overrides.merging(identity.overrides) { $1 })
    }
}
