import AIMConfiguration
import AIMCore
import AIMEngine
import AIMModelStore
import AIMProfiles
import AIMSupervisor
import Logging

/// `serve`: select a profile, make sure the model is cached, start the engine and supervise it.
public struct ServeCommand: RuntimeCommand {
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(overrides: [ConfigVariable: String] = [:]) {
        self.overrides = overrides
    }

    /// Returns the engine's own exit code, or 128+N after signal N (docs/exit-codes.md).
    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: true)
        let configuration = stages.configuration
        let logger = stages.logs.logger("aim_runtime.serve")
        var settings = configuration.launchSettings
        let plan = try await stages.planner.plan(settings)
        // Up front, before a long download: the status file is ours alone and the port is free.
        let statusLock = try StatusLock.acquire(statusPath: configuration.statusPath)
        try PortAvailability.ensureFree(port: configuration.port)
        var stored: CachedModel?
        if plan.model.source != .cache && plan.model.source != .local {
            let reference = try ModelReference.parse(plan.model.id)
            let store = configuration.storeSettings()
            let storeLogger = stages.logs.logger("aim_runtime.model_store")
            let model = try await StoreSession.run(
                context, stallSeconds: store.stallSeconds, connectSeconds: store.connectSeconds
            ) { http in
                try await ModelStore(http: http, environment: context.environment, settings: store, logger: storeLogger)
                    .ensure(reference)
            }
            logger.info("Model ready at \(model.summary)")
            stored = model
        }
        let interpreter = plan.command.argv[0]
        guard let executable = ExecutableLocator(path: context.environment["PATH"]).find(interpreter) else {
            throw AIMError.configuration(
                "the engine's interpreter '\(interpreter)' is not on PATH; install the engine or fix PATH")
        }
        // Let vLLM drain in-flight requests within the grace period, where it knows the flag.
        if plan.profile.metadata.engine == .vllm, !plan.command.argv.contains("--shutdown-timeout") {
            switch await VLLMFeatureProbe.shutdownTimeout(python: executable, environment: context.environment) {
            case .supported: settings.engineShutdownTimeoutSeconds = configuration.engineShutdownTimeoutSeconds
            case .unsupported: break
            case .unknown(let reason): logger.warning("\(reason); starting vLLM without --shutdown-timeout")
            }
        }
        // The command is planned once more, never edited: with the cached model and the shutdown timeout.
        let launch = try stages.planner.refresh(plan, settings: settings, stored: stored)
        logger.info("Command: \(ShellQuoting.join(SecretRedaction.redact(argv: launch.command.argv)))")
        var environment = context.environment
        for (key, value) in launch.command.environment { environment[key] = value }
        let supervisor = EngineSupervisor.live(
            executable: executable, argv: launch.command.argv, environment: environment,
            settings: configuration.supervisorSettings(servedModelName: launch.command.servedModelName))
        let code = await supervisor.run()
        withExtendedLifetime(statusLock) {}
        return code
    }
}
