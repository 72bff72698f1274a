import AIMConfiguration
import AIMCore
import AIMEngine
import AIMGPU
import AIMGroup
import AIMMemory
import AIMProfiles
import AIMSelection
import Logging

/// What every command does first: read the configuration, set up logging, and build the stages from
/// the configuration and the context. A configuration error throws an `AIMError` with status 2.
struct Stages {
    let configuration: RuntimeConfiguration
    let logs: CommandLogs
    let detector: GPUDetector
    let planner: LaunchPlanner
    let serving: Bool
    /// Names set in aim-runtime's own environment (the engine inherits them).
    let environmentNames: Set<String>

    /// - Parameter overrides: flag values, keyed by the variable each beats.
    /// - Parameter requireModel: whether exactly one of AIM_ID and AIM_MODEL_ID must be set.
    /// - Parameter role: in a group, plan as the leader or a worker instead of this node's own rank (`select --role`).
    /// - Parameter serving: serve waits for the leader's address to resolve and needs its route; a dry-run
    ///   resolves no name and shows the plan without the route where there is none.
    init(
        _ context: CommandContext, overrides: [ConfigVariable: String], requireModel: Bool,
        role: NodeGroup.Role? = nil, serving: Bool = false
    ) throws {
        let loader = ConfigurationLoader(bundledProfileRoot: context.bundledProfileRoot)
        var configuration = try loader.load(
            ConfigurationInput(environment: context.environment, flags: overrides), requireModel: requireModel)
        // A role other than this node's, shown here: its route is that node's own.
        var otherNodeRole: NodeGroup.Role?
        if let role {
            guard let group = configuration.nodeGroup else {
                throw AIMError.configuration(
                    "--role \(role.rawValue) shows a group member's command, but this is a single node; set AIM_NODE_COUNT "
                        + "(2 or more) and AIM_LEADER_ADDRESS, or LeaderWorkerSet's LWS_GROUP_SIZE and LWS_LEADER_ADDRESS"
                )
            }
            configuration.nodeGroup = group.asRank(role == .leader ? 0 : max(group.rank, 1))
            if role != group.role { otherNodeRole = role }
        }
        self.configuration = configuration
        self.serving = serving
        self.environmentNames = Set(context.environment.keys)
        logs = CommandLogs(
            configuration: configuration, sink: context.standardError,
            bootstrapsProcess: context.bootstrapsProcessLogging)
        detector = GPUDetector(
            readers: GPUDetector.readers(
                for: configuration.gpuSource, sysfsRoot: configuration.sysfsPath,
                tools: context.makeToolRunner(context.environment["PATH"], configuration.gpuDetectTimeoutSeconds)),
            environment: context.environment)
        // This host's interface would be wrong on another node.
        let routing: any GroupRouting =
            if let otherNodeRole {
                NoGroupRouting(reason: "the \(otherNodeRole.rawValue) finds it on its own node when it starts")
            } else {
                LeaderRouting(
                    patience: serving ? .seconds(configuration.groupTimeoutSeconds) : .zero, resolveNames: serving,
                    logger: logs.logger("aim_runtime.group"))
            }
        planner = LaunchPlanner(
            gpuResolver: GPUTargetResolver(detector: detector, logger: logs.logger("aim_runtime.gpu")),
            catalogLoader: ProfileCatalogLoader(logger: logs.logger("aim_runtime.profiles")),
            selector: ProfileSelector(logger: logs.logger("aim_runtime.selection")),
            executables: ExecutableLocator(path: context.environment["PATH"]),
            probe: PythonEngineProbe(environment: context.environment),
            routing: routing)
    }

    /// Says what the memory estimate means for this launch: a context that does not fit is named with the
    /// length that does, and how to get it.
    private func logMemory(_ spec: LaunchSpec) {
        guard let memory = spec.memory else { return }
        let logger = logs.logger("aim_runtime.memory")
        switch memory.verdict {
        case .fits: logger.info("Memory: \(memory.reason)")
        case .fitsWithMaxModelLen:
            let longest = memory.maxModelLenThatFits ?? 0
            if configuration.autoMaxModelLen && !MemoryFit.setsMaxModelLen(configuration.engineArgs) {
                logger.info("Memory: \(memory.reason); AIM_AUTO_MAX_MODEL_LEN serves max-model-len \(longest)")
            } else {
                let fix =
                    "set AIM_ENGINE_ARGS='{\"max-model-len\": \(longest)}'"
                    + " or AIM_AUTO_MAX_MODEL_LEN=true; otherwise the engine stops at start: its KV cache is too small"
                logger.warning("Memory: \(memory.reason); \(fix)")
            }
        case .doesNotFit: break  // The selector has said so.
        case .unknown: logger.info("Memory fit not estimated: \(memory.reason)")
        }
    }

    /// The launch spec, with its engine choice in the log: a warning where the installed engine could not
    /// be inspected, since the command then leaves out what depends on its version.
    func plan(reached: (LaunchPlanner.Step) -> Void = { _ in }) async throws -> LaunchSpec {
        var settings = configuration.launchSettings
        settings.inheritedVariableNames = environmentNames
        settings.requireGroupRoute = serving
        let spec = try await planner.plan(settings, reached: reached)
        let logger = logs.logger("aim_runtime.engine")
        if case .unknown = spec.engine.installation.state {
            logger.warning("Engine: \(spec.engine.entrypoint.reason)")
        } else {
            logger.info("Engine: \(spec.engine.entrypoint.reason)")
        }
        logMemory(spec)
        return spec
    }
}
