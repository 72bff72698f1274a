import AIMConfiguration
import AIMCore
import AIMEngine
import AIMModelStore
import AIMProfiles
import AIMReports
import AIMSelection
import Logging

/// `dry-run`: the reference runtime's output, for tools that already parse it.
public struct DryRunCommand: RuntimeCommand {
    public enum Format: String, CaseIterable, Sendable {
        case yaml, json
    }

    public var format: Format
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(format: Format = .yaml, overrides: [ConfigVariable: String] = [:]) {
        self.format = format
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: true)
        let configuration = stages.configuration
        switch format {
        case .yaml:
            context.standardOutput.write(
                ReferenceDryRunReport.text(try await stages.plan()))
        case .json:
            // The operator reads an empty list as "no profile", so selection failures print [] and exit 0.
            var selected: Profile?
            do {
                selected = try await stages.planner.select(configuration.launchSettings).profile
            } catch let error as AIMError {
                stages.logs.logger("aim_runtime.dry_run").warning("No profile selected: \(error.message)")
            }
            var size: Double?
            let identity = configuration.modelIdentity
            let source = selected.map { ReferenceDryRunReport.modelSource($0, identity: identity).source }
            if let source, let cached = ModelSizeEstimator.cached(source, cacheRoot: configuration.cachePath) {
                // Cached already: the size on disk, without asking anyone.
                size = cached
            } else if let source, let reference = try? ModelReference.parse(source) {
                // A wrong endpoint is a wrong setting (exit 2); an unreachable or slow one only leaves the size unknown.
                try EndpointCheck.check(for: reference, environment: context.environment)
                size = try await StoreSession.run(
                    context, stallSeconds: 2, connectSeconds: min(configuration.downloadConnectTimeoutSeconds, 2)
                ) { http in
                    await ModelSizeEstimator(http: http, environment: context.environment).gibibytes(
                        reference, within: .seconds(5))
                }
            }
            context.standardOutput.write(ReferenceDryRunReport.json(selected, identity: identity, sizeGiB: size))
        }
        return ExitStatus.success.rawValue
    }
}
