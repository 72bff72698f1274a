import AIMConfiguration
import AIMCore
import AIMEngine
import AIMHost
import AIMModelStore
import AIMProfiles
import AIMReports
import AsyncHTTPClient

/// `doctor`: every host check, one row each; exit 16 when any fails (docs/doctor.md).
public struct DoctorCommand: RuntimeCommand {
    public var format: DoctorReportView.Format
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(format: DoctorReportView.Format = .table, overrides: [ConfigVariable: String] = [:]) {
        self.format = format
        self.overrides = overrides
    }

    /// How long the Hub may take to say whether a model is gated, and a Hub or S3 listing to give its size.
    static let hubLimit: Duration = .seconds(5)
    static let sizeLimit: Duration = .seconds(10)

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: false)
        let configuration = stages.configuration
        var spec: LaunchSpec?
        var reason = ""
        if configuration.aimID == nil && configuration.modelID == nil {
            reason = "neither AIM_ID nor AIM_MODEL_ID is set"
        } else {
            do {
                spec = try await stages.plan()
            } catch let error as AIMError {
                reason = error.message
            }
        }
        let facts = await HostCheckSetup.facts(context, stages, spec: spec, noProfileReason: reason)
        let world = HostCheckSetup.world(context, configuration)
        let checks = try await StoreSession.run(
            context, stallSeconds: configuration.downloadStallSeconds,
            connectSeconds: min(configuration.downloadConnectTimeoutSeconds, 5)
        ) { http in
            let model = spec.map {
                Self.modelFacts($0.model, http: http, context: context, cacheRoot: configuration.cachePath)
            }
            return await HostChecker(world: world, facts: facts, model: model).run()
        }
        context.standardOutput.write(DoctorReportView.render(checks, format: format))
        let failed = checks.filter { $0.status == .fail }
        guard failed.isEmpty else {
            throw AIMError(
                .preflightFailed,
                "\(failed.count) host check(s) failed: \(failed.map(\.id.rawValue).joined(separator: ", ")); each row gives its fix"
            )
        }
        return ExitStatus.success.rawValue
    }

    /// The model as `cache_disk` and `hf_token` need it, with the two server questions bound to one client.
    static func modelFacts(
        _ model: ModelResolution, http: HTTPClient, context: CommandContext, cacheRoot: String
    ) -> ModelFacts {
        let reference = try? ModelReference.parse(model.source == .local ? model.location : model.id)
        var hubRepo: String?
        if case .huggingFace(let repo, _)? = reference, model.source == .huggingFace || model.source == .hubCache {
            hubRepo = repo
        }
        let inPlace: String? =
            model.source == .cache || model.source == .local ? model.location : model.cachedPath
        let cached = CacheInventory(cacheRoot: cacheRoot).entries(matching: model.id).first?.bytes ?? 0
        let environment = context.environment
        return ModelFacts(
            id: model.id, hubRepo: hubRepo, inPlace: inPlace, cacheRoot: cacheRoot, cachedBytes: cached,
            totalBytes: {
                guard let reference else { return .failure(.init("the model reference cannot be parsed")) }
                if case .huggingFace = reference, HubSettings(environment: environment).offline {
                    return .failure(.init("HF_HUB_OFFLINE is set, and the cache does not hold it whole"))
                }
                guard
                    let bytes = await ModelSizeEstimator(http: http, environment: environment).bytes(
                        reference, within: sizeLimit), bytes > 0
                else {
                    return .failure(
                        .init("the listing did not answer within \(sizeLimit.components.seconds) s, or failed"))
                }
                return .success(bytes)
            },
            freeBytes: { DiskSpace.available(at: cacheRoot) },
            gate: { repo in
                switch await HubGateProbe(http: http, environment: environment).gate(repo: repo, within: hubLimit) {
                case .open: return .open
                case .gated(let kind): return .gated(kind)
                case .unknown(let reason): return .unknown(reason)
                }
            })
    }
}
