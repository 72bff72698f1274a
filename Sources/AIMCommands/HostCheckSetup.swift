import AIMConfiguration
import AIMCore
import AIMEngine
import AIMGPU
import AIMHost
import AIMProcess
import AIMProfiles
import AIMSelection
import AIMSupervisor

/// Builds the host checks' world and facts from a command's context, its stages and the launch spec (nil when
/// none could be planned, with the reason).
enum HostCheckSetup {
    static func world(_ context: CommandContext, _ configuration: RuntimeConfiguration) -> HostWorld {
        let files = HostFiles(root: configuration.hostRoot)
        let environment = context.environment
        return HostWorld(
            files: files, environment: environment,
            portProblem: { PortAvailability.problem(port: $0, variable: $1, proc: files.path("/proc")) },
            runProgram: { executable, arguments, timeout in
                do throws(ToolProcessFailure) {
                    return .success(
                        try await ToolProcess.run(
                            executable, arguments: arguments, environment: environment, timeout: timeout,
                            stdoutLimit: 16 << 10, stderrLimit: 64 << 10))
                } catch {
                    return .failure(error)
                }
            })
    }

    /// The plan's facts; detection runs here where the plan did not (AIM_GPU_MODEL, or no plan), since the
    /// device and VRAM checks need the host's own GPUs.
    static func facts(
        _ context: CommandContext, _ stages: Stages, spec: LaunchSpec?, noProfileReason: String
    ) async -> LaunchFacts {
        var report = spec?.gpu.report
        var problem: String?
        if report == nil {
            do {
                report = try await stages.detector.detect()
            } catch let error as AIMError {
                problem = error.message
            } catch {
                problem = "\(error)"
            }
        }
        let executables = ExecutableLocator(path: context.environment["PATH"])
        return LaunchFacts(
            profileID: spec?.profile.id, gpuCount: spec?.profile.metadata.gpuCount, noProfileReason: noProfileReason,
            report: report, detectionProblem: problem, port: stages.configuration.port,
            leaderPorts: stages.configuration.nodeGroup.flatMap { $0.role == .leader ? $0.leaderPorts : nil } ?? [],
            engine: spec?.profile.metadata.engine ?? stages.configuration.engine,
            python: executables.find(executables.pythonName))
    }
}
