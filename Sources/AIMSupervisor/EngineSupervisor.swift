import AIMCore
import CSpawn
import Foundation
import Logging

/// Runs the engine and stays with it: waits for ready, watches its health, relays
/// signals, restarts it if asked, reaps every child, and ends with an exit code that
/// says why (docs/exit-codes.md).
public final class EngineSupervisor: @unchecked Sendable {
    private let executable: String
    private let argv: [String]
    private let environment: [String: String]
    private let settings: SupervisorSettings
    private let logger: Logger
    private let lock = NSLock()
    private var engine: EngineProcess?
    private var stopSignal: Int32?
    private var stopRequestedAt: Date?

    public init(executable: String, argv: [String], environment: [String: String], settings: SupervisorSettings,
                logger: Logger = Logger(label: "aim_runtime.supervisor")) {
        self.executable = executable
        self.argv = argv
        self.environment = environment
        self.settings = settings
        self.logger = logger
    }

    /// Runs until the engine is gone; returns the launcher's exit code.
    public func run() async -> Int32 {
        // Detection, selection and downloads are done: give their freed heap back to the system,
        // so the launcher stays small for the hours it supervises.
        aim_release_free_memory()
        let reaper = ChildReaper()
        let relay = SignalRelay { [self] signal in handle(signal) }
        defer { withExtendedLifetime(relay) {} }
        let probe = HealthProbe(port: settings.port, servedModelName: settings.servedModelName)
        var restarts = 0
        var code: Int32
        while true {
            let outcome = await runOnce(reaper: reaper, probe: probe)
            if case .finished(let exitCode) = outcome {
                code = exitCode
                break
            }
            guard settings.restartOnFailure, stopRequested == nil else {
                code = outcome.exitCode
                break
            }
            guard restarts < settings.maxRestarts else {
                logger.error("The engine failed \(restarts + 1) times; AIM_MAX_RESTARTS=\(settings.maxRestarts) is spent")
                code = ExitStatus.restartBudgetSpent.rawValue
                break
            }
            restarts += 1
            let wait = min(30, pow(2, Double(restarts)))
            logger.warning("Restarting the engine in \(Int(wait)) s (restart \(restarts) of \(settings.maxRestarts))")
            let resume = Date().addingTimeInterval(wait)
            while Date() < resume && stopRequested == nil {
                try? await Task.sleep(nanoseconds: 100_000_000)
            }
            if let signal = stopRequested {
                // Stopped between two attempts: report the failure that caused the restart.
                logger.info("Stop requested (signal \(signal)) while waiting to restart the engine")
                code = outcome.exitCode
                break
            }
        }
        return code
    }

    private enum Outcome {
        /// Ends serve with this code: a requested stop, or a failure that must not be retried.
        case finished(Int32)
        /// May be retried under `on-failure`.
        case failed(Int32)

        var exitCode: Int32 {
            switch self {
            case .finished(let code), .failed(let code): return code
            }
        }
    }

    private var stopRequested: Int32? {
        lock.withLock { stopSignal }
    }

    /// Records the running engine; returns a stop signal that arrived while it was starting.
    private func adopt(_ process: EngineProcess?) -> Int32? {
        lock.withLock {
            engine = process
            return stopSignal
        }
    }

    /// TERM and INT stop the engine (a second one kills it at once); HUP is passed through.
    private func handle(_ signal: Int32) {
        lock.lock()
        let current = engine
        let alreadyStopping = stopSignal != nil && signal != SIGHUP
        if signal != SIGHUP && stopSignal == nil {
            stopSignal = signal
            stopRequestedAt = Date()
        }
        lock.unlock()
        guard let current else { return }
        if alreadyStopping {
            logger.warning("Second stop signal: killing the engine now")
            current.signalGroup(SIGKILL)
        } else {
            current.signalGroup(signal)
            if signal != SIGHUP { record(.stopping) }
            if signal != SIGHUP { logger.info("Stopping the engine (signal \(signal)); it has \(Int(settings.shutdownGrace)) s") }
        }
    }

