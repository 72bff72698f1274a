import AIMCore
import Foundation
import Logging

/// Runs the engine and stays with it: waits for ready, watches its health, relays signals,
/// restarts it if asked, and ends with an exit code that says why (docs/exit-codes.md).
///
/// One task group per engine run: the engine's exit, a stop request, the health checks and the
/// startup timer race, and the first decisive event cancels the rest. Time is the injected clock's.
/// Signals are relayed to the engine on the signal source's own thread, before any task hears of them.
public struct EngineSupervisor: Sendable {
    let settings: SupervisorSettings
    let launcher: any EngineLaunching
    let health: any EngineHealthChecking
    let status: any ServeStatusRecording
    let clock: any Clock<Duration>
    let signals: any StopSignalSource
    let logger: Logger
    /// Where the one-line reason of an abnormal end and its diagnosis go besides the log (the engine's
    /// stderr tail, Kubernetes' termination message).
    let reportEnd: @Sendable (_ reason: String, _ engineErrors: [String], _ diagnosis: EngineFailureDiagnosis) -> Void
    /// The other nodes of a group; the first one lost ends this node's engine too.
    let group: (any GroupWatching)?

    public init(
        settings: SupervisorSettings, launcher: any EngineLaunching, health: any EngineHealthChecking,
        status: any ServeStatusRecording, clock: any Clock<Duration>, signals: any StopSignalSource,
        logger: Logger = Logger(label: "aim_runtime.supervisor"),
        reportEnd:
            @escaping @Sendable (_ reason: String, _ engineErrors: [String], _ diagnosis: EngineFailureDiagnosis) ->
            Void = { _, _, _ in },
        group: (any GroupWatching)? = nil
    ) {
        self.group = group
        self.settings = settings
        self.launcher = launcher
        self.health = health
        self.status = status
        self.clock = clock
        self.signals = signals
        self.logger = logger
        self.reportEnd = reportEnd
    }

    /// How long an engine that got SIGKILL may take to end before serve gives up on it.
    static let afterKill = Duration.seconds(15)

    /// Runs until the engine is gone; returns the launcher's exit code.
    public func run() async -> Int32 {
        let control = StopControl(status: status)
        signals.listen { signal in relay(signal, control) }
        // The engine is gone and serve is about to exit with its code: a late signal changes nothing.
        defer { signals.listen { _ in } }
        return await runWithRestarts(control)
    }

    /// TERM and INT stop the engine (a second one kills it at once); HUP is passed through. Runs on the
    /// signal source's thread; the engine's run learns of a stop through `control.requested`.
    private func relay(_ signal: Int32, _ control: StopControl) {
        switch control.receive(signal) {
        case .forward(let engine, let stopping):
            engine?.signalGroup(signal)
            if stopping {
                control.recordStopping()
                // The other members stop their engines now, not once this one has stopped: a worker's engine
                // would otherwise see its peer vanish first and fail on its own.
                if let members = group { Task { await members.end(ok: true, reason: "stopped") } }
                logger.info("Stopping the engine (signal \(signal)); it has \(settings.shutdownGrace.wholeSeconds) s")
            }
        case .kill(let engine):
            logger.warning("Second stop signal: killing the engine now")
            engine?.signalGroup(SIGKILL)
        }
    }

    private func runWithRestarts(_ control: StopControl) async -> Int32 {
        var restarts = 0
        while true {
            let outcome = await runOnce(control)
            guard case .failed(let code) = outcome, settings.restartOnFailure, control.stopSignal == nil else {
                return outcome.exitCode
            }
            guard restarts < settings.maxRestarts else {
                logger.error(
                    "The engine failed \(restarts + 1) times; AIM_MAX_RESTARTS=\(settings.maxRestarts) is spent")
                return ExitStatus.restartBudgetSpent.rawValue
            }
            restarts += 1
            let wait = SupervisorSettings.backoff(beforeRestart: restarts)
            logger.warning(
                "Restarting the engine in \(wait.wholeSeconds) s (restart \(restarts) of \(settings.maxRestarts))")
            let clock = clock
            let stopped = await Race.first(
                { await control.requested.value() != nil },
                { (try? await clock.sleep(for: wait)) == nil })
            if stopped {
                // Stopped between two attempts: report the failure that caused the restart.
                logger.info("Stop requested (signal \(control.stopSignal ?? 0)) while waiting to restart the engine")
                return code
            }
        }
    }

    enum Outcome: Equatable {
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

    /// What ends one run of the engine.
    enum Event: Sendable {
        case exited(Int32)
        case stopRequested
        case startupTimedOut
        case unhealthy(failures: Int)
        case groupLost(GroupLoss)
    }

