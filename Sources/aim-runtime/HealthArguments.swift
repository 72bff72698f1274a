import AIMCommands
import AIMConfiguration
import ArgumentParser

struct HealthArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Probe a running serve, for Docker HEALTHCHECK and Kubernetes exec probes: exit 0 or 1, one line.",
        discussion: "--live: serve is running (its status file names a live process). --ready (the default): the "
            + "engine answers GET /health and /v1/models lists the served model. The target is the port serve "
            + "recorded, else AIM_PORT. --format json prints the same verdict with serve's status: phase, pid, "
            + "port, served model name, and the diagnosis of the engine's last failure.\n\n"
            + EnvironmentHelp.section([.port, .statusPath]))

    @Flag(help: "Check only that serve is running.") var live = false
    @Flag(help: "Check that the engine serves the model (the default).") var ready = false
    @Option(help: "Output format: text (one line) or json.") var format: HealthCommand.Format = .text
    @OptionGroup var settings: SettingsOptions

    var command: any RuntimeCommand {
        HealthCommand(ready: !live || ready, format: format, overrides: settings.overrides)
    }
}
