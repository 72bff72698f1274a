import ArgumentParser

struct AIMRuntimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aim-runtime",
        abstract: "Launcher for AMD Inference Microservices: picks a profile for the GPUs and renders the engine command.",
        version: RuntimeVersion.description,
        subcommands: [ServeCommand.self, GPUsCommand.self, SelectCommand.self, DryRunCommand.self, ListProfilesCommand.self, ValidateProfilesCommand.self, DownloadToCacheCommand.self, CacheCommand.self, HealthCommand.self],
        defaultSubcommand: ServeCommand.self)
}
