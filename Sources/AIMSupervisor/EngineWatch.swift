import AIMCore
import Foundation
import Logging
import Synchronization

/// The checks on one run of the engine, each a task of the supervisor's group: readiness then
/// liveness, the startup timer and the progress lines. Each returns an event only when it ends the run.
final class EngineWatch: Sendable {
    let settings: SupervisorSettings
    let engine: any SupervisedEngine
    let health: any EngineHealthChecking
    let control: StopControl
    let clock: any Clock<Duration>
    let logger: Logger
    private let ready = Mutex(false)
    private let stopwatch: Stopwatch

    init(
        settings: SupervisorSettings, engine: any SupervisedEngine, health: any EngineHealthChecking,
        control: StopControl, clock: any Clock<Duration>, logger: Logger
    ) {
        self.settings = settings
        self.engine = engine
        self.health = health
        self.control = control
        self.clock = clock
        self.logger = logger
        stopwatch = Stopwatch(clock)
    }

    var isReady: Bool { ready.withLock { $0 } }

    /// Probes until ready, then checks liveness every interval; ends the run after too many failures.
    func health() async -> EngineSupervisor.Event? {
        guard await waitUntilReady() else { return nil }
        var failures = 0
        while true {
            guard (try? await clock.sleep(for: settings.healthInterval)) != nil else { return nil }
            let answered = await health.healthy()
            // Ended during the probe: the exit is the event that tells.
            guard engine.isRunning, !Task.isCancelled else { return nil }
            if answered {
                if failures > 0 { control.record(.ready) }
                failures = 0
                continue
            }
            control.record(.unhealthy)
            failures += 1
            logger.warning("Health check failed (\(failures) of \(settings.healthFailureThreshold))")
            if failures >= settings.healthFailureThreshold { return .unhealthy(failures: failures) }
        }
    }

    /// Probes from 100 ms apart up to 2 s apart, but at once when the engine writes something (such
    /// as "Application startup complete"), so ready is seen within a few dozen milliseconds.
    private func waitUntilReady() async -> Bool {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            // Read before the probe: a line written while it runs is news for the next one.
            let seen = engine.outputGeneration
            // An answer counts only while our engine runs: after it died, someone else answered.
            if engine.isRunning, await health.ready(), engine.isRunning, !Task.isCancelled {
                ready.withLock { $0 = true }
                control.record(.ready)
                let elapsed = stopwatch.elapsed().components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                if settings.servesAPI {
                    logger.info(
                        "Engine ready in \(String(format: "%.1f", seconds)) s: serving \(settings.servedModelName) on port \(settings.port)"
                    )
                }
                return true
            }
            let (clock, engine, wait) = (clock, engine, delay)
            let wrote = await Race.first(
                {
                    await engine.outputActivity(after: seen)
                    return true
                },
                {
                    try? await clock.sleep(for: wait)
                    return false
                })
            delay = wrote ? .milliseconds(100) : min(.seconds(2), delay * 1.5)
        }
        return false
    }

    /// Ends the run if the engine is not ready within AIM_STARTUP_TIMEOUT_SECONDS.
    func startupTimer() async -> EngineSupervisor.Event? {
        guard (try? await clock.sleep(for: settings.startupTimeout)) != nil, !isReady else { return nil }
        return .startupTimedOut
    }

    /// While the engine starts, each time it has written nothing for `startupSilence`: one report of what
    /// each of its processes is doing (a hang in the GPU driver shows as state D). Once per silence: the
    /// next report waits for a new line and another full silence.
    func silence() async -> EngineSupervisor.Event? {
        let (clock, engine, limit) = (clock, engine, settings.startupSilence)
        while !Task.isCancelled && !isReady {
            let seen = engine.outputGeneration
            let wrote = await Race.first(
                {
                    await engine.outputActivity(after: seen)
                    return true
                },
                { (try? await clock.sleep(for: limit)) == nil })
            guard !wrote, !Task.isCancelled, !isReady else { continue }
            reportSilence(limit)
            await engine.outputActivity(after: seen)
        }
        return nil
    }

    private func reportSilence(_ limit: Duration) {
        let processes = engine.processActivity()
        logger.warning(
            "The engine has written nothing for \(limit.wholeSeconds) s while starting; \(processes.isEmpty ? "/proc shows none of its processes" : "what its processes are doing:")"
        )
        for process in processes {
            logger.warning("  engine process \(process.summary)")
        }
    }

    /// A line at least every `progressInterval` while the engine starts.
    func progress() async -> EngineSupervisor.Event? {
        while (try? await clock.sleep(for: settings.progressInterval)) != nil, !isReady {
            let line = engine.latestLine
            logger.info(
                "Waiting for the engine: starting, \(stopwatch.elapsed().components.seconds) s elapsed; last engine line: \(line)"
            )
        }
        return nil
    }
}
