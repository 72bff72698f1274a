import AIMCore
import AIMMemory
import AIMModelStore
import AIMProfiles
import AIMSelection
import Logging
import OrderedCollections

/// Runs the pipeline up to the moment the engine would start:
/// GPU target → profile catalogue → selection → model location → installed engine → launch spec.
public struct LaunchPlanner: Sendable {
    private let gpuResolver: GPUTargetResolver
    private let catalogLoader: ProfileCatalogLoader
    private let selector: ProfileSelector
    private let modelResolver: ModelResolver
    private let executables: ExecutableLocator
    private let probe: any EngineProbing
    private let memoryFit: MemoryFit
    private let routing: any GroupRouting

    /// - Parameter probe: finds what of the engine is installed, which decides its entrypoint and flags.
    public init(
        gpuResolver: GPUTargetResolver,
        catalogLoader: ProfileCatalogLoader = ProfileCatalogLoader(),
        selector: ProfileSelector = ProfileSelector(),
        modelResolver: ModelResolver = ModelResolver(),
        executables: ExecutableLocator,
        probe: any EngineProbing,
        memoryFit: MemoryFit = MemoryFit(),
        routing: any GroupRouting = NoGroupRouting()
    ) {
        self.routing = routing
        self.gpuResolver = gpuResolver
        self.catalogLoader = catalogLoader
        self.selector = selector
        self.modelResolver = modelResolver
        self.executables = executables
        self.probe = probe
        self.memoryFit = memoryFit
    }

    /// The GPU target, the catalogue and every verdict, for listings.
    public func survey(
        _ settings: LaunchSettings
    ) async throws -> (gpu: GPUTarget, catalog: ProfileCatalog, assessments: [ProfileAssessment]) {
        let gpu = try await gpuResolver.resolve(settings.gpu, requireGPU: false)
        let catalog = catalogLoader.load(root: settings.profileRoot, aimID: settings.identity.aimID)
        return (gpu, catalog, selector.assess(catalog, for: request(settings, gpu: gpu, catalog: catalog)))
    }

    /// The steps of planning a caller may time.
    public enum Step: Sendable {
        case detected, selected
    }

    /// The launch spec: a GPU is required unless AIM_PROFILE_ID names the profile, which needs no matching.
    /// - Parameter reached: told as each step ends (serve's launch receipt records the times).
    public func plan(_ settings: LaunchSettings, reached: (Step) -> Void = { _ in }) async throws -> LaunchSpec {
        let (gpu, catalog) = try await target(settings)
        reached(.detected)
        let selection = try choose(settings, gpu: gpu, catalog: catalog)
        reached(.selected)
        let profile = selection.profile
        try Self.checkNodeCount(profile, settings: settings)
        // Estimated once, with every other profile's, for the selection.
        let memory = selection.assessments.first { $0.profile.location.path == profile.location.path }?.memory
        var settings = settings
        if settings.memoryCheck != .off, let memory, memory.verdict == .fitsWithMaxModelLen,
            let longest = memory.maxModelLenThatFits, settings.autoMaxModelLen,
            !MemoryFit.setsMaxModelLen(settings.engineArgs)
        {
            // Only where the user's own AIM_ENGINE_ARGS chose no length: that choice stands.
            settings.engineArgs = (settings.engineArgs ?? [:]).merging(["max-model-len": .int(longest)]) { $1 }
        }
        let model = try modelResolver.resolve(
            profile: profile, identity: settings.identity, cacheRoot: settings.cacheRoot,
            customModelName: settings.customModelName)
        let engine = EngineChoice(
            installation: await probe.inspect(
                profile.metadata.engine, python: executables.find(executables.pythonName)),
            pythonName: executables.pythonName, vllmProgramOnPath: executables.find("vllm") != nil,
            multiNode: settings.group != nil)
        let builder = builder(for: engine)
        var commandSettings = settings.engineCommand
        var group: GroupPlan?
        if let nodes = settings.group {
            let partial = try await plan(nodes, profile: profile, model: model, settings: settings, builder: builder)
            commandSettings.groupEnvironment = partial.networkVariables(engine: profile.metadata.engine)
            group = partial
        }
        let command = try builder.command(profile: profile, model: model, settings: commandSettings)
        return LaunchSpec(
            selection: selection, gpu: gpu, model: model, engine: engine, command: command,
            readiness: EngineReadiness(port: settings.port, modelName: command.servedModelName),
            memory: settings.memoryCheck == .off ? nil : memory, group: group?.adding(command))
    }