    private func runOnce(reaper: ChildReaper, probe: HealthProbe) async -> Outcome {
        let process: EngineProcess
        do {
            // Checked before every start (a restart too): whoever holds the port would answer our probes.
            try PortAvailability.ensureFree(port: settings.port)
            process = try EngineProcess.spawn(executable: executable, argv: argv, environment: environment, format: settings.logFormat)
        } catch {
            logger.error("\(error)")
            return .finished((error as? AIMError)?.status.rawValue ?? ExitStatus.failure.rawValue)
        }
        if let pendingStop = adopt(process) { process.signalGroup(pendingStop) }
        let started = Date()
        record(.starting)
        logger.info("Started the engine (pid \(process.pid)); waiting for it to serve \(settings.servedModelName) on port \(settings.port)")
        var ready = false
        var pollDelay = 0.1
        var lastProgress = started
        var failures = 0
        var nextLiveness = Date()
        var strangerSeen = false
        while true {
            if let code = reaper.exitCode(of: process.pid) {
                let outcome = finish(process, code: code, ready: ready)
                reaper.forget(process.pid)
                return outcome
            }
            if let stopAt = stopDeadlineReached() {
                logger.warning("The engine did not stop within \(Int(settings.shutdownGrace)) s of \(stopAt); killing it")
                process.signalGroup(SIGKILL)
            }
            if stopRequested == nil {
                if !ready {
                    let elapsed = Date().timeIntervalSince(started)
                    if elapsed > settings.startupTimeout {
                        await stop(process, reaper: reaper)
                        reportAbnormalEnd(process, reason: "the engine was not ready within AIM_STARTUP_TIMEOUT_SECONDS=\(Int(settings.startupTimeout)); it was stopped")
                        return .finished(ExitStatus.startupTimeout.rawValue)
                    }
                    // An answer counts only while our engine runs: after it died, someone else answered.
                    if reaper.isRunning(process.pid), await probe.ready(), reaper.isRunning(process.pid), answeredByEngine(&strangerSeen) {
                        ready = true
                        record(.ready)
                        logger.info("Engine ready in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: serving \(settings.servedModelName) on port \(settings.port)")
                        nextLiveness = Date().addingTimeInterval(settings.healthInterval)
                        continue
                    }
                    if Date().timeIntervalSince(lastProgress) >= settings.progressInterval {
                        lastProgress = Date()
                        logger.info("Waiting for the engine: starting, \(Int(elapsed)) s elapsed; last engine line: \(process.output.latestLine)")
                    }
                } else if Date() >= nextLiveness {
                    nextLiveness = Date().addingTimeInterval(settings.healthInterval)
                    let answered = await probe.healthy()
                    if !reaper.isRunning(process.pid) {
                        continue  // ended during the probe: the loop's first check reports it
                    } else if answered {
                        if failures > 0 { record(.ready) }
                        failures = 0
                    } else {
                        record(.unhealthy)
                        failures += 1
                        logger.warning("Health check failed (\(failures) of \(settings.healthFailureThreshold))")
                        if failures >= settings.healthFailureThreshold {
                            await stop(process, reaper: reaper)
                            reportAbnormalEnd(process, reason: "the engine is unhealthy: \(failures) health checks failed in a row while it still ran; it was stopped")
                            return settings.restartOnFailure ? .failed(ExitStatus.engineUnhealthy.rawValue) : .finished(ExitStatus.engineUnhealthy.rawValue)
                        }
                    }
                }
            }
            // Back off from 100 ms to 2 s while starting, but probe at once when the engine prints
            // something (such as "Application startup complete"), so ready is seen within ~50 ms.
            let seen = process.output.activity
            let wakeUp = Date().addingTimeInterval(pollDelay)
            while Date() < wakeUp && (ready || process.output.activity == seen) && reaper.exitCode(of: process.pid) == nil {
                try? await Task.sleep(nanoseconds: 25_000_000)
            }
            pollDelay = ready ? 0.1 : min(2, pollDelay * 1.5)
        }
    }

    /// Whether the port that answered is the engine's, where /proc can tell: a server that took
    /// it after the check before the start is not our engine, however well it answers.
    private func answeredByEngine(_ warned: inout Bool) -> Bool {
        let strangers = PortHolders.strangers(port: settings.port, root: getpid())
        guard !strangers.isEmpty else { return true }
        if !warned {
            warned = true
            let names = strangers.map { "pid \($0.pid) (\(OneLineText.escape($0.name)))" }.joined(separator: ", ")
            logger.warning("Port \(settings.port) answers, but \(names) holds it, not the engine: not ready until the engine itself serves")
        }
        return false
    }

