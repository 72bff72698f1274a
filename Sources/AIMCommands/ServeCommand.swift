import AIMConfiguration
import AIMCore
import AIMEngine
import AIMGroup
import AIMModelStore
import AIMProfiles
import AIMReports
import AIMSupervisor
import Crypto
import Foundation
import Logging

/// `serve`: plan the launch spec, make sure the model is where the spec says, start exactly the spec's
/// command and supervise it.
public struct ServeCommand: RuntimeCommand {
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(overrides: [ConfigVariable: String] = [:]) {
        self.overrides = overrides
    }

    /// Returns the engine's own exit code, or 128+N after signal N (docs/exit-codes.md).
    public func run(_ context: CommandContext) async throws -> Int32 {
        let started = context.now()
        let stages = try Stages(context, overrides: overrides, requireModel: true, serving: true)
        let configuration = stages.configuration
        let logger = stages.logs.logger("aim_runtime.serve")
        var phases: [LaunchReceipt.Phase: Date] = [:]
        let spec = try await stages.plan { step in
            phases[step == .detected ? .detect : .select] = context.now()
        }
        // Up front, before a long download: the status file is ours alone and the port is free.
        let statusLock = try StatusLock.acquire(statusPath: configuration.statusPath)
        try PortAvailability.ensureFree(port: configuration.port)
        if let group = spec.group?.group, group.role == .leader {
            for (variable, port) in group.leaderPorts {
                try PortAvailability.ensureFree(port: port, variable: variable)
            }
        }
        let model = try await ModelPlacement.ensure(spec.model, context: context, stages: stages)
        phases[.download] = context.now()
        // With the model in place and before the engine starts: what would make it fail on this host.
        if configuration.preflight {
            try await Preflight.run(context, stages, spec: spec)
        } else {
            logger.info("AIM_PREFLIGHT=off: the host checks are skipped")
        }
        let program = spec.command.argv[0]
        guard let executable = ExecutableLocator(path: context.environment["PATH"]).find(program) else {
            throw AIMError.configuration(
                "the engine's program '\(program)' is not on PATH; install the engine or fix PATH")
        }
        logger.info("Command: \(ShellQuoting.join(SecretRedaction.redact(argv: spec.command.argv)))")
        var environment = context.environment
        for (key, value) in spec.command.environment { environment[key] = value }
        let receipt = LaunchReceiptFile(
            statusPath: configuration.statusPath,
            receipt: LaunchReceipt(
                version: context.build.version, commit: context.build.commit, spec: spec,
                profileSHA256: SHA256.hash(data: Data(spec.profile.rawText.utf8)).map { String(format: "%02x", $0) }
                    .joined(),
                modelPath: model.path, revision: model.commit, files: model.files, started: started, phases: phases),
            now: context.now)
        if receipt.write() {
            logger.info("Launch receipt: \(receipt.path) (aim-runtime receipt prints it)")
        } else {
            logger.warning("Could not write the launch receipt to \(receipt.path); serving without it")
        }
        // Every node has its model in place: now the group assembles, and the engines rendezvous.
        let members = try await GroupMembership.assemble(spec, configuration: configuration, logs: stages.logs)
        var settings = configuration.supervisorSettings(servedModelName: spec.readiness.modelName)
        if let group = spec.group?.group {
            GroupMembership.adapt(&settings, to: group, logger: logger)
        }
        let supervisor = EngineSupervisor.live(
            executable: executable, argv: spec.command.argv, environment: environment, settings: settings,
            phaseChanged: { phase in
                switch phase {
                case .starting: receipt.reached(.spawn)
                case .ready: receipt.reached(.ready)
                case .unhealthy, .stopping: break
                }
            }, group: members)
        let code = await supervisor.run()
        await members?.end(ok: code == 0, reason: code == 0 ? "stopped" : "ended with exit code \(code)")
        withExtendedLifetime(statusLock) {}
        return code
    }
}