    /// The route to the leader and the other role's command (this node's is the spec's own).
    private func plan(
        _ group: NodeGroup, profile: Profile, model: ModelResolution, settings: LaunchSettings,
        builder: any EngineCommandBuilding
    ) async throws -> GroupPlan {
        var route: GroupRoute?
        var problem: String?
        do {
            route = try await routing.route(toLeader: group.leaderAddress)
        } catch let error as AIMError {
            if settings.requireGroupRoute { throw error }
            problem = error.message
        }
        let profileNames = Set(profile.environmentStrings.map(\.key))
        let taken = GroupPlan.networkVariableNames.filter {
            settings.inheritedVariableNames.contains($0) || profileNames.contains($0)
        }
        let otherRole = group.asRank(group.role == .leader ? 1 : 0)
        var other = settings.engineCommand
        other.group = otherRole
        let otherCommand = try builder.command(profile: profile, model: model, settings: other)
        return GroupPlan(
            group: group, route: route, routeProblem: problem, userNetworkVariables: taken.sorted(),
            commands: [otherRole.role: otherCommand])
    }

    /// A group runs a profile made for its size, even one AIM_PROFILE_ID forces: with fewer ranks the engine
    /// waits for nodes that never come, with more each node would load the whole model alone.
    static func checkNodeCount(_ profile: Profile, settings: LaunchSettings) throws {
        let nodes = profile.metadata.nodeCount
        guard nodes != settings.nodeCount else { return }
        if settings.nodeCount == 1 {
            throw AIMError.configuration(
                "profile \(profile.id) runs across \(nodes) nodes, and this is a single node; run it as a group of "
                    + "\(nodes) (LeaderWorkerSet, or AIM_NODE_COUNT, AIM_NODE_RANK and AIM_LEADER_ADDRESS on each node)"
            )
        }
        throw AIMError.configuration(
            "profile \(profile.id) is for \(nodes) node\(nodes == 1 ? "" : "s"), but the group has \(settings.nodeCount); "
                + "choose a profile with metadata.node_count \(settings.nodeCount), or change the group's size")
    }

    /// Only the profile choice, without building the engine command.
    public func select(_ settings: LaunchSettings) async throws -> Selection {
        let (gpu, catalog) = try await target(settings)
        return try choose(settings, gpu: gpu, catalog: catalog)
    }

    /// The profile choice for a GPU target and catalogue already in hand (a survey's).
    public func choose(_ settings: LaunchSettings, gpu: GPUTarget, catalog: ProfileCatalog) throws -> Selection {
        try selector.select(
            from: catalog, for: request(settings, gpu: gpu, catalog: catalog), forcedID: settings.forcedProfileID)
    }

    /// The selection request, with each profile's memory estimate unless AIM_MEMORY_CHECK=off.
    private func request(_ settings: LaunchSettings, gpu: GPUTarget, catalog: ProfileCatalog) -> SelectionRequest {
        let memory =
            settings.memoryCheck == .off
            ? [:] : memoryFit.estimates(for: catalog.profiles, settings: settings, gpu: gpu)
        return settings.selectionRequest(gpu: gpu, memory: memory)
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

    private func builder(for engine: EngineChoice) -> any EngineCommandBuilding {
        switch engine.installation.kind {
        case .vllm: return VLLMCommandBuilder(engine: engine)
        case .sglang: return SGLangCommandBuilder(engine: engine)
        }
    }
}
