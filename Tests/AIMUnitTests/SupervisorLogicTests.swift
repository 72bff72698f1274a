import AIMCore
import AIMTestSupport
import Clocks
import Foundation
import Logging
import Synchronization
import Testing

@testable import AIMSupervisor

/// The supervisor's rules with scripted parts and a test clock: restart budget, backoff, startup
/// timeout, liveness, stop and kill. Simulated minutes pass in milliseconds.
@Suite struct SupervisorLogicTests {
    @Test func readyThenSIGTERMStopsWithTheEngineCode() async {
        let harness = Harness()
        let result = await harness.run([.init(when: { $0.status.phases.contains(.ready) }, send: SIGTERM)])
        #expect(result.code == 0)
        #expect(harness.status.phases == [.starting, .ready, .stopping])
        #expect(harness.launcher.engines.first?.received == [SIGTERM])
    }

    @Test func notReadyWithinTheStartupTimeoutIsStoppedWithItsCode() async {
        let harness = Harness(ready: false)
        let result = await harness.run()
        #expect(result.code == ExitStatus.startupTimeout.rawValue)
        #expect(result.elapsed >= .seconds(10) && result.elapsed < .seconds(11), "\(result.elapsed)")
        #expect(harness.launcher.engines.first?.received == [SIGTERM])
        #expect(harness.ended.reasons.first?.contains("AIM_STARTUP_TIMEOUT_SECONDS=10") == true)
    }

    @Test func failedHealthChecksInARowEndTheRunAsUnhealthy() async {
        let harness = Harness(healthy: false)
        let result = await harness.run()
        #expect(result.code == ExitStatus.engineUnhealthy.rawValue)
        // Three checks 5 s apart after ready.
        #expect(result.elapsed >= .seconds(15) && result.elapsed < .seconds(16), "\(result.elapsed)")
        #expect(harness.status.phases == [.starting, .ready, .unhealthy, .unhealthy, .unhealthy])
    }

    @Test func oneFailedCheckThenAnAnswerIsReadyAgain() async {
        let answers = Mutex([false, true])
        let harness = Harness(healthy: { answers.withLock { $0.isEmpty ? true : $0.removeFirst() } })
        let result = await harness.run([.init(when: { $0.status.phases.count >= 4 }, send: SIGTERM)])
        #expect(result.code == 0)
        #expect(Array(harness.status.phases.prefix(4)) == [.starting, .ready, .unhealthy, .ready])
    }

    @Test func restartsBackOffAndTheBudgetEndsThem() async {
        // Each engine serves, then crashes 1 s after it started.
        let harness = Harness(restartOnFailure: true, maxRestarts: 2, crashAfter: .seconds(1))
        let result = await harness.run()
        #expect(result.code == ExitStatus.restartBudgetSpent.rawValue)
        let starts = harness.launcher.startTimes.map { $0.components.seconds }
        #expect(starts == [0, 3, 8], "restarts after 2 s, then 4 s: \(harness.launcher.startTimes)")
    }

    @Test func aCrashBeforeReadyIsNeverRestarted() async {
        let harness = Harness(ready: false, restartOnFailure: true, crashAfter: .seconds(1), crashCode: 3)
        let result = await harness.run()
        #expect(result.code == 3)
        #expect(harness.launcher.startTimes.count == 1)
        #expect(harness.ended.reasons == ["the engine exited with code 3 during start"])
    }

    @Test func anEngineThatEndsWithZeroUnaskedIsAFailure() async {
        let harness = Harness(crashAfter: .seconds(2), crashCode: 0)
        let result = await harness.run()
        #expect(result.code == ExitStatus.engineExitedEarly.rawValue)
    }

    @Test func aStopDuringTheBackoffEndsWithTheFailureThatCausedIt() async {
        let harness = Harness(restartOnFailure: true, maxRestarts: 5, crashAfter: .seconds(1), crashCode: 9)
        let result = await harness.run([.init(when: { $0.ended.reasons.count == 1 }, send: SIGTERM)])
        #expect(result.code == 9)
        #expect(harness.launcher.startTimes.count == 1)
    }