    private let statusLock = NSLock()

    /// Status writes come from the main loop and the signal queue: one at a time, and a stop is final.
    private func record(_ phase: ServeStatus.Phase) {
        statusLock.withLock {
            if phase != .stopping && stopRequested != nil { return }
            ServeStatus(pid: getpid(), phase: phase, port: settings.port, servedModelName: settings.servedModelName).write(to: settings.statusPath)
        }
    }

    private func stopDeadlineReached() -> Date? {
        lock.withLock {
            guard let at = stopRequestedAt, Date().timeIntervalSince(at) > settings.shutdownGrace else { return nil }
            stopRequestedAt = nil
            return at
        }
    }

    /// The engine ended: clean up what is left of its group and pick the exit code.
    private func finish(_ process: EngineProcess, code: Int32, ready: Bool) -> Outcome {
        let requested = stopRequested != nil
        if process.groupAlive {
            // Workers that outlive the engine hold GPU memory: with the engine gone they serve nobody.
            process.signalGroup(requested ? SIGTERM : SIGKILL)
            let stopAt = lock.withLock { stopRequestedAt } ?? Date()
            let deadline = requested ? stopAt.addingTimeInterval(settings.shutdownGrace) : Date()
            while process.groupAlive && Date() < deadline { usleep(50_000) }
            process.signalGroup(SIGKILL)
            // The killed workers come to this subreaper: wait until they are reaped, so none outlives serve as a zombie.
            let reaped = Date().addingTimeInterval(2)
            while process.groupAlive && Date() < reaped { usleep(20_000) }
        }
        sweepDescendants()
        process.output.waitUntilDrained(timeout: 2)
        _ = adopt(nil)
        if requested {
            logger.info("The engine stopped with code \(code)")
            return .finished(code)
        }
        if code == 0 {
            reportAbnormalEnd(process, reason: "the engine exited with code 0 without being asked to stop")
            return ready ? .failed(ExitStatus.engineExitedEarly.rawValue) : .finished(ExitStatus.engineExitedEarly.rawValue)
        }
        reportAbnormalEnd(process, reason: "the engine exited with code \(code) \(ready ? "while serving" : "during start")")
        // A failure before the engine ever served is most likely its configuration: never restarted.
        return ready ? .failed(code) : .finished(code)
    }

    /// The engine's last stderr lines and a one-line reason on stderr; the reason also goes to
    /// the Kubernetes termination message file when it exists.
    private func reportAbnormalEnd(_ process: EngineProcess, reason: String) {
        let tail = process.output.recentErrors
        if !tail.isEmpty {
            let text = "----- last \(tail.count) lines of the engine's stderr -----\n" + tail.joined(separator: "\n") + "\n-----\n"
            FileHandle.standardError.write(Data(text.utf8))
        }
        logger.error("serve failed: \(reason)")
        // Only where the file exists (Kubernetes provides it), and never blocking on a FIFO.
        SafeFileWrite.overwriteExisting(settings.terminationMessagePath, with: Array("aim-runtime: \(reason)\n".utf8))
    }

    /// Processes that left the engine's group (setsid) outlive it otherwise; as the subreaper
    /// the launcher inherited them, and none may outlive serve.
    private func sweepDescendants() {
        let left = DescendantSweep.killAll()
        if !left.isEmpty {
            logger.warning("Processes left after the engine could not be killed: \(left.map { "pid \($0.pid) (\(OneLineText.escape($0.name)))" }.joined(separator: ", "))")
        }
    }

    private func stop(_ process: EngineProcess, reaper: ChildReaper) async {
        process.signalGroup(SIGTERM)
        let deadline = Date().addingTimeInterval(settings.shutdownGrace)
        while reaper.exitCode(of: process.pid) == nil && Date() < deadline {
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        process.signalGroup(SIGKILL)
        let reaped = Date().addingTimeInterval(2)
        while (reaper.exitCode(of: process.pid) == nil || process.groupAlive) && Date() < reaped {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        sweepDescendants()
        process.output.waitUntilDrained(timeout: 2)
        _ = adopt(nil)
    }
}
