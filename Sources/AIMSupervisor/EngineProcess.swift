import AIMCore
import CSpawn
import Foundation

/// A running engine: the leader of its own process group, its output forwarded.
final class EngineProcess: @unchecked Sendable {
    let pid: pid_t
    let output: LogForwarder

    private init(pid: pid_t, output: LogForwarder) {
        self.pid = pid
        self.output = output
    }

    /// Starts the engine without a shell. The child gets default signal handling
    /// whatever this thread blocks or ignores, and dies with the launcher.
    static func spawn(executable: String, argv: [String], environment: [String: String], format: LogOutputFormat) throws -> EngineProcess {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard aim_pipe(&outPipe) == 0, aim_pipe(&errPipe) == 0 else {
            throw AIMError(.failure, "cannot create pipes for the engine: \(String(cString: strerror(errno)))")
        }
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        let (pid, error) = SpawnThread.shared.run { () -> (pid_t, Int32) in
            var error: Int32 = 0
            let pid = aim_spawn(executable, arguments, variables, outPipe[1], errPipe[1], &error)
            return (pid, error)
        }
        close(outPipe[1])
        close(errPipe[1])
        guard pid > 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw AIMError(.configuration, "cannot start the engine \(executable): \(String(cString: strerror(error)))")
        }
        let output = LogForwarder(stdout: outPipe[0], stderr: errPipe[0], pid: pid, format: format)
        return EngineProcess(pid: pid, output: output)
    }

    /// Sends a signal to the whole process group: the engine and its workers.
    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    /// True while any process of the group, the engine's workers included, is alive.
    var groupAlive: Bool {
        kill(-pid, 0) == 0 || errno == EPERM
    }
}