    @Test func anEngineIgnoringSIGTERMIsKilledAfterTheGrace() async {
        let harness = Harness(ignoresTerm: true)
        let result = await harness.run([.init(when: { $0.status.phases.contains(.ready) }, send: SIGTERM)])
        #expect(result.code == 137)
        #expect(harness.launcher.engines.first?.received == [SIGTERM, SIGKILL])
        #expect(result.elapsed >= .seconds(30) && result.elapsed < .seconds(31), "\(result.elapsed)")
    }

    @Test func aSecondStopSignalKillsAtOnce() async {
        let harness = Harness(ignoresTerm: true)
        let result = await harness.run([
            .init(when: { $0.status.phases.contains(.ready) }, send: SIGTERM),
            .init(when: { $0.launcher.engines.first?.received == [SIGTERM] }, send: SIGINT),
        ])
        #expect(result.code == 137)
        #expect(harness.launcher.engines.first?.received == [SIGTERM, SIGKILL])
        #expect(result.elapsed < .seconds(30), "killed before the grace period ended: \(result.elapsed)")
    }

    @Test func hangupIsPassedThroughAndStopsNothing() async {
        let harness = Harness()
        let result = await harness.run([
            .init(when: { $0.status.phases.contains(.ready) }, send: SIGHUP),
            .init(when: { $0.launcher.engines.first?.received == [SIGHUP] }, send: SIGTERM),
        ])
        #expect(result.code == 0)
        #expect(harness.launcher.engines.first?.received == [SIGHUP, SIGTERM])
    }

    @Test func twoStopSignalsDuringTheLaunchKillTheEngineWhenItStarts() async {
        let harness = Harness(ignoresTerm: true, gatedLaunch: true)
        let result = await harness.run([
            .init(when: { $0.launcher.launchesBegun == 1 }, send: SIGTERM),
            .init(when: { _ in true }, send: SIGINT),
            .init(when: { _ in true }, act: { $0.launcher.gate?.set(()) }),
        ])
        #expect(result.code == 137)
        #expect(harness.launcher.engines.first?.received == [SIGKILL])
        #expect(result.elapsed < .seconds(30), "not after the grace period: \(result.elapsed)")
    }

    @Test func anEngineThatSurvivesSIGKILLDoesNotHoldServe() async {
        // Stuck in the kernel (a hung driver call): SIGKILL cannot end it.
        let harness = Harness(ignoresTerm: true, survivesKill: true)
        let result = await harness.run([.init(when: { $0.status.phases.contains(.ready) }, send: SIGTERM)])
        #expect(result.code == 137)
        #expect(harness.launcher.engines.first?.received == [SIGTERM, SIGKILL])
        #expect(result.elapsed >= .seconds(45) && result.elapsed < .seconds(46), "grace, then 15 s: \(result.elapsed)")
    }

    @Test func aFailureIsDiagnosedFromTheEngineLinesLoggedRecordedAndReported() async throws {
        let output = ScriptedOutput(
            stdout: ["INFO 11-24 10:00:00 [api_server.py] starting"],
            stderr: [
                "(EngineCore_DP0 pid=18799) ERROR 10-08 20:33:48 [core.py:708] ValueError: To serve at least one request with the models's max seq len (40960), (5.62 GiB KV cache is needed, which is larger than the available KV cache memory (4.50 GiB). Based on the available memory, the estimated maximum model length is 32768. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.",
                "(APIServer pid=18700) RuntimeError: Engine core initialization failed. See root cause above.",
            ])
        let harness = Harness(ready: false, crashAfter: .seconds(1), output: output)
        let result = await harness.run()
        #expect(result.code == 1)
        let diagnosis = try #require(harness.status.diagnoses.first)
        #expect(diagnosis.cause == .kvCacheTooSmall)
        #expect(diagnosis.fix.hasPrefix(#"set AIM_ENGINE_ARGS='{"max-model-len": 32768}'"#))
        #expect(diagnosis.evidence.contains("estimated maximum model length is 32768"))
        #expect(harness.ended.diagnoses == [diagnosis])
        let messages = harness.logs.messages
        let failed = try #require(messages.firstIndex(of: "serve failed: the engine exited with code 1 during start"))
        #expect(messages.dropFirst(failed + 1).first == "diagnosis: kv_cache_too_small: \(diagnosis.fix)")
    }

