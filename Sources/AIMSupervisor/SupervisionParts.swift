/// What the supervisor works with, injected so that its restart, backoff, timeout and liveness
/// rules are tested with a test clock and scripted parts (Tests: SupervisorLogicTests).

/// Starts the engine.
public protocol EngineLaunching: Sendable {
    func launch() async throws -> any SupervisedEngine
}

/// A started engine as the supervisor sees it.
public protocol SupervisedEngine: Sendable {
    var pid: Int32 { get }
    /// Waits until the engine has ended: its code, or 128+N after signal N; nil if the task is cancelled.
    func exitCode() async -> Int32?
    /// True only while it runs: an engine that has ended serves nothing, reaped or not.
    var isRunning: Bool { get }
    /// Sends `signal` to its whole process group: the engine and its workers.
    func signalGroup(_ signal: Int32)
    /// Counts the engine's writes; pass it to `outputActivity(after:)`.
    var outputGeneration: Int { get }
    /// Returns once the engine has written since `generation` was read (or the task is cancelled).
    func outputActivity(after generation: Int) async
    /// After the engine ended: ends what is left of its group (SIGTERM first for up to `grace`),
    /// and of its descendants, and waits for its forwarded output to end.
    func cleanUp(grace: Duration) async
    /// Its most recent output line, for progress messages.
    var latestLine: String { get }
    /// Its last stderr lines, shown when it ends abnormally.
    var recentErrors: [String] { get }
    /// Its last lines of stdout then of stderr (longer tails than `recentErrors`, lines cut short), which the
    /// failure diagnosis reads.
    var diagnosisLines: [String] { get }
    /// What each process of its group is doing (state, kernel wait channel), for the silence report.
    func processActivity() -> [ProcessActivity]
}

/// Asks the engine whether it serves.
public protocol EngineHealthChecking: Sendable {
    /// Up, serving the model, and the port is the engine's own.
    func ready() async -> Bool
    /// Still answers its health endpoint.
    func healthy() async -> Bool
}

/// Where `serve` reports its phase (the status file that `aim-runtime health` reads).
public protocol ServeStatusRecording: Sendable {
    func record(_ phase: ServeStatus.Phase)
    /// Why the engine failed; kept in the status with every later phase.
    func record(_ diagnosis: EngineFailureDiagnosis)
    /// The engine's pid while it runs (a worker's health reports its process).
    func record(enginePID: Int32?)
}

extension ServeStatusRecording {
    public func record(enginePID: Int32?) {}
}
