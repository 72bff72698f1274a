import ArgumentParser

struct AIMRuntimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aim-runtime",
        abstract:
            "Launcher for AMD Inference Microservices: picks a profile for the GPUs and renders the engine command.",
        version: RuntimeVersion.description,
        subcommands: [
            ServeArguments.self, GPUsArguments.self, SelectArguments.self, DryRunArguments.self,
            ListProfilesArguments.self,
            ValidateProfilesArguments.self, DownloadToCacheArguments.self, CacheArguments.self, HealthArguments.self,
            ReceiptArguments.self, DoctorArguments.self,
        ],
        defaultSubcommand: ServeArguments.self)
}