    @Test func aStartupTimeoutWithoutKnownLinesIsDiagnosedUnknown() async throws {
        let harness = Harness(
            ready: false, output: ScriptedOutput(stderr: ["Loading safetensors checkpoint shards: 50%"]))
        let result = await harness.run()
        #expect(result.code == ExitStatus.startupTimeout.rawValue)
        let diagnosis = try #require(harness.status.diagnoses.first)
        #expect(diagnosis.cause == .unknown)
        #expect(diagnosis.evidence == "Loading safetensors checkpoint shards: 50%")
        #expect(harness.logs.messages.contains("diagnosis: unknown: \(FailureCause.unknown.fix)"))
    }

    @Test func aSilentStartIsReportedOncePerSilenceWithWhatEachProcessDoes() async {
        let processes = [
            ProcessActivity(pid: 1000, name: "python3", state: "S", waitChannel: "do_epoll_wait"),
            ProcessActivity(pid: 1001, name: "VLLM::Worker", state: "D", waitChannel: "amdgpu_bo_wait"),
        ]
        let harness = Harness(
            ready: false, crashAfter: .seconds(300), output: ScriptedOutput(processes: processes),
            startupTimeout: .seconds(1000), startupSilence: .seconds(60))
        // The engine prints one line at 100 s: silent again from then, the next report is due at 160 s.
        let result = await harness.run([
            .init(when: { $0.elapsed >= .seconds(100) }, act: { $0.launcher.engines.first?.write() })
        ])
        #expect(result.code == 1)
        let reports = harness.logs.entries.filter { $0.message.hasPrefix("The engine has written nothing for 60 s") }
        // Once per silence: at 60 s, then nothing until the line at 100 s re-arms it, then at 160 s; from there to
        // the crash at 300 s no line came, so no third report.
        #expect(reports.map { $0.at.components.seconds } == [60, 160], "\(reports)")
        #expect(reports.first?.message.hasSuffix("what its processes are doing:") == true)
        #expect(
            harness.logs.messages.contains(
                "  engine process pid 1001 (VLLM::Worker): waiting in the kernel, uninterruptibly (D) in amdgpu_bo_wait"
            ))
        #expect(harness.logs.messages.contains("  engine process pid 1000 (python3): sleeping (S) in do_epoll_wait"))
    }

    @Test func aLaunchFailureEndsWithItsStatus() async {
        let harness = Harness(launchError: AIMError(.configuration, "port 8000 (AIM_PORT) is already in use"))
        let result = await harness.run()
        #expect(result.code == ExitStatus.configuration.rawValue)
        #expect(harness.status.phases.isEmpty)
    }
}

/// Scripted parts around one supervisor on a test clock.
final class Harness: Sendable {
    let clock = TestClock()
    let launcher: ScriptedLauncher
    let status = PhaseLog()
    let ended = EndLog()
    let logs: LogCapture
    let settings: SupervisorSettings
    private let health: ScriptedHealth
    private let signals = ManualStopSignals()

    convenience init(
        ready: Bool = true, healthy: Bool = true, restartOnFailure: Bool = false, maxRestarts: Int = 3,
        crashAfter: Duration? = nil, crashCode: Int32 = 1, ignoresTerm: Bool = false, survivesKill: Bool = false,
        launchError: AIMError? = nil, gatedLaunch: Bool = false, output: ScriptedOutput = ScriptedOutput(),
        startupTimeout: Duration = .seconds(10), startupSilence: Duration = .seconds(300)
    ) {
        self.init(
            ready: ready, healthy: { healthy }, restartOnFailure: restartOnFailure, maxRestarts: maxRestarts,
            crashAfter: crashAfter, crashCode: crashCode, ignoresTerm: ignoresTerm, survivesKill: survivesKill,
            launchError: launchError, gatedLaunch: gatedLaunch, output: output, startupTimeout: startupTimeout,
            startupSilence: startupSilence)
    }

