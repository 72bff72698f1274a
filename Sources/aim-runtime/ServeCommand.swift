import AIMCore
import AIMEngine
import AIMModelStore
import AIMSupervisor
import ArgumentParser
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Select a profile, fetch the model, start the engine and supervise it (the default command).",
        discussion: "serve detects the GPUs, selects the profile, makes sure the model is in the cache (downloading "
            + "and verifying what is missing), starts the engine without a shell in its own process group, waits "
            + "until /health answers and /v1/models lists the model, then watches it. SIGTERM, SIGINT and SIGHUP go "
            + "to the engine's process group; after AIM_SHUTDOWN_GRACE_SECONDS the rest is killed, and a second "
            + "SIGTERM kills at once. As a container's PID 1 it reaps every orphan. The exit code is the engine's "
            + "own, 128+N for signal N, or one of docs/exit-codes.md.\n\n" + EnvironmentHelp.section())

    @OptionGroup var identity: IdentityOptions
    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        try await Failure.reportingAsync {
            let context = try CommandContext(settings: settings, identity: identity, requireModel: true)
            var plan = try context.planner.plan(context.configuration)
            // Up front, before a long download: the status file is ours alone and the port is free.
            let statusLock = try StatusLock.acquire(statusPath: context.configuration.statusPath)
            try PortAvailability.ensureFree(port: context.configuration.port)
            var argv = plan.command.argv
            if plan.model.source != .cache && plan.model.source != .local {
                let reference = try ModelReference.parse(plan.model.id)
                let store = StoreSettings(configuration: context.configuration)
                let model = try await StoreSession.run(stallSeconds: store.stallSeconds, connectSeconds: store.connectSeconds) { http in
                    try await ModelStore(http: http, environment: context.environment, settings: store).ensure(reference)
                }
                Logger(label: "aim_runtime.serve").info("Model ready at \(model.summary)")
                if model.inHubCache {
                    plan = try context.planner.refresh(plan, configuration: context.configuration)  // now the hub cache
                    argv = plan.command.argv
                } else if let index = argv.firstIndex(where: { $0 == "--model" || $0 == "--model-path" }), index + 1 < argv.count {
                    argv[index + 1] = model.path
                }
            }
            guard let executable = ExecutableLocator(path: context.environment["PATH"]).find(argv[0]) else {
                throw AIMError.configuration("the engine's interpreter '\(argv[0])' is not on PATH; install the engine or fix PATH")
            }
            // Let vLLM drain in-flight requests within the grace period, where it knows the flag.
            if plan.profile.metadata.engine == .vllm, !argv.contains("--shutdown-timeout") {
                switch await VLLMFeatureProbe.shutdownTimeout(python: executable, environment: context.environment) {
                case .supported: argv += ["--shutdown-timeout", String(max(1, context.configuration.shutdownGraceSeconds - 5))]
                case .unsupported: break
                case .unknown(let reason): Logger(label: "aim_runtime.serve").warning("\(reason); starting vLLM without --shutdown-timeout")
                }
            }
            Logger(label: "aim_runtime.serve").info("Command: \(ShellQuoting.join(SecretRedaction.redact(argv: argv)))")
            var environment = context.environment
            for (key, value) in plan.command.environment { environment[key] = value }
            let supervisor = EngineSupervisor.live(
                executable: executable, argv: argv, environment: environment,
                settings: SupervisorSettings(configuration: context.configuration, servedModelName: plan.model.id))
            let code = await supervisor.run()
            withExtendedLifetime(statusLock) {}
            if code != 0 { throw ExitCode(code) }
        }
    }
}
