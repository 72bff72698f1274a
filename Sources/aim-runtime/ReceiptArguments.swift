import AIMCommands
import AIMConfiguration
import ArgumentParser

struct ReceiptArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Print the launch receipt of the last serve: what exactly ran.",
        discussion: "serve writes it when it starts the engine, next to its status file (serve-status.json → "
            + "serve-status.receipt.json), and adds the time the engine became ready. It holds aim-runtime's "
            + "version and commit, the profile and its SHA-256, the GPUs, the model's files and hashes, the "
            + "engine and its version, the argv and environment (secrets redacted) and each phase's time "
            + "(docs/receipt.md). Exits 1 when there is none.\n\n" + EnvironmentHelp.section([.statusPath]))

    @OptionGroup var settings: SettingsOptions

    var command: any RuntimeCommand {
        ReceiptCommand(overrides: settings.overrides)
    }
}
