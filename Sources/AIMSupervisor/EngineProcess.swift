import AIMCore
import Foundation
import Logging

/// The running engine: a Foundation `Process` started through the `exec-engine` trampoline, the
/// leader of its own process group, its output forwarded.
final class EngineProcess: SupervisedEngine {
    let pid: pid_t
    let output: LogForwarder
    private let exit: OneShot<Int32>
    private let reaper: ChildReaper

    private init(pid: pid_t, output: LogForwarder, exit: OneShot<Int32>, reaper: ChildReaper) {
        self.pid = pid
        self.output = output
        self.exit = exit
        self.reaper = reaper
    }

    /// Starts the engine without a shell, from the spawner thread (PDEATHSIG follows that thread).
    static func start(
        executable: String, argv: [String], environment: [String: String], format: LogOutputFormat,
        reaper: ChildReaper = .shared
    ) async throws -> EngineProcess {
        let launcher = try LauncherExecutable.path()
        let exit = OneShot<Int32>()
        let (pid, stdout, stderr) = try await SpawnThread.shared.run { () throws -> (pid_t, FileHandle, FileHandle) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: launcher)
            process.arguments = Array(EngineTrampoline.arguments(parent: getpid(), executable: executable, argv: argv))
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            let stdout = Pipe()
            let stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            process.terminationHandler = { ended in
                exit.set(
                    ended.terminationReason == .uncaughtSignal ? 128 + ended.terminationStatus : ended.terminationStatus
                )
                reaper.released(ended.processIdentifier)
            }
            do {
                let pid = try reaper.spawn {
                    try process.run()
                    return process.processIdentifier
                }
                return (pid, stdout.fileHandleForReading, stderr.fileHandleForReading)
            } catch {
                throw AIMError(
                    .failure,
                    "cannot start the engine through \(launcher): \(SystemErrorText.describe(error) ?? "it could not be executed")"
                )
            }
        }
        let output = LogForwarder(stdout: stdout, stderr: stderr, pid: pid, format: format)
        return EngineProcess(pid: pid, output: output, exit: exit, reaper: reaper)
    }

    func exitCode() async -> Int32? {
        await exit.value()
    }

    var isRunning: Bool {
        guard exit.current == nil else { return false }
        var info = siginfo_t()
        // WNOWAIT leaves the status to Foundation; ECHILD means it was just reaped.
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return false }
        return info._sifields._sigchld.si_pid == 0
    }

    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    var outputGeneration: Int { output.activity.generation }

    func outputActivity(after generation: Int) async {
        await output.activity.wait(after: generation)
    }

    var latestLine: String { output.latestLine }
    var recentErrors: [String] { output.recentErrors }
    var diagnosisLines: [String] { output.diagnosisLines }

    func processActivity() -> [ProcessActivity] {
        ProcessActivity.read(group: pid)
    }

    /// True while any process of the group, the engine's workers included, is alive.
    private var groupAlive: Bool {
        kill(-pid, 0) == 0 || errno == EPERM
    }

    func cleanUp(grace: Duration) async {
        let clock = ContinuousClock()
        if groupAlive {
            // Workers that outlive the engine hold GPU memory: with the engine gone they serve nobody.
            if grace > .zero {
                signalGroup(SIGTERM)
                await waitUntil(clock.now + grace, clock: clock) { !self.groupAlive }
            }
            signalGroup(SIGKILL)
            // The killed workers come to this subreaper: wait until they are reaped, so none outlives serve as a zombie.
            await waitUntil(clock.now + .seconds(2), clock: clock) { !self.groupAlive }
        }
        let left = await DescendantSweep.killAll(childEnded: reaper.childEnded)
        if !left.isEmpty {
            let names = left.map { "pid \($0.pid) (\(OneLineText.escape($0.name)))" }.joined(separator: ", ")
            Logger(label: "aim_runtime.supervisor").warning(
                "Processes left after the engine could not be killed: \(names)")
        }
        _ = await Race.first(
            { await self.output.drained.value() != nil },
            { (try? await clock.sleep(for: .seconds(2))) == nil })
    }

    /// Waits until `done` holds, re-checking each time a child is reaped, or until `deadline`.
    private func waitUntil(
        _ deadline: ContinuousClock.Instant, clock: ContinuousClock, _ done: @escaping @Sendable () -> Bool
    ) async {
        while !done() && clock.now < deadline {
            let seen = reaper.childEnded.generation
            if done() { return }
            _ = await Race.first(
                {
                    await self.reaper.childEnded.wait(after: seen)
                    return true
                },
                {
                    try? await clock.sleep(until: deadline)
                    return false
                })
        }
    }
}

/// The path of the running aim-runtime binary, which the engine's `Process` runs as the trampoline.
enum LauncherExecutable {
    static func path() throws -> String {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw AIMError(.failure, "cannot find aim-runtime's own executable in /proc/self/exe; is /proc mounted?")
        }
        return path
    }
}
