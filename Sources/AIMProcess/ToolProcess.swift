import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs a short-lived program (rocm-smi, amd-smi, the engine probe) without a shell, with a
/// time limit and a cap on the output kept, so that one that hangs or floods costs seconds, not a launch.
///
/// The program leads a new process group. At its time limit, or once it prints past a cap, the whole
/// group gets SIGKILL, so a child it started dies with it. Its output ends when it exits, even where a
/// descendant that left the group still holds the pipes open.
///
/// Only async: swift-subprocess finishes its work on the Swift concurrency pool (it starts an unstructured
/// task, which no task executor preference reaches), so a thread that blocked waiting for it would deadlock
/// once every pool thread waited so (two on a 2-core machine). Callers await instead.
///
/// The time limit counts wall time, including any wait for a free pool thread: a process whose pool
/// threads are all blocked by synchronous work (as the test suite's sync tests do) can see a quick program
/// time out. The launcher's commands block none.
///
/// swift-subprocess reaps the program itself (`waitid` on its pid): run none while a `waitpid(-1)` reaper,
/// such as serve's ChildReaper, is running, or the reaper may take the status first.
public enum ToolProcess {
    /// After SIGKILL a program ends at once unless it is stuck in the kernel (a driver call that never
    /// returns): it is then given up on this long after its time limit, and left to be reaped whenever it ends.
    static let killGrace: Duration = .seconds(2)

    /// - Parameters:
    ///   - executable: an absolute path: no shell and no PATH search.
    ///   - environment: the program's whole environment; nil passes on this process's own.
    ///   - stdoutLimit, stderrLimit: the bytes kept of each; one more byte kills the program.
    /// - Throws: `ToolProcessFailure` when the program cannot be run.
    public static func run(
        _ executable: String, arguments: [String], environment: [String: String]? = nil,
        timeout: Duration, stdoutLimit: Int, stderrLimit: Int
    ) async throws(ToolProcessFailure) -> ToolProcessOutcome {
        var options = PlatformOptions()
        options.processGroupID = 0
        // Should the caller's task be cancelled, swift-subprocess ends the group the same way.
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        let variables: Environment =
            environment.map { variables in
                .custom(
                    Dictionary(
                        variables.compactMap { key, value in Environment.Key(rawValue: key).map { ($0, value) } }
                    ) { $1 })
            } ?? .inherit
        let configuration = Configuration(
            executable: .path(FilePath(executable)), arguments: Arguments(arguments), environment: variables,
            platformOptions: options)
        // In a task of its own, so that a program SIGKILL cannot end is given up on rather than waited for.
        let work = Task {
            await runToEnd(
                configuration, executable: executable, timeout: timeout, stdoutLimit: stdoutLimit,
                stderrLimit: stderrLimit)
        }
        let result = await withTaskCancellationHandler { () async -> Result<ToolProcessOutcome, ToolProcessFailure> in
            // The run kills the group at the time limit while its output is open. This also bounds a
            // program that closed its output and runs on, and one that SIGKILL cannot end at once.
            if let finished = await BoundedWait.value(of: work, within: timeout) {
                return finished
            }
            work.cancel()  // swift-subprocess's teardown: SIGKILL to the group
            guard let finished = await BoundedWait.value(of: work, within: killGrace) else {
                return .success(
                    ToolProcessOutcome(
                        status: nil, stdout: [], stderr: [], timedOut: true, stdoutCut: false, stderrCut: false))
            }
            return finished.map { outcome in
                var late = outcome
                late.timedOut = true
                return late
            }
        } onCancel: {
            work.cancel()
        }
        return try result.get()
    }

    private static func runToEnd(
        _ configuration: Configuration, executable: String, timeout: Duration, stdoutLimit: Int, stderrLimit: Int
    ) async -> Result<ToolProcessOutcome, ToolProcessFailure> {
        do {
            let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .sequence) {
                execution in
                await collect(execution, timeout: timeout, stdoutLimit: stdoutLimit, stderrLimit: stderrLimit)
            }
            var outcome = result.closureResult
            switch result.terminationStatus {
            case .exited(let code): outcome.status = code
            case .signaled(let signal): outcome.status = 128 + signal
            }
            return .success(outcome)
        } catch {
            return .failure(ToolProcessFailure("\(executable) could not be run: \(error)"))
        }
    }

    private enum Event: Sendable {
        case stdout(CappedBytes)
        case stderr(CappedBytes)
        case deadline
        case timerStopped
    }

    /// Reads both streams to their ends while the time limit runs.
    private static func collect(
        _ execution: Execution<NoInput, SequenceOutput, SequenceOutput>, timeout: Duration, stdoutLimit: Int,
        stderrLimit: Int
    ) async -> ToolProcessOutcome {
        let stdout = execution.standardOutput
        let stderr = execution.standardError
        return await withTaskGroup(of: Event.self) { group in
            group.addTask { .stdout(await CappedBytes.read(stdout, limit: stdoutLimit)) }
            group.addTask { .stderr(await CappedBytes.read(stderr, limit: stderrLimit)) }
            group.addTask {
                guard (try? await Task.sleep(for: timeout)) != nil else { return .timerStopped }
                return .deadline
            }
            var outcome = ToolProcessOutcome(
                status: nil, stdout: [], stderr: [], timedOut: false, stdoutCut: false, stderrCut: false)
            var openStreams = 2
            while let event = await group.next() {
                switch event {
                case .stdout(let read):
                    (outcome.stdout, outcome.stdoutCut) = (read.bytes, read.cut)
                    openStreams -= 1
                    if read.cut { killGroup(execution) }
                case .stderr(let read):
                    (outcome.stderr, outcome.stderrCut) = (read.bytes, read.cut)
                    openStreams -= 1
                    if read.cut { killGroup(execution) }
                case .deadline:
                    outcome.timedOut = true
                    killGroup(execution)
                    group.cancelAll()  // the readers stop and keep what came
                case .timerStopped:
                    break
                }
                if openStreams == 0 { group.cancelAll() }  // the timer
            }
            return outcome
        }
    }

    /// The group is the program's own (its pid); until it is reaped, neither number can be reused.
    private static func killGroup(_ execution: Execution<NoInput, SequenceOutput, SequenceOutput>) {
        try? execution.send(signal: .kill, toProcessGroup: true)
    }
}