    init(
        ready: Bool = true, healthy: @escaping @Sendable () -> Bool, restartOnFailure: Bool = false,
        maxRestarts: Int = 3,
        crashAfter: Duration? = nil, crashCode: Int32 = 1, ignoresTerm: Bool = false, survivesKill: Bool = false,
        launchError: AIMError? = nil, gatedLaunch: Bool = false, output: ScriptedOutput = ScriptedOutput(),
        startupTimeout: Duration = .seconds(10), startupSilence: Duration = .seconds(300)
    ) {
        settings = SupervisorSettings(
            port: 8000, servedModelName: "org/model", startupTimeout: startupTimeout, healthInterval: .seconds(5),
            healthFailureThreshold: 3, restartOnFailure: restartOnFailure, maxRestarts: maxRestarts,
            shutdownGrace: .seconds(30), logFormat: .text, startupSilence: startupSilence, terminationMessagePath: "",
            statusPath: "")
        launcher = ScriptedLauncher(
            clock: clock, crashAfter: crashAfter, crashCode: crashCode, ignoresTerm: ignoresTerm,
            survivesKill: survivesKill, error: launchError, gated: gatedLaunch, output: output)
        health = ScriptedHealth(ready: ready, healthy: healthy)
        logs = LogCapture(clock: clock)
    }

    func signal(_ number: Int32) {
        signals.send(number)
    }

    /// Simulated time since the run began.
    var elapsed: Duration { TestClock<Duration>.Instant().duration(to: clock.now) }

    /// A signal sent once `when` holds; the clock stands still from then until it is sent.
    struct Step {
        let when: (Harness) -> Bool
        let act: (Harness) -> Void

        init(when: @escaping (Harness) -> Bool, send signal: Int32) {
            self.when = when
            act = { $0.signal(signal) }
        }

        init(when: @escaping (Harness) -> Bool, act: @escaping (Harness) -> Void) {
            self.when = when
            self.act = act
        }
    }

    /// Runs the supervisor, advancing the test clock 100 ms at a time until it returns (at most two
    /// simulated hours), sending each step's signal when its condition holds. Nothing waits on real time,
    /// so a loaded machine makes the run slower, never different.
    func run(_ steps: [Step] = []) async -> (code: Int32, elapsed: Duration) {
        let (ended, logs) = (ended, logs)
        let supervisor = EngineSupervisor(
            settings: settings, launcher: launcher, health: health, status: status, clock: clock, signals: signals,
            logger: Logger(label: "test", factory: { _ in logs }),
            reportEnd: { reason, _, diagnosis in ended.add(reason, diagnosis) })
        let result = OneShot<Int32>()
        let running = Task { result.set(await supervisor.run()) }
        var pending = steps[...]
        var ticks = 0
        while result.current == nil && ticks < 72_000 {
            for _ in 0..<20 { await Task.yield() }
            if let step = pending.first, step.when(self) {
                step.act(self)
                pending.removeFirst()
            } else if result.current == nil {
                await clock.advance(by: .milliseconds(100))
                ticks += 1
            }
        }
        if result.current == nil {
            Issue.record("the supervisor did not return within two simulated hours")
            running.cancel()
        }
        await running.value
        #expect(pending.isEmpty, "every step's condition was met")
        return (result.current ?? -1, TestClock<Duration>.Instant().duration(to: clock.now))
    }
}

/// What a scripted engine has written and what its processes do.
struct ScriptedOutput: Sendable {
    var stdout: [String] = []
    var stderr: [String] = []
    var processes: [ProcessActivity] = []
}

final class ScriptedEngine: SupervisedEngine {
    let pid: Int32
    private let exit = OneShot<Int32>()
    private let signals = Mutex<[Int32]>([])
    private let ignoresTerm: Bool
    private let survivesKill: Bool
    private let output: ScriptedOutput
    private let writes = WakeUps()

    init(pid: Int32, ignoresTerm: Bool, survivesKill: Bool, output: ScriptedOutput = ScriptedOutput()) {
        self.pid = pid
        self.ignoresTerm = ignoresTerm
        self.survivesKill = survivesKill
        self.output = output
    }

    /// The engine prints a line (its content does not matter to the supervisor).
    func write() { writes.notify() }

    var received: [Int32] { signals.withLock { $0 } }
    func end(_ code: Int32) { exit.set(code) }

    func exitCode() async -> Int32? { await exit.value() }
    var isRunning: Bool { exit.current == nil }

    func signalGroup(_ signal: Int32) {
        signals.withLock { $0.append(signal) }
        switch signal {
        case SIGKILL: if !survivesKill { end(128 + SIGKILL) }
        case SIGTERM, SIGINT: if !ignoresTerm { end(0) }
        default: break
        }
    }

