import AIMCommands
import AIMModelStore
import ArgumentParser

struct DownloadToCacheArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "download-to-cache",
        abstract: "Download a model into the cache, verified, and print its local path.",
        discussion: "Without --model-id, the model of the profile selection would choose is downloaded (its model_id, "
            + "else AIM_MODEL_ID or AIM_ID). REF is hf://org/name[@revision], org/name, s3://bucket/prefix or a local "
            + "path. Files are written under temporary names and renamed only after their size and hash check out; an "
            + "interrupted download resumes. Exit codes 6-11 say why a download failed (docs/exit-codes.md).\n\n"
            + EnvironmentHelp.section())

    @Option(name: .customLong("model-id"), help: "The model to download (REF).") var modelReference: String?
    @Flag(
        name: .customLong("use-hf-cache"),
        help: "Accepted for compatibility: the hub cache layout is already the default.")
    var useHFCache = false
    @Option(
        name: .customLong("custom-model-name"),
        help: "Cache directory name for S3 models (overrides AIM_CUSTOM_MODEL_NAME).")
    var customModelName: String?
    @Option(help: "Cache layout: hub (<cache>/hub/models--org--name, the default) or flat (<cache>/<org>/<name>).")
    var layout: StoreSettings.Layout = .hub
    @Flag(help: "Check the hashes of files already cached, not only their sizes.") var verify = false
    @OptionGroup var settings: SettingsOptions

    var command: any RuntimeCommand {
        DownloadToCacheCommand(
            modelReference: modelReference, customModelName: customModelName, layout: layout, verifyHashes: verify,
            overrides: settings.overrides)
    }
}
