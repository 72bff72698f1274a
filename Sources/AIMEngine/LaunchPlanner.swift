import AIMCore
import AIMModelStore
import AIMProfiles
import AIMSelection
import Logging

/// Runs the pipeline up to the moment the engine would start:
/// GPU target → profile catalogue → selection → model → engine command.
public struct LaunchPlanner: Sendable {
    private let gpuResolver: GPUTargetResolver
    private let catalogLoader: ProfileCatalogLoader
    private let selector: ProfileSelector
    private let modelResolver: ModelResolver
    private let executables: ExecutableLocator

    public init(
        gpuResolver: GPUTargetResolver,
        catalogLoader: ProfileCatalogLoader = ProfileCatalogLoader(),
        selector: ProfileSelector = ProfileSelector(),
        modelResolver: ModelResolver = ModelResolver(),
        executables: ExecutableLocator
    ) {
        self.gpuResolver = gpuResolver
        self.catalogLoader = catalogLoader
        self.selector = selector
        self.modelResolver = modelResolver
        self.executables = executables
    }

    /// The GPU target, the catalogue and every verdict, for listings.
    public func survey(
        _ settings: LaunchSettings
    ) async throws -> (gpu: GPUTarget, catalog: ProfileCatalog, assessments: [ProfileAssessment]) {
        let gpu = try await gpuResolver.resolve(settings.gpu, requireGPU: false)
        let catalog = catalogLoader.load(root: settings.profileRoot, aimID: settings.identity.aimID)
        return (gpu, catalog, selector.assess(catalog, for: settings.selectionRequest(gpu: gpu)))
    }

    /// A GPU is required unless AIM_PROFILE_ID names the profile, which needs no matching.
    public func plan(_ settings: LaunchSettings) async throws -> LaunchPlan {
        let (gpu, catalog) = try await target(settings)
        return try plan(settings, gpu: gpu, catalog: catalog)
    }

    /// Only the profile choice, without building the engine command.
    public func select(_ settings: LaunchSettings) async throws -> Selection {
        let (gpu, catalog) = try await target(settings)
        return try selector.select(
            from: catalog, for: settings.selectionRequest(gpu: gpu), forcedID: settings.forcedProfileID)
    }

    /// The same profile choice with the model and the command made again: after the model store
    /// filled the cache (`stored`), and with the settings serve decides last (the shutdown timeout).
    /// A model in the hub cache is found by resolving again; any other is served from where the store put it.
    public func refresh(_ plan: LaunchPlan, settings: LaunchSettings, stored: CachedModel?) throws -> LaunchPlan {
        let profile = plan.selection.profile
        var model = plan.model
        if let stored {
            model =
                stored.inHubCache
                ? try modelResolver.resolve(
                    profile: profile, identity: settings.identity, cacheRoot: settings.cacheRoot)
                : ModelResolution(id: plan.model.id, argument: stored.path, source: .cache, cachedPath: stored.path)
        }
        let command = try builder(for: profile.metadata.engine).command(
            profile: profile, model: model, settings: settings.engineCommand)
        return LaunchPlan(selection: plan.selection, model: model, command: command, gpu: plan.gpu)
    }

    /// The model `download-to-cache` fetches when none is named: the one the chosen profile serves (its
    /// model_id, else AIM_MODEL_ID, else AIM_ID). Where no GPU is seen (a CPU node filling the cache), it is
    /// still known when every profile the AIM chooses from serves the same model; otherwise the error says
    /// how to name the hardware or the model.
    public func modelID(_ settings: LaunchSettings) async throws -> String {
        do {
            return try modelResolver.resolve(
                profile: try await select(settings).profile, identity: settings.identity, cacheRoot: settings.cacheRoot
            ).id
        } catch let error as AIMError where error.status == .noGPU {
            let catalog = catalogLoader.load(root: settings.profileRoot, aimID: settings.identity.aimID)
            let source: ProfileSource = settings.identity.aimID == nil ? .general : .model
            let models = Set(
                try catalog.profiles.filter { $0.source == source }.map {
                    try modelResolver.resolve(profile: $0, identity: settings.identity, cacheRoot: settings.cacheRoot)
                        .id
                })
            guard models.count > 1 else {
                if let model = models.first { return model }
                throw error
            }
            throw AIMError(
                .noGPU,
                "no GPU found, and the profiles serve different models (\(models.sorted().joined(separator: ", "))); "
                    + "set AIM_GPU_MODEL and AIM_GPU_COUNT to the hardware serve will run on, or name the model with --model-id"
            )
        }
    }

    private func target(_ settings: LaunchSettings) async throws -> (GPUTarget, ProfileCatalog) {
        let gpu = try await gpuResolver.resolve(settings.gpu, requireGPU: settings.forcedProfileID == nil)
        return (gpu, catalogLoader.load(root: settings.profileRoot, aimID: settings.identity.aimID))
    }

    public func plan(_ settings: LaunchSettings, gpu: GPUTarget, catalog: ProfileCatalog) throws -> LaunchPlan {
        let selection = try selector.select(
            from: catalog, for: settings.selectionRequest(gpu: gpu), forcedID: settings.forcedProfileID)
        let model = try modelResolver.resolve(
            profile: selection.profile, identity: settings.identity, cacheRoot: settings.cacheRoot)
        let command = try builder(for: selection.profile.metadata.engine).command(
            profile: selection.profile, model: model, settings: settings.engineCommand)
        return LaunchPlan(selection: selection, model: model, command: command, gpu: gpu)
    }

    private func builder(for engine: EngineKind) -> any EngineCommandBuilding {
        switch engine {
        case .vllm: return VLLMCommandBuilder(pythonName: executables.pythonName)
        case .sglang: return SGLangCommandBuilder(pythonName: executables.pythonName)
        }
    }
}
