import AIMConfiguration
import AIMCore
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
    public func survey(_ configuration: RuntimeConfiguration) throws -> (gpu: GPUTarget, catalog: ProfileCatalog, assessments: [ProfileAssessment]) {
        let gpu = try gpuResolver.resolve(configuration, requireGPU: false)
        let catalog = catalogLoader.load(root: configuration.profileBasePath, aimID: configuration.aimID)
        let request = SelectionRequest(configuration: configuration, gpu: gpu)
        return (gpu, catalog, selector.assess(catalog, for: request))
    }

    /// A GPU is required unless AIM_PROFILE_ID names the profile, which needs no matching.
    public func plan(_ configuration: RuntimeConfiguration) throws -> LaunchPlan {
        let (gpu, catalog) = try target(configuration)
        return try plan(configuration, gpu: gpu, catalog: catalog)
    }

    /// Only the profile choice, without building the engine command.
    public func select(_ configuration: RuntimeConfiguration) throws -> Selection {
        let (gpu, catalog) = try target(configuration)
        return try selector.select(
            from: catalog, for: SelectionRequest(configuration: configuration, gpu: gpu), forcedID: configuration.profileID)
    }

    /// The same plan with the model resolved again, after the model store filled the cache.
    public func refresh(_ plan: LaunchPlan, configuration: RuntimeConfiguration) throws -> LaunchPlan {
        let profile = plan.selection.profile
        let model = try modelResolver.resolve(profile: profile, configuration: configuration)
        let command = try builder(for: profile.metadata.engine).command(profile: profile, model: model, configuration: configuration)
        return LaunchPlan(selection: plan.selection, model: model, command: command, gpu: plan.gpu)
    }

    /// The model `download-to-cache` fetches when none is named: the one the chosen profile serves (its
    /// model_id, else AIM_MODEL_ID, else AIM_ID). Where no GPU is seen (a CPU node filling the cache), it is
    /// still known when every profile the AIM chooses from serves the same model; otherwise the error says
    /// how to name the hardware or the model.
    public func modelID(_ configuration: RuntimeConfiguration) throws -> String {
        do {
            return try modelResolver.resolve(profile: try select(configuration).profile, configuration: configuration).id
        } catch let error as AIMError where error.status == .noGPU {
            let catalog = catalogLoader.load(root: configuration.profileBasePath, aimID: configuration.aimID)
            let source: ProfileSource = configuration.aimID == nil ? .general : .model
            let models = Set(try catalog.profiles.filter { $0.source == source }.map {
                try modelResolver.resolve(profile: $0, configuration: configuration).id
            })
            guard models.count > 1 else {
                if let model = models.first { return model }
                throw error
            }
            throw AIMError(.noGPU, "no GPU found, and the profiles serve different models (\(models.sorted().joined(separator: ", "))); "
                + "set AIM_GPU_MODEL and AIM_GPU_COUNT to the hardware serve will run on, or name the model with --model-id")
        }
    }

    private func target(_ configuration: RuntimeConfiguration) throws -> (GPUTarget, ProfileCatalog) {
        let gpu = try gpuResolver.resolve(configuration, requireGPU: configuration.profileID == nil)
        return (gpu, catalogLoader.load(root: configuration.profileBasePath, aimID: configuration.aimID))
    }

    public func plan(_ configuration: RuntimeConfiguration, gpu: GPUTarget, catalog: ProfileCatalog) throws -> LaunchPlan {
        let request = SelectionRequest(configuration: configuration, gpu: gpu)
        let selection = try selector.select(from: catalog, for: request, forcedID: configuration.profileID)
        let model = try modelResolver.resolve(profile: selection.profile, configuration: configuration)
        let command = try builder(for: selection.profile.metadata.engine).command(
            profile: selection.profile, model: model, configuration: configuration)
        return LaunchPlan(selection: selection, model: model, command: command, gpu: gpu)
    }

    private func builder(for engine: EngineKind) -> any EngineCommandBuilding {
        switch engine {
        case .vllm: return VLLMCommandBuilder(pythonName: executables.pythonName)
        case .sglang: return SGLangCommandBuilder(pythonName: executables.pythonName)
        }
    }
}
