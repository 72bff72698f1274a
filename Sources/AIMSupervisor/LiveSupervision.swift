import AIMCore
import CProcessControl
import Foundation
import Logging
import Synchronization

extension EngineSupervisor {
    /// The supervisor for the real engine: started through the trampoline, probed on 127.0.0.1,
    /// its phase in the status file, stop signals from the launcher, the continuous clock.
    /// - Parameter phaseChanged: told each phase after the status file has it (the launch receipt's times).
    public static func live(
        executable: String, argv: [String], environment: [String: String],
        settings: SupervisorSettings, phaseChanged: @escaping @Sendable (ServeStatus.Phase) -> Void = { _ in },
        group: (any GroupWatching)? = nil
    ) -> EngineSupervisor {
        // Detection, selection and downloads are done: give their freed heap back to the system,
        // so the launcher stays small for the hours it supervises.
        aim_release_free_memory()
        _ = ChildReaper.shared
        let terminationMessagePath = settings.terminationMessagePath
        return EngineSupervisor(
            settings: settings,
            launcher: TrampolineLauncher(
                executable: executable, argv: argv, environment: environment, settings: settings),
            health: settings.servesAPI
                ? EngineHealthCheck(port: settings.port, servedModelName: settings.servedModelName)
                : HeadlessWorkerHealth(),
            status: ServeStatusFile(settings: settings, phaseChanged: phaseChanged),
            clock: ContinuousClock(), signals: LauncherSignals.source,
            reportEnd: { reason, engineErrors, diagnosis in
                if !engineErrors.isEmpty {
                    let text =
                        "----- last \(engineErrors.count) lines of the engine's stderr -----\n"
                        + engineErrors.joined(separator: "\n") + "\n-----\n"
                    FileHandle.standardError.write(Data(text.utf8))
                }
                // Only where the file exists (Kubernetes provides it), and never blocking on a FIFO.
                _ = SafeFileWrite.overwriteExisting(
                    terminationMessagePath,
                    with: Array(
                        "aim-runtime: \(reason)\ndiagnosis: \(diagnosis.cause.rawValue): \(diagnosis.fix)\n".utf8))
            }, group: group)
    }
}

/// Starts the engine through `aim-runtime exec-engine`, after checking that its port is free.
struct TrampolineLauncher: EngineLaunching {
    let executable: String
    let argv: [String]
    let environment: [String: String]
    let settings: SupervisorSettings

    func launch() async throws -> any SupervisedEngine {
        // Checked before every start (a restart too): whoever holds the port would answer our probes.
        try PortAvailability.ensureFree(port: settings.port)
        return try await EngineProcess.start(
            executable: executable, argv: argv, environment: environment, format: settings.logFormat)
    }
}

/// /health and /v1/models on 127.0.0.1, and, where /proc can tell, that the engine holds the port.
final class EngineHealthCheck: EngineHealthChecking {
    let probe: HealthProbe
    private let warned = Mutex(false)

    init(port: Int, servedModelName: String) {
        probe = HealthProbe(port: port, servedModelName: servedModelName)
    }

    func ready() async -> Bool {
        guard await probe.ready() else { return false }
        // A server that took the port after the check before the start is not our engine, however well it answers.
        let strangers = PortHolders.strangers(port: probe.port, root: getpid())
        guard !strangers.isEmpty else { return true }
        if !warned.withLock({ warned in
            defer { warned = true }
            return warned
        }) {
            let names = strangers.map { "pid \($0.pid) (\(OneLineText.escape($0.name)))" }.joined(separator: ", ")
            Logger(label: "aim_runtime.supervisor")
                .warning(
                    "Port \(probe.port) answers, but \(names) holds it, not the engine: not ready until the engine itself serves"
                )
        }
        return false
    }

    func healthy() async -> Bool {
        await probe.healthy()
    }
}

/// A headless worker serves nothing to probe: it is ready while its engine runs, which the engine's exit
/// (and the group's watch) already tell.
struct HeadlessWorkerHealth: EngineHealthChecking {
    func ready() async -> Bool { true }
    func healthy() async -> Bool { true }
}

/// The status file `aim-runtime health` reads: the phase, and the last failure's diagnosis once there is one.
final class ServeStatusFile: ServeStatusRecording {
    let path: String
    let phaseChanged: @Sendable (ServeStatus.Phase) -> Void
    /// Written under the lock, so that a phase and a diagnosis recorded at once cannot undo each other.
    private let current: Mutex<ServeStatus>

    convenience init(settings: SupervisorSettings, phaseChanged: @escaping @Sendable (ServeStatus.Phase) -> Void) {
        self.init(
            path: settings.statusPath, port: settings.port, servedModelName: settings.servedModelName,
            groupRole: settings.groupRole, groupRank: settings.groupRank, phaseChanged: phaseChanged)
    }

    init(
        path: String, port: Int, servedModelName: String, groupRole: NodeGroup.Role? = nil, groupRank: Int = 0,
        phaseChanged: @escaping @Sendable (ServeStatus.Phase) -> Void
    ) {
        self.path = path
        self.phaseChanged = phaseChanged
        var status = ServeStatus(pid: getpid(), phase: .starting, port: port, servedModelName: servedModelName)
        status.groupRole = groupRole
        status.groupRank = groupRole.map { _ in groupRank }
        current = Mutex(status)
    }

    func record(enginePID: Int32?) {
        current.withLock { status in
            status.enginePID = enginePID
            status.write(to: path)
        }
    }

    func record(_ phase: ServeStatus.Phase) {
        current.withLock { status in
            status.phase = phase
            status.write(to: path)
        }
        phaseChanged(phase)
    }

    func record(_ diagnosis: EngineFailureDiagnosis) {
        current.withLock { status in
            status.diagnosis = diagnosis
            status.write(to: path)
        }
    }
}