    // Writes only when a test says so: readiness comes from the probes alone.
    var outputGeneration: Int { writes.generation }

    func outputActivity(after generation: Int) async {
        await writes.wait(after: generation)
    }

    func cleanUp(grace: Duration) async {}
    var latestLine: String { "" }
    var recentErrors: [String] { output.stderr }
    var diagnosisLines: [String] { output.stdout + output.stderr }
    func processActivity() -> [ProcessActivity] { output.processes }
}

final class ScriptedLauncher: EngineLaunching {
    private let clock: TestClock<Duration>
    private let crashAfter: Duration?
    private let crashCode: Int32
    private let ignoresTerm: Bool
    private let survivesKill: Bool
    private let error: AIMError?
    private let output: ScriptedOutput
    /// Opened by the test to let a launch finish; none: launches finish at once.
    let gate: OneShot<Void>?
    private let entered = Mutex(0)
    private let started = Mutex<[(ScriptedEngine, Duration)]>([])

    init(
        clock: TestClock<Duration>, crashAfter: Duration?, crashCode: Int32, ignoresTerm: Bool, survivesKill: Bool,
        error: AIMError?, gated: Bool, output: ScriptedOutput
    ) {
        self.output = output
        self.survivesKill = survivesKill
        gate = gated ? OneShot<Void>() : nil
        self.clock = clock
        self.crashAfter = crashAfter
        self.crashCode = crashCode
        self.ignoresTerm = ignoresTerm
        self.error = error
    }

    var engines: [ScriptedEngine] { started.withLock { $0.map(\.0) } }
    var startTimes: [Duration] { started.withLock { $0.map(\.1) } }

    /// Launches begun, finished or not.
    var launchesBegun: Int { entered.withLock { $0 } }

    func launch() async throws -> any SupervisedEngine {
        entered.withLock { $0 += 1 }
        if let gate { _ = await gate.value() }
        if let error { throw error }
        let engine = ScriptedEngine(
            pid: Int32(1000 + started.withLock { $0.count }), ignoresTerm: ignoresTerm, survivesKill: survivesKill,
            output: output)
        let now = TestClock<Duration>.Instant().duration(to: clock.now)
        started.withLock { $0.append((engine, now)) }
        if let crashAfter {
            let (clock, code) = (clock, crashCode)
            Task {
                try await clock.sleep(for: crashAfter)
                engine.end(code)
            }
        }
        return engine
    }
}

struct ScriptedHealth: EngineHealthChecking {
    let ready: Bool
    let healthy: @Sendable () -> Bool

    func ready() async -> Bool { ready }
    func healthy() async -> Bool { healthy() }
}

final class PhaseLog: ServeStatusRecording {
    private let recorded = Mutex<[ServeStatus.Phase]>([])
    private let diagnosed = Mutex<[EngineFailureDiagnosis]>([])
    var phases: [ServeStatus.Phase] { recorded.withLock { $0 } }
    var diagnoses: [EngineFailureDiagnosis] { diagnosed.withLock { $0 } }
    func record(_ phase: ServeStatus.Phase) { recorded.withLock { $0.append(phase) } }
    func record(_ diagnosis: EngineFailureDiagnosis) { diagnosed.withLock { $0.append(diagnosis) } }
}

final class EndLog: Sendable {
    private let recorded = Mutex<[(String, EngineFailureDiagnosis)]>([])
    var reasons: [String] { recorded.withLock { $0.map(\.0) } }
    var diagnoses: [EngineFailureDiagnosis] { recorded.withLock { $0.map(\.1) } }
    func add(_ reason: String, _ diagnosis: EngineFailureDiagnosis) {
        recorded.withLock { $0.append((reason, diagnosis)) }
    }
}

/// Keeps every message logged, with the test clock's time when it was logged.
final class LogCapture: LogHandler, Sendable {
    private let clock: TestClock<Duration>
    private let recorded = Mutex<[(at: Duration, message: String)]>([])
    var messages: [String] { recorded.withLock { $0.map(\.message) } }
    var entries: [(at: Duration, message: String)] { recorded.withLock { $0 } }

    init(clock: TestClock<Duration>) {
        self.clock = clock
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let at = TestClock<Duration>.Instant().duration(to: clock.now)
        recorded.withLock { $0.append((at, event.message.description)) }
    }
}
