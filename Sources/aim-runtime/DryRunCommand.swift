import AIMCore
import AIMModelStore
import AIMProfiles
import AIMReports
import ArgumentParser
import Logging

struct DryRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Show the selected profile and launch script, as the reference runtime's dry-run does.",
        discussion: "Kept for tools that parse the reference's output. With --format json it prints "
            + "[{filename, profile, models: [{name, source, size_gb}]}], or [] when no profile matches "
            + "(exit 0, as the reference). size_gb comes from the Hub's file list or the S3 listing (null offline or "
            + "on error): the only network call a dry run makes.\n\n" + EnvironmentHelp.section())

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yaml, json
    }

    @Option(help: "Output format: yaml or json.") var format: Format = .yaml
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        try await Failure.reportingAsync(body)
    }

    private func body() async throws {
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
            var size: Double?
            if let selected, let reference = try? ModelReference.parse(ReferenceDryRunReport.modelSource(selected, configuration: context.configuration).source) {
                // A wrong endpoint is a wrong setting (exit 2); an unreachable or slow one only leaves the size unknown.
                try EndpointCheck.check(for: reference, environment: context.environment)
                size = try await StoreSession.run(stallSeconds: 2, connectSeconds: min(context.configuration.downloadConnectTimeoutSeconds, 2)) { http in
                    await ModelSizeEstimator(http: http, environment: context.environment).gibibytes(reference, within: .seconds(5))
                }
            }
            print(ReferenceDryRunReport.json(selected, configuration: context.configuration, sizeGiB: size), terminator: "")
        }
    }
}