    private func runOnce(_ control: StopControl) async -> Outcome {
        let engine: any SupervisedEngine
        do {
            engine = try await launcher.launch()
        } catch {
            let failure = (error as? AIMError) ?? AIMError(.failure, "cannot start the engine: \(error)")
            logger.error("\(failure.message)")
            return .finished(failure.status.rawValue)
        }
        if let pendingStop = control.adopt(engine) { engine.signalGroup(pendingStop) }
        control.record(.starting)
        status.record(enginePID: engine.pid)
        if settings.servesAPI {
            logger.info(
                "Started the engine (pid \(engine.pid)); waiting for it to serve \(settings.servedModelName) on port \(settings.port)"
            )
        } else {
            logger.info("Started the engine (pid \(engine.pid)) as headless worker rank \(settings.groupRank)")
        }
        let watch = EngineWatch(
            settings: settings, engine: engine, health: health, control: control, clock: clock, logger: logger)
        let event = await withTaskGroup(of: Event?.self) { group -> Event in
            group.addTask { await engine.exitCode().map(Event.exited) }
            group.addTask { await control.requested.value().map { _ in .stopRequested } }
            group.addTask { await watch.health() }
            group.addTask { await watch.startupTimer() }
            group.addTask { await watch.progress() }
            group.addTask { await watch.silence() }
            if let members = self.group {
                group.addTask { await members.loss().map(Event.groupLost) }
            }
            for await event in group {
                if let event {
                    group.cancelAll()
                    return event
                }
            }
            return .stopRequested  // not reached: the engine's exit always ends the group
        }
        defer { _ = control.adopt(nil) }
        switch event {
        case .exited(let code):
            await engine.cleanUp(grace: control.stopSignal == nil ? .zero : settings.shutdownGrace)
            return finish(engine, code: code, ready: watch.isReady, stopRequested: control.stopSignal != nil)
        case .stopRequested:
            let code = await stop(engine, alreadySignalled: true)
            logger.info("The engine stopped with code \(code)")
            return .finished(code)
        case .startupTimedOut:
            _ = await stop(engine, alreadySignalled: false)
            reportAbnormalEnd(
                engine,
                reason:
                    "the engine was not ready within AIM_STARTUP_TIMEOUT_SECONDS=\(settings.startupTimeout.wholeSeconds); it was stopped"
            )
            return .finished(ExitStatus.startupTimeout.rawValue)
        case .groupLost(let loss):
            _ = await stop(engine, alreadySignalled: false)
            if loss.orderly {
                logger.info("\(loss.reason); the engine was stopped")
                return .finished(ExitStatus.success.rawValue)
            }
            reportAbnormalEnd(engine, reason: "the group failed: \(loss.reason); this node's engine was stopped")
            return .finished(ExitStatus.groupMemberLost.rawValue)
        case .unhealthy(let failures):
            _ = await stop(engine, alreadySignalled: false)
            reportAbnormalEnd(
                engine,
                reason:
                    "the engine is unhealthy: \(failures) health checks failed in a row while it still ran; it was stopped"
            )
            let code = ExitStatus.engineUnhealthy.rawValue
            return settings.restartOnFailure ? .failed(code) : .finished(code)
        }
    }

    /// SIGTERM to the group (unless the relay sent the stop signal already), SIGKILL after the grace
    /// period, then what is left of the group. Returns the engine's exit code.
    private func stop(_ engine: any SupervisedEngine, alreadySignalled: Bool) async -> Int32 {
        if !alreadySignalled { engine.signalGroup(SIGTERM) }
        let (clock, grace, stopwatch) = (clock, settings.shutdownGrace, Stopwatch(clock))
        var code = await Race.first(
            { await engine.exitCode() },
            {
                try? await clock.sleep(for: grace)
                return nil
            })
        if code == nil {
            logger.warning("The engine did not stop within \(grace.wholeSeconds) s; killing it")
            engine.signalGroup(SIGKILL)
            // SIGKILL cannot end a process stuck in the kernel (a hung driver call): serve ends anyway.
            code = await Race.first(
                { await engine.exitCode() },
                {
                    try? await clock.sleep(for: EngineSupervisor.afterKill)
                    return nil
                })
            if code == nil {
                let limit = EngineSupervisor.afterKill.wholeSeconds
                logger.error(
                    "The engine (pid \(engine.pid)) did not end \(limit) s after SIGKILL: it is stuck in the kernel, most likely in the GPU driver"
                )
            }
        }
        // Asked to stop, its workers share the grace period; stopped by us, they get no more time.
        await engine.cleanUp(grace: alreadySignalled ? max(.zero, grace - stopwatch.elapsed()) : .zero)
        return code ?? 128 + SIGKILL
    }

    /// The engine ended by itself or after a stop request: pick the outcome.
    private func finish(_ engine: any SupervisedEngine, code: Int32, ready: Bool, stopRequested: Bool) -> Outcome {
        if stopRequested {
            logger.info("The engine stopped with code \(code)")
            return .finished(code)
        }
        if code == 0 {
            reportAbnormalEnd(engine, reason: "the engine exited with code 0 without being asked to stop")
            let code = ExitStatus.engineExitedEarly.rawValue
            return ready ? .failed(code) : .finished(code)
        }
        reportAbnormalEnd(
            engine, reason: "the engine exited with code \(code) \(ready ? "while serving" : "during start")")
        // A failure before the engine ever served is most likely its configuration: never restarted.
        return ready ? .failed(code) : .finished(code)
    }

    /// The reason, and why: the engine's last lines (stdout's, then stderr's, which count as later) against
    /// the failure catalogue. One `diagnosis:` line in the log, the status file, the termination message.
    private func reportAbnormalEnd(_ engine: any SupervisedEngine, reason: String) {
        let diagnosis = EngineFailureDiagnosis.diagnose(engine.diagnosisLines)
        reportEnd(reason, engine.recentErrors, diagnosis)
        status.record(diagnosis)
        logger.error("serve failed: \(reason)")
        logger.error("diagnosis: \(diagnosis.cause.rawValue): \(diagnosis.fix)")
    }
}

extension Duration {
    /// Whole seconds, for messages.
    var wholeSeconds: Int64 { components.seconds }
}
